"""Coverage over time: the bars of the results page's chart, from the facet counts.

One bar per month, or per day when the dated results span less than two months, from
the first dated result to the last (periods without any are bars of height zero, so the
time axis is even). The date facets of a search are counted without its own date filter
(so the chart shows what lies outside the range too), so the bars are cut to the chosen
range here: a click on a month then shows that month's days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

# Fewer days than this between the first and the last dated result: one bar per day.
DAILY_SPAN_DAYS = 60
# A bar with any article is at least this tall (percent), so a single article shows.
MIN_HEIGHT = 3


@dataclass(frozen=True)
class Bar:
    """One period: its first and last day, its articles and its height in percent of
    the tallest bar."""

    start: date
    end: date
    count: int
    height: int


@dataclass(frozen=True)
class Coverage:
    unit: str  # "day" or "month"
    bars: list


def coverage(facets, date_from=None, date_to=None):
    """The chart for ``SearchResult.facets`` under the date filter ``date_from``..``date_to``
    (either may be ``None``), or ``None`` when there are fewer than two periods to show.
    Days come from ``facets["day"]``; without it, months from ``facets["month"]``."""
    low, high = date_from or date.min, date_to or date.max
    if facets.get("day"):
        days = {day: n for day, n in _counts(facets["day"]).items() if low <= day <= high}
        if not days:
            return None
        first, last = min(days), max(days)
        if (last - first).days < DAILY_SPAN_DAYS:
            periods = [(day, day) for day in _days(first, last)]
            return _chart("day", periods, days)
        months = {}
        for day, n in days.items():
            months[day.replace(day=1)] = months.get(day.replace(day=1), 0) + n
    else:
        months = {month: n for month, n in _counts(facets.get("month", [])).items()
                  if low <= _month_end(month) and month <= high}
        if not months:
            return None
    periods = [(max(month, low), min(_month_end(month), high)) for month in _months(min(months), max(months))]
    return _chart("month", periods, {max(month, low): n for month, n in months.items()})


def _chart(unit, periods, counts):
    if len(periods) < 2:
        return None
    tallest = max(counts.values())
    bars = []
    for start, end in periods:
        n = counts.get(start, 0)
        bars.append(Bar(start, end, n, max(MIN_HEIGHT, round(100 * n / tallest)) if n else 0))
    return Coverage(unit, bars)


def _counts(facet):
    """A date facet's entries (``"2025-07"`` or ``"2025-07-20"``) by their first day."""
    return {date.fromisoformat(entry["value"] + "-01" if len(entry["value"]) == 7 else entry["value"]): entry["count"]
            for entry in facet}


def _days(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _months(first, last):
    months = []
    while first <= last:
        months.append(first)
        first = _month_end(first) + timedelta(days=1)
    return months


def _month_end(month):
    following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1, day=1)
    return following - timedelta(days=1)
