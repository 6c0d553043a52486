"""Filters, facet counts and sort orders over the articles' outlet and publication date.

Filters combine as a reader expects from check boxes and a date range: several sources
are alternatives (OR), the range is inclusive at both ends, and the two kinds narrow each
other (AND). Facet counts are over the whole result set of the query, counted by Whoosh's
grouping collector from the sortable columns, not over the page shown. Each facet is
counted with the *other* filters applied but not its own ("disjunctive" faceting), so
ticking one outlet still shows how many hits the others would add.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from whoosh import query as wq
from whoosh import sorting
from whoosh.collectors import TimeLimit
from whoosh.util.times import long_to_datetime

from indexer import limits
from indexer.limits import QueryError

SORTS = ("relevance", "newest")
# Facets a result carries, with the key each article is counted under.
FACETS = ("source", "year", "month", "day")
# More distinct sources than any collection's facet lists is a hand-made request.
MAX_SOURCES = 50


@dataclass(frozen=True)
class Filters:
    """The outlets (any of them) and the inclusive date range a search is narrowed to."""

    sources: tuple = ()
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_params(cls, source=None, date_from=None, date_to=None):
        """Filters from ``search()``'s arguments; ``QueryError`` for values that cannot be
        a filter. ``source`` is one outlet or a list of them; blanks and repeats are dropped."""
        given = [source] if isinstance(source, str) else list(source or ())
        if not all(isinstance(s, str) for s in given):
            raise QueryError("اسم المصدر يجب أن يكون نصًا.")
        sources = tuple(dict.fromkeys(s.strip() for s in given if s.strip()))
        if len(sources) > MAX_SOURCES:
            raise QueryError(f"اختر {MAX_SOURCES} مصدرًا على الأكثر.")
        for bound in (date_from, date_to):
            if bound is not None and not isinstance(bound, date):
                raise QueryError("التاريخ يجب أن يُكتب على صورة YYYY-MM-DD.")
        if date_from and date_to and _day(date_from) > _day(date_to):
            raise QueryError("تاريخ البداية بعد تاريخ النهاية.")
        return cls(sources, date_from and _day(date_from), date_to and _day(date_to))

    def __bool__(self):
        return bool(self.sources or self.date_from or self.date_to)

    def query(self, schema, without=None):
        """A Whoosh query matching the articles these filters keep (``None`` when nothing
        is filtered); ``without="source"`` or ``"date"`` leaves that filter out."""
        parts = []
        if self.sources and without != "source" and "source" in schema:
            parts.append(wq.Or([wq.Term("source", s) for s in self.sources]))
        if (self.date_from or self.date_to) and without != "date" and "published" in schema:
            start = datetime.combine(self.date_from, time.min) if self.date_from else None
            end = datetime.combine(self.date_to, time.max) if self.date_to else None
            parts.append(wq.DateRange("published", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def to_dict(self):
        return {
            "source": list(self.sources),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def _day(value):
    """A ``datetime`` given for a date bound counts as its calendar day."""
    return value.date() if isinstance(value, datetime) else value


def check_sort(sort):
    if sort not in SORTS:
        raise QueryError(f"ترتيب غير معروف: {sort!r}؛ المتاح: {'، '.join(SORTS)}.")
    return sort


def sort_order(sort):
    """The ``sortedby`` of a Whoosh search for ``sort``: ``None`` ranks by score;
    ``"newest"`` orders by publication date, newest first, undated last, then by score."""
    if check_sort(sort) == "relevance":
        return None
    return sorting.MultiFacet([PublishedFacet("newest"), sorting.ScoreFacet()])


def facet_counts(searcher, q, filters, deadline=None):
    """``{"source": [{"value", "count"}, ...], "year": [...], "month": [...], "day": [...]}``
    over every match of ``q`` (most hits first, then by value; dates newest first).
    Articles without the field are not counted under any value. Counting stops with
    ``QueryError`` once ``deadline`` (``time.monotonic()``) has passed, like the search."""
    schema = searcher.schema
    wanted = {
        "source": sorting.FieldFacet("source", maptype=sorting.Count),
        "year": PublishedFacet("year", maptype=sorting.Count),
        "month": PublishedFacet("month", maptype=sorting.Count),
        # In the same pass as years and months: one more key from the column already read.
        "day": PublishedFacet("day", maptype=sorting.Count),
    }
    wanted = {name: facet for name, facet in wanted.items() if _field_of(name) in schema}
    # One collection when no filter applies; otherwise one per facet that ignores its own filter.
    runs = {}
    for name in wanted:
        without = "source" if name == "source" else "date"
        runs.setdefault(filters.query(schema, without=without) if filters else None, []).append(name)
    counts = {name: [] for name in FACETS}
    for filter_q, names in runs.items():
        collector = searcher.collector(limit=1, groupedby={n: wanted[n] for n in names})
        if deadline is not None:
            collector = limits.DeadlineCollector(collector, deadline)
        try:
            # The filter goes in the query: the deadline collector would bypass a filtering one.
            searcher.search_with_collector(q if filter_q is None else wq.Require(q, filter_q), collector)
        except TimeLimit:
            raise QueryError(limits.TIMEOUT_MESSAGE) from None
        results = collector.results()
        for name in names:
            groups = results.groups(name)
            counts[name] = _ordered(name, {value: n for value, n in groups.items() if value})
    return counts


def _field_of(facet_name):
    return "source" if facet_name == "source" else "published"


def _ordered(name, groups):
    if name == "source":
        ranked = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
    else:
        ranked = sorted(groups.items(), reverse=True)
    return [{"value": value, "count": count} for value, count in ranked]


class PublishedFacet(sorting.FacetType):
    """Keys from the ``published`` column: ``"year"`` (``"2025"``), ``"month"``
    (``"2025-07"``), ``"day"`` (``"2025-07-20"``), or ``"newest"`` for sorting.

    Whoosh's own ``FieldFacet("published")`` cannot be used: an undated article's column
    holds the all-ones sentinel, which Whoosh cannot turn back into a date, and which a
    reversed sort would put first instead of last."""

    def __init__(self, kind, maptype=None):
        self.kind = kind
        self.maptype = maptype

    def categorizer(self, global_searcher):
        return _PublishedCategorizer(self.kind)


# DATETIME columns store a date as a 64-bit count of microseconds; undated is all ones.
_UNDATED = 2**64 - 1


class _PublishedCategorizer(sorting.Categorizer):
    def __init__(self, kind):
        self.kind = kind
        self._column = None

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        self._column = reader.column_reader("published", translate=False) if reader.has_column("published") else None

    def key_for(self, matcher, segment_docnum):
        value = self._column[segment_docnum] if self._column is not None else _UNDATED
        dated = value != _UNDATED
        if self.kind == "newest":
            # Sort keys ascend: dated before undated, then the largest date first.
            return (0, -value) if dated else (1, 0)
        if not dated:
            return ""
        moment = long_to_datetime(value)
        if self.kind == "year":
            return f"{moment.year:04d}"
        if self.kind == "month":
            return f"{moment.year:04d}-{moment.month:02d}"
        return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
