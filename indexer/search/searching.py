"""Searching an index: query parsing, ranking, fallback and snippets.

All query words are required first; when that finds nothing the same words are searched
as alternatives, and the result says so (``mode == "any"``). The query language is
``query_language``'s; the limits that keep one query from holding a worker are ``limits``'.
"""

import copy
import functools
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from indexer import engine
from indexer.engine import plan
from indexer.engine.base import DeadlinePassed
from indexer.indexing import store
from indexer.indexing.forward_index import ForwardIndex
from indexer.indexing.lexicon import Lexicon
from indexer.indexing.phrases import Phrases
from indexer.indexing.schema import Analysis
from indexer.search import completion, limits, spelling
from indexer.search.facets import Filters, check_sort, facet_counts
from indexer.search.limits import (  # noqa: F401 (API)
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    QueryError,
    validate_query,
)
from indexer.search.query_language import Compiler
from indexer.search.query_language import parse as parse_query
from indexer.search.related import more_like_this, same_story
from indexer.search.rerank import DEPTH, Reranker
from indexer.search.snippets import QueryTerms, highlight_all, snippet
from indexer.search.stories import Signatures, paginate


@dataclass
class Hit:
    id: str
    title: str
    score: float
    snippet: str
    title_html: str = ""
    source: str = ""
    url: str = ""
    # "YYYY-MM-DD", or None when the article carries no date.
    published: str | None = None
    # Other reports of the same story folded under this one: {"id", "title", "source", "url", "published"}.
    duplicates: list = field(default_factory=list)

    def to_dict(self):
        return {
            "id": self.id,
            "title": self.title,
            "title_html": self.title_html,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "duplicates": self.duplicates,
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
    # How each typed word was searched (query_language.Compiler.understood).
    understood: list = field(default_factory=list)
    # "Did you mean": a corrected query that finds more, or None.
    suggestion: str | None = None
    # Limits that cut the query (an expansion kept to its most frequent words).
    notices: list = field(default_factory=list)
    sort: str = "relevance"
    # Hits per outlet, year and month over the whole result set (facets.facet_counts).
    facets: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    # Stories among the ``total`` matching reports: reports folded under another report on
    # the pages up to this one are not counted (None: not grouped).
    stories: int | None = None

    @property
    def pages(self):
        shown = self.total if self.stories is None else self.stories
        return max(1, -(-shown // self.page_size))

    def to_dict(self):
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "page": self.page,
            "page_size": self.page_size,
            "mode": self.mode,
            "hits": [h.to_dict() for h in self.hits],
            "understood": self.understood,
            "suggestion": self.suggestion,
            "notices": self.notices,
            "sort": self.sort,
            "facets": self.facets,
            "filters": self.filters,
            "stories": self.stories,
        }


class Snapshot:
    """One generation, open: the engine's reader, the analysis its documents went
    through, its vocabulary and story signatures. A request keeps the snapshot it
    started with, so a refresh never pulls an index from under it."""

    def __init__(self, generation):
        self.generation = generation
        self.info = store.read_build_info(generation)
        store.verify_files(generation, self.info)
        self.engine = self.info.get("engine", engine.DEFAULT_ENGINE)
        self.analysis = Analysis.load(generation)
        self.lexicon = Lexicon.load(generation)
        self.reader = engine.open_reader(self.engine, generation)
        self.signatures = Signatures(self.reader, generation)
        self.reranker = Reranker(self.reader, self.analysis, ForwardIndex.open(generation))

    @functools.cached_property
    def phrases(self):
        """The generation's frequent word sequences (``indexing.phrases``), read on first
        use: an empty table for an index built before they were kept."""
        return Phrases.load(self.generation) or Phrases()

    def close(self):
        self.reader.close()


class SearchIndex:
    """An open index that follows its ``current`` generation: ``refresh()`` reopens when
    a build has swapped in a new one, so a server never needs a restart. Safe to use
    from several threads at once."""

    def __init__(self, root):
        self.root = Path(root)
        self._snapshot = None
        self.refresh()

    def refresh(self):
        generation = store.current_generation(self.root)
        if self._snapshot is None or generation != self._snapshot.generation:
            # The old snapshot is not closed: requests still using it finish on it, and
            # it is released with the last of them.
            self._snapshot = Snapshot(generation)
        return self

    @property
    def snapshot(self):
        return self._snapshot

    def document_count(self):
        return self._snapshot.reader.doc_count()

    def pinned(self):
        """This index held at its current generation: a request's view, so every call it
        makes sees one generation even when a refresh swaps in another meanwhile."""
        return copy.copy(self)

    @property
    def engine(self):
        return self._snapshot.engine

    def info(self):
        s = self._snapshot
        return dict(s.info, generation=s.generation.name)

    def close(self):
        self._snapshot.close()

    def compile(self, text, group=plan.all_of, operator_words=True, snapshot=None):
        """A ``query_language.Compiler`` that has compiled ``text``, and the plan."""
        s = snapshot or self._snapshot
        compiler = Compiler(s.analysis, s.lexicon, group=group)
        return compiler, compiler.compile(parse_query(text, operator_words=operator_words))

    def parse(self, text, group=plan.all_of):
        return self.compile(text, group)[1]

    def search(self, text, page=1, page_size=10, with_snippets=True, *, sort="relevance", source=None,
               date_from=None, date_to=None, group_duplicates=True):
        """One page of hits for ``text``. ``source`` (an outlet or a list: any of them) and
        the inclusive ``date_from``/``date_to`` narrow the hits; ``sort="newest"`` orders
        them by date; ``group_duplicates`` folds other reports of a story under its best."""
        started = time.perf_counter()
        deadline = time.monotonic() + limits.SEARCH_TIME_BUDGET_S
        s = self._snapshot
        text = validate_query(text)
        page, page_size = max(1, int(page)), max(1, int(page_size))
        limits.check_page(page, page_size)
        filters = Filters.from_params(source, date_from, date_to)
        view = (filters, check_sort(sort), group_duplicates)
        mode = "all"
        compiler, q = self.compile(text, snapshot=s)
        with _budget():
            results = _run(s, q, page, page_size, deadline, *view)
            if results.total == 0 and plan.has_several_parts(q):
                mode = "any"
                q = self.compile(text, group=plan.any_of, snapshot=s)[1]
                results = _run(s, q, page, page_size, deadline, *view)
            suggestion = spelling.suggest(s, text, results.total, mode == "all",
                                          lambda corrected: self._count(s, corrected, deadline, filters))
            facets = facet_counts(s.reader, q, filters, deadline)
        terms = QueryTerms(plan.positive_part(q), s.analysis)
        hits = [_hit(s, key, score, terms, with_snippets, others) for key, score, others in results]
        return SearchResult(
            query=text,
            total=results.total,
            took_ms=(time.perf_counter() - started) * 1000,
            page=page,
            page_size=page_size,
            mode=mode,
            hits=hits,
            understood=compiler.understood,
            suggestion=suggestion,
            notices=compiler.notices,
            sort=sort,
            facets=facets,
            filters=filters.to_dict(),
            stories=results.stories,
        )

    def overview(self, latest=5):
        """The collection at a glance, for a reader who has not typed yet:
        ``{"documents": 31523, "sources": [{"value": "BBC", "count": 6052}, ...],
        "first": "2018-02-01", "last": "2018-10-30", "latest": [Hit, ...]}``; the
        ``latest`` newest stories, each with its other reports folded under it. Dates are
        ``None`` when no article carries one."""
        s = self._snapshot
        deadline = time.monotonic() + limits.SEARCH_TIME_BUDGET_S
        with _budget():
            facets = facet_counts(s.reader, plan.EVERYTHING, Filters(), deadline)
            newest = _run(s, plan.EVERYTHING, 1, latest, deadline, Filters(), "newest", True)
        no_terms = QueryTerms(plan.NOTHING, s.analysis)
        days = sorted(d["value"] for d in facets["day"])
        return {
            "documents": s.reader.doc_count(),
            "sources": facets["source"],
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
            "latest": [_hit(s, key, score, no_terms, True, others) for key, score, others in newest],
        }

    def more_like_this(self, doc_id, limit=5):
        """Up to ``limit`` related stories for article ``doc_id`` (``[]`` when there is no
        such article), as hits with snippets; its own story's other reports are left out."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise QueryError(f"عدد المقالات ذات الصلة من 1 إلى {MAX_PAGE_SIZE}.")
        s = self._snapshot
        key = s.reader.key(doc_id)
        if key is None:
            return []
        no_terms = QueryTerms(plan.NOTHING, s.analysis)
        return [
            _hit(s, other, score, no_terms, True, reports)
            for other, score, reports in more_like_this(s.reader, s.signatures, key, limit)
        ]

    def _count(self, s, text, deadline, filters):
        """``(articles found, whether with all words)`` for ``text`` under ``filters``."""
        q = self.compile(text, snapshot=s)[1]
        total = s.reader.count(q, filters, deadline)
        if total == 0 and plan.has_several_parts(q):
            return s.reader.count(self.compile(text, group=plan.any_of, snapshot=s)[1], filters, deadline), False
        return total, True

    def complete(self, prefix, limit=8):
        """Whole queries completing the last word of ``prefix`` from the index's vocabulary
        (``completion.complete``); ``[]`` rather than an error for anything typed."""
        return completion.complete(self._snapshot, prefix, limit)

    def ranked_ids(self, text, limit=100):
        """Ids and scores of the top ``limit`` documents, all words optional (the
        evaluation's batch mode)."""
        s = self._snapshot
        # Batch queries are questions in sentences: "ليس"/"بدون" there are not operators.
        q = self.compile(validate_query(text), group=plan.any_of, operator_words=False, snapshot=s)[1]
        hits = s.reranker.rerank(q, s.reader.search(q, max(limit, DEPTH)).hits)[:limit]
        return [(s.reader.stored(key)["id"], score) for key, score in hits]

    def document(self, doc_id, query_text=""):
        """The stored article ``doc_id`` with its title and body highlighted for the
        query (``searched_body``: the body as searched, its boilerplate lines blanked),
        or ``None``."""
        s = self._snapshot
        key = s.reader.key(doc_id)
        if key is None:
            return None
        stored = s.reader.stored(key)
        q = self.compile(validate_query(query_text), snapshot=s)[1] if query_text.strip() else plan.NOTHING
        terms = QueryTerms(plan.positive_part(q), s.analysis)
        reports = same_story(s.reader, s.signatures, key)
        return {
            "id": stored["id"],
            "title": stored.get("title", ""),
            "body": stored.get("body", ""),
            "title_html": highlight_all(stored.get("title", ""), terms),
            # The article as published; its boilerplate lines were not searched, so not marked.
            "body_html": highlight_all(stored.get("body", ""), terms, s.analysis.searched(stored, "body")),
            "searched_body": s.analysis.searched(stored, "body"),
            "source": stored.get("source", ""),
            "url": stored.get("url", ""),
            "published": _day(stored.get("published")),
            "duplicates": [_report(s, other) for other in reports],
        }

    def stats(self):
        s = self._snapshot
        size = sum(p.stat().st_size for p in s.generation.rglob("*") if p.is_file())
        return {
            "documents": s.reader.doc_count(),
            "segments": s.reader.segment_count(),
            "terms": len(s.lexicon.expand_prefix("body", "")) + len(s.lexicon.expand_prefix("title", "")),
            "size_bytes": size,
            "engine": s.engine,
            "build_seconds": s.info.get("build_seconds"),
            "built_at": s.info.get("built_at"),
            "generation": s.generation.name,
        }


@contextmanager
def _budget():
    """An engine that ran past the time budget becomes the reader's message."""
    try:
        yield
    except DeadlinePassed:
        raise QueryError(limits.TIMEOUT_MESSAGE) from None


def _run(s, q, page, page_size, deadline, filters=None, sort="relevance", group=False):
    """One page of ``q``'s hits. A page past the end is empty (not the last page)."""
    # Grouping folds reports, so a page of stories needs more ranked hits than it shows;
    # the ranking is lengthened until the page's grouping no longer depends on its end.
    limit = 2 * (page + 1) * page_size if group else page * page_size
    while True:
        top = s.reader.search(q, max(limit, DEPTH) if sort == "relevance" else limit, filters or None, sort, deadline)
        if sort == "relevance":
            top.hits = s.reranker.rerank(q, top.hits)[:limit]
        if not group:
            entries = [(key, score, []) for key, score in top.hits[(page - 1) * page_size:]]
            return _Page(entries, top.total)
        scores = dict(top.hits)
        stories, folded, exhausted = paginate(list(scores), s.signatures.joins, page, page_size)
        if not exhausted or len(top.hits) >= top.total:
            entries = [(leader, scores[leader], others) for leader, others in stories]
            return _Page(entries, top.total, top.total - folded)
        limit *= 2


def _hit(s, key, score, terms, with_snippets=True, others=()):
    stored = s.reader.stored(key)
    return Hit(
        id=stored["id"],
        title=stored.get("title", ""),
        score=score,
        snippet=snippet(s.analysis.searched(stored, "body"), terms) if with_snippets else "",
        title_html=highlight_all(stored.get("title", ""), terms),
        source=stored.get("source", ""),
        url=stored.get("url", ""),
        published=_day(stored.get("published")),
        duplicates=[_report(s, other) for other in others],
    )


def _report(s, key):
    """An article as a line under another report of its story."""
    stored = s.reader.stored(key)
    return {
        "id": stored["id"],
        "title": stored.get("title", ""),
        "source": stored.get("source", ""),
        "url": stored.get("url", ""),
        "published": _day(stored.get("published")),
    }


class _Page:
    """One page of hits as ``(key, score, [keys of other reports])``, with the number
    of matching articles and, when grouped, of stories."""

    def __init__(self, entries, total, stories=None):
        self._entries = entries
        self.total = total
        self.stories = stories

    def __iter__(self):
        return iter(self._entries)


def _day(published):
    return published.strftime("%Y-%m-%d") if published else None
