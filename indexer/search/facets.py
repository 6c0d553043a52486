"""Filters, facet counts and sort orders over the articles' outlet and publication date.

Filters combine as a reader expects from check boxes and a date range: several sources
are alternatives (OR), the range is inclusive at both ends, and the two kinds narrow each
other (AND). Facet counts are over the whole result set of the query, counted by the
engine from unscored matches (columns or aggregations), not over the page shown. Each facet is
counted with the *other* filters applied but not its own ("disjunctive" faceting), so
ticking one outlet still shows how many hits the others would add.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from indexer.indexing.schema import FACETS
from indexer.search.limits import QueryError

SORTS = ("relevance", "newest")
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

    def without(self, kind):
        """These filters less the ``"source"`` or ``"date"`` one (disjunctive facets)."""
        if kind == "source":
            return Filters((), self.date_from, self.date_to)
        return Filters(self.sources)

    def moments(self):
        """The date range as ``(first instant, last instant)``, ``None`` where open."""
        start = datetime.combine(self.date_from, time.min) if self.date_from else None
        end = datetime.combine(self.date_to, time.max) if self.date_to else None
        return start, end

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


def facet_counts(reader, plan, filters, deadline=None):
    """``{"source": [{"value", "count"}, ...], "year": [...], "month": [...], "day": [...]}``
    over every match of ``plan`` (most hits first, then by value; dates newest first).
    Articles without the field are not counted under any value. Each facet is counted
    with the other filters but not its own; no filter means one unscored pass."""
    runs = {}
    for name in FACETS:
        runs.setdefault(filters.without("source" if name == "source" else "date"), []).append(name)
    counts = {}
    for run_filters, names in runs.items():
        for name, groups in reader.facet_counts(plan, run_filters or None, names, deadline).items():
            counts[name] = _ordered(name, groups)
    return counts


def _ordered(name, groups):
    if name == "source":
        ranked = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
    else:
        ranked = sorted(groups.items(), reverse=True)
    return [{"value": value, "count": count} for value, count in ranked]
