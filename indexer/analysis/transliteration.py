"""Transliteration keys: one form for the many Arabic spellings of a foreign name or
loanword (``جونغ``/``جونج``, ``بيونغ يانغ``/``بيونج يانج``, ``تلغرام``/``تيلجرام``).

Arabic writers render foreign sounds by two general habits, and the key undoes both:

* the sound /g/ has no Arabic letter: Egypt writes ``ج``, the Levant and the Gulf ``غ``,
  so both become ``ج``;
* foreign vowels are written as long vowels or left out (``تيلجرام``/``تلجرام``), so
  ``ا``, ``و`` and ``ي`` after the first letter are dropped.

The key is indexed in its own fields, weighted below exact and stemmed matches, so a
query in one spelling finds the others, ranked a little below articles spelled its way.
"""

from functools import lru_cache

from whoosh.analysis import Filter

from indexer.analysis import chars as c
from indexer.analysis.stemming import is_arabic_word, strip_article

G_SOUND = {c.GHAIN: c.JEEM}
LONG_VOWELS = frozenset({c.ALEF, c.WAW, c.YEH})
# A key of fewer letters says too little: the transliteration of ``يانغ`` (``ينج``) is
# the shortest we keep; ``يوم`` -> ``يم`` is not a name's skeleton.
MIN_KEY = 3


def transliteration_key(word):
    """``transliteration_key("تيلجرام")`` == ``transliteration_key("تلغرام")`` == ``"تلجرم"``;
    ``None`` for words the key does not apply to (Latin, numbers, short words)."""
    if not is_arabic_word(word):
        return None
    word = strip_article(word)
    key = word[0] + "".join(ch for ch in word[1:] if ch not in LONG_VOWELS)
    key = "".join(G_SOUND.get(ch, ch) for ch in key)
    return key if len(key) >= MIN_KEY else None


# Per-word cache: a frequent word's key is computed once per process.
_cached_key = lru_cache(maxsize=200_000)(transliteration_key)


class TransliterationKeyFilter(Filter):
    """Replaces each Arabic word by its transliteration key, drops the others."""

    def __call__(self, tokens):
        for t in tokens:
            key = None if t.stopped else _cached_key(t.text)
            if key:
                t.text = key
                yield t
