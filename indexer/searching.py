"""Searching an index: query parsing, ranking, fallback and snippets.

All query words are required first; when that finds nothing the same words are searched
as alternatives, and the result says so (``mode == "any"``). The query language is
``query_language``'s; the limits that keep one query from holding a worker are ``limits``'.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.collectors import TimeLimit

from indexer import completion, limits, spelling, store
from indexer.limits import MAX_PAGE_SIZE, MAX_QUERY_CHARS, QueryError, validate_query  # noqa: F401 (API)
from indexer.query_language import Compiler, positive_part
from indexer.query_language import parse as parse_query
from indexer.ranking import BM25
from indexer.facets import Filters, facet_counts, sort_order
from indexer.near_duplicates import Signatures, paginate
from indexer.related import more_like_this, same_story
from indexer.snippets import QueryTerms, highlight_all, snippet


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
            # Everything is read before anything is replaced: a generation that cannot be
            # opened leaves this index answering from the one it had.
            info = store.read_build_info(generation)
            searcher = whoosh_index.open_dir(generation).searcher(weighting=BM25())
            try:
                signatures = Signatures(searcher)
            except BaseException:
                searcher.close()
                raise
            old = self._searcher
            self._searcher, self._generation, self._info, self.signatures = searcher, generation, info, signatures
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

    def compile(self, text, group=wq.And, operator_words=True):
        """A ``query_language.Compiler`` that has compiled ``text``, and the query."""
        compiler = Compiler(self._searcher, group=group)
        return compiler, compiler.compile(parse_query(text, operator_words=operator_words))

    def parse(self, text, group=wq.And):
        return self.compile(text, group)[1]

    def search(self, text, page=1, page_size=10, with_snippets=True, *, sort="relevance", source=None,
               date_from=None, date_to=None, group_duplicates=True):
        """One page of hits for ``text``. ``source`` (an outlet or a list: any of them) and
        the inclusive ``date_from``/``date_to`` narrow the hits; ``sort="newest"`` orders
        them by date; ``group_duplicates`` folds other reports of a story under its best."""
        started = time.perf_counter()
        deadline = time.monotonic() + limits.SEARCH_TIME_BUDGET_S
        text = validate_query(text)
        page, page_size = max(1, int(page)), max(1, int(page_size))
        limits.check_page(page, page_size)
        filters = Filters.from_params(source, date_from, date_to)
        view = (filters, sort_order(sort), group_duplicates)
        mode = "all"
        compiler, q = self.compile(text)
        results = self._run(q, page, page_size, deadline, *view)
        if results.total == 0 and _has_several_parts(q):
            mode = "any"
            q = self.compile(text, group=wq.Or)[1]
            results = self._run(q, page, page_size, deadline, *view)
        suggestion = spelling.suggest(self._searcher, text, results.total, mode == "all",
                                      lambda corrected: self._count(corrected, deadline, filters))
        terms = QueryTerms(positive_part(q), self.schema)
        hits = [self._hit(docnum, score, terms, with_snippets, others) for docnum, score, others in results]
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
            facets=facet_counts(self._searcher, q, filters, deadline),
            filters=filters.to_dict(),
            stories=results.stories,
        )

    def _hit(self, docnum, score, terms, with_snippets=True, others=()):
        stored = self._searcher.stored_fields(docnum)
        return Hit(
            id=stored["id"],
            title=stored.get("title", ""),
            score=score,
            snippet=snippet(stored.get("body", ""), terms) if with_snippets else "",
            title_html=highlight_all(stored.get("title", ""), terms),
            source=stored.get("source", ""),
            url=stored.get("url", ""),
            published=_day(stored.get("published")),
            duplicates=[self._report(other) for other in others],
        )

    def _report(self, docnum):
        """An article as a line under another report of its story."""
        stored = self._searcher.stored_fields(docnum)
        return {
            "id": stored["id"],
            "title": stored.get("title", ""),
            "source": stored.get("source", ""),
            "url": stored.get("url", ""),
            "published": _day(stored.get("published")),
        }

    def more_like_this(self, doc_id, limit=5):
        """Up to ``limit`` related stories for article ``doc_id`` (``[]`` when there is no
        such article), as hits with snippets; its own story's other reports are left out."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise QueryError(f"عدد المقالات ذات الصلة من 1 إلى {MAX_PAGE_SIZE}.")
        docnum = self._searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        no_terms = QueryTerms(None, self.schema)
        return [
            self._hit(other, score, no_terms, True, reports)
            for other, score, reports in more_like_this(self._searcher, self.signatures, docnum, limit)
        ]

    def _count(self, text, deadline, filters):
        """``(articles found, whether with all words)`` for ``text`` under ``filters``."""
        q = self.parse(text)
        total = self._run(q, 1, 1, deadline, filters).total
        if total == 0 and _has_several_parts(q):
            return self._run(self.parse(text, group=wq.Or), 1, 1, deadline, filters).total, False
        return total, True

    def complete(self, prefix, limit=8):
        """Whole queries completing the last word of ``prefix`` from the index's vocabulary
        (``completion.complete``); ``[]`` rather than an error for anything typed."""
        return completion.complete(self._searcher, prefix, limit)

    def ranked_ids(self, text, limit=100):
        """Ids and scores of the top ``limit`` documents, all words optional (the
        evaluation's batch mode)."""
        # Batch queries are questions in sentences: "ليس"/"بدون" there are not operators.
        q = self.compile(validate_query(text), group=wq.Or, operator_words=False)[1]
        return [(hit["id"], hit.score or 0.0) for hit in self._searcher.search(q, limit=limit)]

    def _run(self, q, page, page_size, deadline, filters=None, sortedby=None, group=False):
        # search_page() would answer a page past the end with the last page; a reader
        # (or script) asking for page 9 of 2 gets an empty page instead.
        filter_q = filters.query(self.schema) if filters else None
        if filter_q is not None:
            # In the query, not the collector's ``filter``: the deadline collector drives the
            # matching itself, which would bypass a filtering collector. Scores stay ``q``'s.
            q = wq.Require(q, filter_q)
        # Grouping folds reports, so a page of stories needs more ranked hits than it shows;
        # the ranking is lengthened until the page's grouping no longer depends on its end.
        limit = 2 * (page + 1) * page_size if group else page * page_size
        while True:
            collector = limits.DeadlineCollector(
                self._searcher.collector(limit=limit, sortedby=sortedby), deadline)
            try:
                self._searcher.search_with_collector(q, collector)
            except TimeLimit:
                raise QueryError(limits.TIMEOUT_MESSAGE) from None
            results = collector.results()
            ranked = [(docnum, _score(key)) for docnum, key in results.items()]
            if not group:
                entries = [(docnum, score, []) for docnum, score in ranked[(page - 1) * page_size:]]
                return _Page(entries, len(results))
            scores = dict(ranked)
            stories, folded, exhausted = paginate(list(scores), self.signatures.joins, page, page_size)
            if not exhausted or len(ranked) >= len(results):
                entries = [(leader, scores[leader], others) for leader, others in stories]
                return _Page(entries, len(results), len(results) - folded)
            limit *= 2

    def document(self, doc_id, query_text=""):
        """The stored article ``doc_id`` with its title and body highlighted for the
        query, or ``None``."""
        stored = self._searcher.document(id=doc_id)
        if stored is None:
            return None
        q = self.parse(validate_query(query_text)) if query_text.strip() else None
        terms = QueryTerms(positive_part(q) if q is not None else None, self.schema)
        docnum = self._searcher.document_number(id=doc_id)
        reports = same_story(self._searcher, self.signatures, docnum)
        return {
            "id": stored["id"],
            "title": stored.get("title", ""),
            "body": stored.get("body", ""),
            "title_html": highlight_all(stored.get("title", ""), terms),
            "body_html": highlight_all(stored.get("body", ""), terms),
            "source": stored.get("source", ""),
            "url": stored.get("url", ""),
            "published": _day(stored.get("published")),
            "duplicates": [self._report(other) for other in reports],
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
    """One page of hits as ``(docnum, score, [docnums of other reports])``, with the number
    of matching articles and, when grouped, of stories."""

    def __init__(self, entries, total, stories=None):
        self._entries = entries
        self.total = total
        self.stories = stories

    def __iter__(self):
        return iter(self._entries)


def _score(key):
    """A hit's score: sorted results carry the sort key, whose last part is ``-score``."""
    if isinstance(key, tuple):
        return -key[-1]
    return key or 0.0


def _day(published):
    return published.strftime("%Y-%m-%d") if published else None


def _has_several_parts(q):
    """Whether the query joins several words (or groups), so "any of them" differs
    from "all of them"; excluded words stay excluded either way."""
    if isinstance(q, wq.AndNot):
        q = q.a
    return isinstance(q, wq.And) and len(q.subqueries) > 1
