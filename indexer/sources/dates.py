"""Publication dates as news sites write them, parsed into naive UTC ``datetime`` objects.

Understood (digits may be Arabic-Indic ``٠-٩`` or Persian ``۰-۹``):

- ISO 8601: ``2025-07-15``, ``2025-07-15T10:30:00+03:00``, ``2025-07-15 10:30``
- RFC 2822 (RSS feeds, e-mail): ``Tue, 15 Jul 2025 10:30:00 +0300``
- numeric, year first or day first: ``2025/07/15``, ``15/07/2025``, ``15-7-2025``, ``15.07.2025``
  (day before month: the order used across the Arabic-speaking world)
- month names, day first or month first, with an optional weekday, ``م`` (Gregorian era),
  and time: ``15 يوليو 2025``, ``الثلاثاء ١٥ تموز ٢٠٢٥م``, ``15 كانون الثاني 2025 - 10:30 م``,
  ``July 15, 2025``, ``15 Jul 2025``. Month names: the Egyptian/Gulf series (يناير، فبراير...),
  the Levantine/Iraqi series (كانون الثاني، شباط...), the Maghrebi series (جانفي، فيفري...)
  and English, in any hamza/alef spelling (أبريل/ابريل/إبريل).
- a number: Unix time in seconds.

A date with a zone is converted to UTC and the zone dropped, because the index stores
naive datetimes. Hijri dates (``هـ``) are not converted: ``parse_date`` returns ``None``.
"""

import email.utils
import re
from datetime import datetime, timezone

from indexer.analysis.chars import TO_WESTERN_DIGITS

ALEF_HAMZA_ABOVE = "\u0623"
ALEF_HAMZA_BELOW = "\u0625"
ALEF_MADDA = "\u0622"
ALEF = "\u0627"
ALEF_MAKSURA = "\u0649"
YEH = "\u064a"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
TATWEEL = "\u0640"
_SPELLING = str.maketrans(
    {ALEF_HAMZA_ABOVE: ALEF, ALEF_HAMZA_BELOW: ALEF, ALEF_MADDA: ALEF, ALEF_MAKSURA: YEH, TEH_MARBUTA: HEH, TATWEEL: None}
)
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
# Bidi marks that copy-paste from web pages leaves around dates.
_INVISIBLE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _spelling_key(word):
    """One spelling for every way a month name is written (hamza seats, ى/ي, ة/ه, harakat)."""
    return re.sub(r"\s+", " ", _DIACRITICS.sub("", word).translate(_SPELLING)).lower()


_MONTH_NAMES = {
    # Egyptian / Gulf (transliterated from the Latin names)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونية": 6,
    "يوليو": 7, "يولية": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi (Syriac names); two-word names are matched before their last word alone
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    # Maghrebi (from the French names) and Moroccan variants
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "يوليوز": 7, "أوت": 8,
    "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # English, full and abbreviated
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTHS = {_spelling_key(name): number for name, number in _MONTH_NAMES.items()}
_MONTH_PATTERN = "|".join(sorted((re.escape(key) for key in MONTHS), key=len, reverse=True))

_TIME = r"(?:\D*?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>صباحا|مساء|ص|م|am|pm)?)?"
_NAMED_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}})\s*(?:من\s+)?(?P<month>{_MONTH_PATTERN})\s*,?\s*(?P<year>\d{{4}})\s*م?\b{_TIME}"
)
_NAMED_MONTH_FIRST = re.compile(
    rf"(?P<month>{_MONTH_PATTERN})\.?\s+(?P<day>\d{{1,2}})\s*,?\s*(?P<year>\d{{4}}){_TIME}"
)
_YEAR_FIRST = re.compile(rf"(?P<year>\d{{4}})[/.\-](?P<month>\d{{1,2}})[/.\-](?P<day>\d{{1,2}}){_TIME}")
_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})[/.\-](?P<month>\d{{1,2}})[/.\-](?P<year>\d{{4}}){_TIME}")
_HIJRI = re.compile(r"\d\s*هـ|هجري")


def parse_date(value):
    """``value`` (a string, a Unix time, or a ``datetime``) as a naive UTC ``datetime``, or
    ``None`` when it is not a date this module understands.

    >>> parse_date("الثلاثاء ١٥ تموز ٢٠٢٥")
    datetime.datetime(2025, 7, 15, 0, 0)
    """
    if isinstance(value, datetime):
        return _naive_utc(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_timestamp(value)
    if not isinstance(value, str):
        return None
    text = _INVISIBLE.sub("", value).translate(TO_WESTERN_DIGITS).strip()
    if not text or _HIJRI.search(text):
        return None
    if re.fullmatch(r"\d{9,10}(\.\d+)?", text):
        return _from_timestamp(float(text))
    return _iso(text) or _rfc2822(text) or _with_month_name(text) or _numeric(text)


def _naive_utc(moment):
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _from_timestamp(seconds):
    try:
        return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(text):
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return _naive_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _rfc2822(text):
    if not re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        return _naive_utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _with_month_name(text):
    key = _spelling_key(text)
    for pattern in (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST):
        found = pattern.search(key)
        if found:
            return _build(found, MONTHS[found["month"]])
    return None


def _numeric(text):
    for pattern in (_YEAR_FIRST, _DAY_FIRST):
        found = pattern.search(text)
        if found:
            return _build(found, int(found["month"]))
    return None


def _build(found, month):
    hour = int(found["hour"] or 0)
    half = (found["half"] or "").lower()
    # "م" after a time is مساءً (p.m.); after a year it is the era and never reaches here.
    if half in ("م", "مساء", "pm") and hour < 12:
        hour += 12
    elif half in ("ص", "صباحا", "am") and hour == 12:
        hour = 0
    try:
        return datetime(int(found["year"]), month, int(found["day"]), hour, int(found["minute"] or 0), int(found["second"] or 0))
    except ValueError:
        return None
