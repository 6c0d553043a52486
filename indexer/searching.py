"""Searching an index: query parsing, ranking, fallback and snippets.

All query words are required first; when that finds nothing the same words are searched
as alternatives, and the result says so (``mode == "any"``).
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema

from indexer import store
from indexer.ranking import BM25
from indexer.schema import search_fields
from indexer.snippets import QueryTerms, highlight_all, snippet

MAX_QUERY_CHARS = 1000
MAX_PAGE_SIZE = 100


class QueryError(ValueError):
    """A query that cannot be run, with a message for the reader."""


@dataclass
class Hit:
    id: str
    title: str
    score: float
    snippet: str
    title_html: str = ""

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "title_html": self.title_html,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    page: int
    page_size: int
    mode: str = "all"
    hits: list = field(default_factory=list)

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))

    def to_dict(self):
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "page": self.page,
            "page_size": self.page_size,
            "mode": self.mode,
            "hits": [h.to_dict() for h in self.hits],
        }


class SearchIndex:
    """An open index that follows its ``current`` generation: ``refresh()`` reopens when
    a build has swapped in a new one, so a server never needs a restart."""

    def __init__(self, root):
        self.root = Path(root)
        self._generation = None
        self._searcher = None
        self.refresh()

    def refresh(self):
        generation = store.current_generation(self.root)
        if generation != self._generation:
            ix = whoosh_index.open_dir(generation)
            old = self._searcher
            self._searcher = ix.searcher(weighting=BM25())
            self._generation = generation
            self._info = store.read_build_info(generation)
            if old is not None:
                old.close()
        return self

    @property
    def schema(self):
        return self._searcher.schema

    @property
    def searcher(self):
        return self._searcher

    def info(self):
        return dict(self._info, generation=self._generation.name)

    def close(self):
        if self._searcher is not None:
            self._searcher.close()

    def parse(self, text, group=qparser.AndGroup):
        boosts = search_fields(self.schema)
        # The parser sees only the searchable fields: ``path:x`` is then plain text.
        searchable = Schema(**{name: self.schema[name] for name in boosts})
        parser = qparser.MultifieldParser(list(boosts), searchable, fieldboosts=boosts, group=group)
        return parser.parse(text)

    def search(self, text, page=1, page_size=10, with_snippets=True):
        started = time.perf_counter()
        text = validate_query(text)
        page, page_size = max(1, int(page)), min(max(1, int(page_size)), MAX_PAGE_SIZE)
        mode = "all"
        q = self.parse(text)
        results = self._run(q, page, page_size)
        if results.total == 0 and _has_several_parts(q):
            mode = "any"
            q = self.parse(text, group=qparser.OrGroup)
            results = self._run(q, page, page_size)
        terms = QueryTerms(q, self.schema)
        hits = [
            Hit(
                id=hit["id"],
                title=hit.get("title", ""),
                score=hit.score or 0.0,
                snippet=snippet(hit.get("body", ""), terms) if with_snippets else "",
                title_html=highlight_all(hit.get("title", ""), terms),
            )
            for hit in results
        ]
        return SearchResult(
            query=text,
            total=results.total,
            took_ms=(time.perf_counter() - started) * 1000,
            page=page,
            page_size=page_size,
            mode=mode,
            hits=hits,
        )

    def ranked_ids(self, text, limit=100):
        """Ids and scores of the top ``limit`` documents, all words optional (the
        evaluation's batch mode)."""
        q = self.parse(validate_query(text), group=qparser.OrGroup)
        return [(hit["id"], hit.score or 0.0) for hit in self._searcher.search(q, limit=limit)]

    def _run(self, q, page, page_size):
        # search_page() would answer a page past the end with the last page; a reader
        # (or script) asking for page 9 of 2 gets an empty page instead.
        hits = self._searcher.search(q, limit=page * page_size)
        return _Page(hits, (page - 1) * page_size)

    def document(self, doc_id, query_text=""):
        """The stored article ``doc_id`` with its title and body highlighted for the
        query, or ``None``."""
        stored = self._searcher.document(id=doc_id)
        if stored is None:
            return None
        q = self.parse(validate_query(query_text)) if query_text.strip() else None
        terms = QueryTerms(q, self.schema)
        return {
            "id": stored["id"],
            "title": stored.get("title", ""),
            "body": stored.get("body", ""),
            "title_html": highlight_all(stored.get("title", ""), terms),
            "body_html": highlight_all(stored.get("body", ""), terms),
        }

    def stats(self):
        reader = self._searcher.reader()
        size = sum(p.stat().st_size for p in self._generation.iterdir() if p.is_file())
        terms = sum(1 for _ in reader.lexicon("body")) + sum(1 for _ in reader.lexicon("title"))
        return {
            "documents": reader.doc_count(),
            "terms": terms,
            "size_bytes": size,
            "build_seconds": self._info.get("build_seconds"),
            "built_at": self._info.get("built_at"),
            "generation": self._generation.name,
        }


class _Page:
    """The hits of one page of whoosh results, with the total number of matches."""

    def __init__(self, results, offset):
        self._hits = list(results)[offset:]
        self.total = len(results)

    def __iter__(self):
        return iter(self._hits)


def validate_query(text):
    text = (text or "").strip()
    if not text:
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    return text


def _has_several_parts(q):
    """Whether the query joins several words (or groups), so "any of them" differs
    from "all of them"."""
    return isinstance(q, wq.And) and len(q.subqueries) > 1
