"""What a search asks for, read from the address's parameters and written back into links.

The results page and the JSON API take the same parameters (``q``, ``page``,
``page_size``, ``sort``, ``source`` (repeatable), ``from``, ``to``), so both read them
here, and every link the page makes (pagination, sort, facets) is written here, so a
page of results always has one stable address.
"""

import re
from dataclasses import dataclass, replace
from datetime import date

from indexer.analysis.chars import TO_WESTERN_DIGITS
from indexer.search.facets import MAX_SOURCES, SORTS
from indexer.sources.dates import parse_date

# ARABIC-INDIC DIGIT ZERO..NINE and EXTENDED ARABIC-INDIC (Persian) ZERO..NINE, read as 0-9:
# a date typed on an Arabic keyboard is still a date.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# indexer.sources.dates reads a bare number as Unix time; a reader typing one means no day.
_NUMBER = re.compile(r"[\d.]+")


class BadParameter(ValueError):
    """A parameter a search cannot be run with. ``name`` is the parameter; the message
    (English, for scripts) says what is wrong; pages explain it in Arabic by ``name``."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    page: int = 1
    sort: str = "relevance"
    sources: tuple = ()
    date_from: date | None = None
    date_to: date | None = None

    @property
    def filtered(self):
        """Whether a source or date filter narrows the results."""
        return bool(self.sources or self.date_from or self.date_to)

    def search_kwargs(self):
        """The keyword arguments of ``SearchIndex.search`` besides the text and page size."""
        return {"page": self.page, "sort": self.sort, "source": list(self.sources) or None,
                "date_from": self.date_from, "date_to": self.date_to}

    def url_args(self, **changes):
        """The parameters of this search's address, with ``changes`` applied (any field,
        e.g. ``page=2``). Defaults are left out: page 1, relevance order, no filters."""
        params = replace(self, **changes)
        return {
            "q": params.q,
            "page": params.page if params.page > 1 else None,
            "sort": params.sort if params.sort != "relevance" else None,
            "source": list(params.sources) or None,
            "from": params.date_from.isoformat() if params.date_from else None,
            "to": params.date_to.isoformat() if params.date_to else None,
        }


def read_filters(args):
    """``sort``, ``source``, ``from`` and ``to`` of the request's ``args`` as the fields of
    ``SearchParams``; raises ``BadParameter``."""
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort", f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    # Order kept, repeats and blanks dropped: a checkbox form sends exactly this.
    sources = tuple(dict.fromkeys(s.strip() for s in args.getlist("source") if s.strip()))
    if len(sources) > MAX_SOURCES:
        raise BadParameter("source", f"at most {MAX_SOURCES} source values, not {len(sources)}")
    date_from, date_to = read_date(args, "from"), read_date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadParameter("to", f"from ({date_from}) is after to ({date_to})")
    return {"sort": sort, "sources": sources, "date_from": date_from, "date_to": date_to}


def read_date(args, name):
    """The day in parameter ``name``, or ``None`` when it is absent or blank: ``2025-07-20``
    or any form ``indexer.sources.dates`` reads (``٢٠ يوليو ٢٠٢٥``, ``20/7/2025``, ``تموز 20, 2025``),
    Western or Arabic-Indic digits."""
    text = args.get(name, "").strip().translate(TO_WESTERN_DIGITS)
    if not text:
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    moment = None if _NUMBER.fullmatch(text) else parse_date(text)
    if moment is None:
        raise BadParameter(name, f"{name} must be a date such as 2025-07-20, not {args.get(name)!r}")
    return moment.date()


def iso_dates(args, params):
    """Whether the request's ``from`` and ``to`` are written as ``params`` writes them
    (``YYYY-MM-DD``), so the address is already the one to keep."""
    written = params.url_args()
    return all(args.get(name, "").strip() in ("", written[name]) for name in ("from", "to"))


def whole_number(args, name, default, maximum):
    """The whole number in parameter ``name``, from 1 to ``maximum``; raises ``BadParameter``."""
    text = args.get(name)
    if text is None:
        return default
    try:
        value = int(text.translate(TO_WESTERN_DIGITS))
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number, not {text!r}") from None
    if not 1 <= value <= maximum:
        raise BadParameter(name, f"{name} must be from 1 to {maximum}, not {value}")
    return value
