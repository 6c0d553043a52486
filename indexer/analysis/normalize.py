"""Normalization steps: each maps a few characters so that spellings readers treat as the
same word meet in one form. They only change token text, never offsets, so highlighting
still points at the word as the article wrote it.

Each step is a Whoosh filter; ``NORMALIZERS`` lists them in the order the analyzer runs them.
"""

import unicodedata

from whoosh.analysis import Filter

from indexer.analysis import chars as c


class CharMapFilter(Filter):
    """Base for steps that are a character table: ``table`` maps a character to its
    replacement (``""`` deletes it). Subclasses only declare the table and say why.
    A table that deletes marks sets ``recompose``: a letter and an accent the deleted
    mark kept apart (``e`` U+0610 U+0301) are then composed, as NFKC would have composed
    them, so normalizing a normalized text changes nothing."""

    table: dict = {}
    recompose = False

    def __init__(self):
        self._translation = str.maketrans(self.table)

    def apply(self, text):
        text = text.translate(self._translation)
        return unicodedata.normalize("NFC", text) if self.recompose else text

    def __call__(self, tokens):
        for t in tokens:
            t.text = self.apply(t.text)
            yield t


class CompatibilityFilter(Filter):
    """Unicode NFKC: Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) and
    ligatures become the plain letters, full-width Latin becomes ASCII.
    ``ﻻ`` -> ``لا``, ``ﺑﻴﺖ`` -> ``بيت``.
    A ligature that expands to several words (``ﷺ``) gives one token per word, all
    pointing at the ligature in the original text."""

    def apply(self, text):
        return unicodedata.normalize("NFKC", text)

    def __call__(self, tokens):
        for t in tokens:
            text = unicodedata.normalize("NFKC", t.text)
            if " " not in text:
                t.text = text
                yield t
                continue
            for part in text.split():
                t.text = part
                yield t


class StripDiacriticsFilter(CharMapFilter):
    """Removes harakat, tanwin, shadda, sukun, superscript (dagger) alef and Quranic
    annotation marks, and the zero-width (non-)joiners: readers rarely type them and
    texts use them inconsistently. ``مُحَمَّدٌ`` -> ``محمد``. Small waw/yeh in Quranic
    spelling stand for long vowels and become plain ``و``/``ي``."""

    table = {
        **{m: "" for m in c.HARAKAT + c.QURANIC_MARKS},
        c.SUPERSCRIPT_ALEF: "",
        c.ZWNJ: "",
        c.ZWJ: "",
        c.SMALL_WAW: c.WAW,
        c.SMALL_YEH: c.YEH,
    }
    recompose = True


class StripTatweelFilter(CharMapFilter):
    """Removes tatweel (kashida), a purely typographic stretch: ``جمـــيل`` -> ``جميل``."""

    table = {c.TATWEEL: ""}
    recompose = True


class PersianLettersFilter(CharMapFilter):
    """Maps Persian, Urdu and Kurdish letter forms to the Arabic letters they stand for
    (keyboards and sources mix them): ``ک`` -> ``ك``, ``ی`` -> ``ي``, ``ە``/``ھ`` -> ``ه``.
    Letters for sounds Arabic lacks take their usual Arabic transliteration:
    ``پ`` -> ``ب``, ``ڤ`` -> ``ف``, ``چ`` -> ``ج``, ``ژ`` -> ``ز``, ``گ`` -> ``ك``."""

    table = {
        c.KEHEH: c.KAF,
        c.SWASH_KAF: c.KAF,
        c.GAF: c.KAF,
        c.FARSI_YEH: c.YEH,
        c.YEH_BARREE: c.YEH,
        c.AE: c.HEH,
        c.HEH_DOACHASHMEE: c.HEH,
        c.HEH_GOAL: c.HEH,
        c.HEH_YEH: c.HEH,
        c.TEH_MARBUTA_GOAL: c.TEH_MARBUTA,
        c.VEH: c.FEH,
        c.PEH: c.BEH,
        c.TCHEH: c.JEEM,
        c.JEH: c.ZAIN,
    }


class AlefFilter(CharMapFilter):
    """Hamza and madda on alef, and alef wasla, become bare alef: writers drop them
    freely. ``أحمد``/``إحمد``/``آمن``/``ٱلله`` -> ``احمد``/``احمد``/``امن``/``الله``."""

    table = {
        c.ALEF_HAMZA_ABOVE: c.ALEF,
        c.ALEF_HAMZA_BELOW: c.ALEF,
        c.ALEF_MADDA: c.ALEF,
        c.ALEF_WASLA: c.ALEF,
    }


class HamzaSeatFilter(CharMapFilter):
    """Hamza on waw and on yeh become the bare hamza: the seat varies by country and
    writer (``مسؤول``/``مسئول``, ``شؤون``/``شئون``), the hamza does not."""

    table = {c.WAW_HAMZA: c.HAMZA, c.YEH_HAMZA: c.HAMZA}


class AlefMaksuraFilter(CharMapFilter):
    """Alef maksura becomes yeh, as Egyptian print writes final yeh without dots and
    others the reverse: ``على``/``علي`` and ``مستشفى``/``مستشفي`` meet."""

    table = {c.ALEF_MAKSURA: c.YEH}


class TehMarbutaFilter(CharMapFilter):
    """Teh marbuta becomes heh, the two are written interchangeably at word end:
    ``مدرسة``/``مدرسه``."""

    table = {c.TEH_MARBUTA: c.HEH}


class DigitsFilter(CharMapFilter):
    """Arabic-Indic and Persian digits become ASCII digits: ``٢٠٢٥`` -> ``2025``."""

    table = {
        **{d: str(i) for i, d in enumerate(c.ARABIC_INDIC_DIGITS)},
        **{d: str(i) for i, d in enumerate(c.PERSIAN_DIGITS)},
    }


class LowercaseFilter(Filter):
    """Case-folds Latin (and other cased) letters: ``KCNA`` -> ``kcna``."""

    def apply(self, text):
        return text.casefold()

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.casefold()
            yield t


NORMALIZERS = (
    CompatibilityFilter,
    StripDiacriticsFilter,
    StripTatweelFilter,
    PersianLettersFilter,
    AlefFilter,
    HamzaSeatFilter,
    AlefMaksuraFilter,
    TehMarbutaFilter,
    DigitsFilter,
    LowercaseFilter,
)


def normalize(text):
    """Runs every normalization step over a whole string (used for word lists such as
    the stop words, so they meet the text in the same form)."""
    for step in NORMALIZERS:
        text = step().apply(text)
    return text
