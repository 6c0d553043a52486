"""Transliteration keys: one form for the many Arabic spellings of a foreign name or
loanword (``جونغ``/``جونج``, ``بيونغ يانغ``/``بيونج يانج``, ``تلغرام``/``تيلجرام``).

Arabic writers render foreign sounds by two general habits, and the key undoes both:

* the sound /g/ has no Arabic letter: Egypt writes ``ج``, the Levant and the Gulf ``غ``,
  so both become ``ج``;
* foreign vowels are written as long vowels or left out (``تيلجرام``/``تلجرام``), so
  ``ا``, ``و`` and ``ي`` after the first letter are dropped.

The key is taken from the word without its article and attached conjunctions and
prepositions, stripped as the stemmer strips them (``stemming.strip_prefixes``), so
``وجونغ``, ``بجونج`` and ``للجونغ`` have the key of ``جونغ``.

The key is indexed in its own fields, weighted below exact and stemmed matches, so a
query in one spelling finds the others, ranked a little below articles spelled its way.
"""

from functools import lru_cache

from whoosh.analysis import Filter

from indexer.analysis import chars as c
from indexer.analysis.stemming import is_arabic_word, strip_prefixes

G_SOUND = {c.GHAIN: c.JEEM}
LONG_VOWELS = frozenset({c.ALEF, c.WAW, c.YEH})
# A key of fewer letters says too little: the transliteration of ``يانغ`` (``ينج``) is
# the shortest we keep; ``يوم`` -> ``يم`` is not a name's skeleton.
MIN_KEY = 3


def transliteration_key(word, vocabulary=None):
    """``transliteration_key("تيلجرام")`` == ``transliteration_key("وبتلغرام")`` == ``"تلجرم"``;
    ``None`` for words the key does not apply to (Latin, numbers, short words).
    ``vocabulary`` (``stemming.Vocabulary``) attests clitics as for the stemmer."""
    if not is_arabic_word(word):
        return None
    word = strip_prefixes(word, vocabulary)
    key = word[0] + "".join(ch for ch in word[1:] if ch not in LONG_VOWELS)
    key = "".join(G_SOUND.get(ch, ch) for ch in key)
    return key if len(key) >= MIN_KEY else None


# Per-word cache without a vocabulary: a frequent word's key is computed once per process.
_cached_key = lru_cache(maxsize=200_000)(transliteration_key)


class TransliterationKeyFilter(Filter):
    """Replaces each Arabic word by its transliteration key, drops the others; with a
    ``Vocabulary``, clitics are stripped only where it attests them."""

    def __init__(self, vocabulary=None):
        self.vocabulary = vocabulary or None
        self._cache = {}

    def __eq__(self, other):
        return type(other) is type(self) and self.vocabulary is other.vocabulary

    def key(self, word):
        if self.vocabulary is None:
            return _cached_key(word)
        found = self._cache.get(word, "")
        if found == "":
            found = self._cache[word] = transliteration_key(word, self.vocabulary)
        return found

    def __call__(self, tokens):
        for t in tokens:
            key = None if t.stopped else self.key(t.text)
            if key:
                t.text = key
                yield t
