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

    table = c.TO_WESTERN_DIGITS


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


# Distinct surface words cached per process before the cache is emptied: a news
# collection has a few hundred thousand, and a long-running server must stay bounded.
NORMALIZE_CACHE_SIZE = 500_000


class NormalizeFilter(Filter):
    """The normalization steps run as one filter, with a per-word cache: a surface word
    seen before (word frequencies are Zipfian) costs one dict lookup instead of ten
    passes over its letters. Gives exactly what the steps chained one by one give
    (``explain()`` still runs them one by one to show each).
    ``[t.text for t in (ArabicTokenizer() | NormalizeFilter())("الرئيسُ ﷺ")]``
    -> ``["الرءيس", "صلي", "الله", "عليه", "وسلم"]``.

    The cache is shared by every analyzer with the same steps (the stemmed, exact and
    transliteration fields see the same words), is not pickled into the index's schema,
    and starts empty in each indexing worker process."""

    _caches = {}

    def __init__(self, steps=NORMALIZERS):
        self.steps = tuple(steps)
        self._init_cache()

    def _init_cache(self):
        instances = [step() for step in self.steps]
        first = instances[0] if self.steps[0] is CompatibilityFilter else None
        self._first = first
        self._rest = [step.apply for step in instances[1:]] if first else [step.apply for step in instances]
        self._cache = NormalizeFilter._caches.setdefault(self.steps, {})

    def __getstate__(self):
        return {"steps": self.steps}

    def __setstate__(self, state):
        self.steps = state["steps"]
        self._init_cache()

    def __eq__(self, other):
        return type(other) is type(self) and self.steps == other.steps

    def __repr__(self):
        return f"NormalizeFilter({', '.join(step.__name__ for step in self.steps)})"

    def __hash__(self):
        return hash(self.steps)

    def parts(self, word):
        """The normalized forms of one token's text: one, or several for a ligature
        that spells several words (as ``CompatibilityFilter`` splits it)."""
        found = self._cache.get(word)
        if found is None:
            if self._first is not None:
                text = self._first.apply(word)
                pieces = [text] if " " not in text else text.split()
            else:
                pieces = [word]
            for apply in self._rest:
                pieces = [apply(piece) for piece in pieces]
            found = tuple(pieces)
            if len(self._cache) >= NORMALIZE_CACHE_SIZE:
                self._cache.clear()
            self._cache[word] = found
        return found

    def __call__(self, tokens):
        cache = self._cache
        for t in tokens:
            found = cache.get(t.text)
            if found is None:
                found = self.parts(t.text)
            if len(found) == 1:
                t.text = found[0]
                yield t
            else:
                for part in found:
                    t.text = part
                    yield t


def normalize(text):
    """Runs every normalization step over a whole string (used for word lists such as
    the stop words, so they meet the text in the same form)."""
    for step in NORMALIZERS:
        text = step().apply(text)
    return text
