"""Stemming: Arabic light stemming (clitics and inflection suffixes off, no roots) and
English Snowball stemming for Latin words.

The Arabic rules follow Larkey, Ballesteros and Connell's light10 stemmer (2002), the
basis of Lucene's ``ArabicStemmer``, on normalized text (teh marbuta is already heh,
hamza seats are unified), with longer guards: a stem keeps at least three letters, so
short words survive (``بلد``, ``ولد``) and ``الحق`` -> ``حق`` is the only way to two.
"""

from functools import lru_cache

from whoosh.analysis import Filter
from whoosh.lang import stemmer_for_language

from indexer.analysis import chars as c

# Definite article with the conjunctions (و ف) and prepositions (ب ك ل) that attach to
# it, longest first so ``وبال`` wins over ``وب``. ``لل`` is li- + al- with the alef
# dropped, as Arabic writes it.
ARTICLE_PREFIXES = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
# A stripped article must leave two letters (``الحق`` -> ``حق``).
ARTICLE_MIN_STEM = 2
# Conjunctions written attached to any word. Only stripped when three letters remain,
# since many roots start with waw or feh (``ولد``, ``فتح``).
CONJUNCTIONS = (c.WAW, c.FEH)
CONJUNCTION_MIN_STEM = 3
# Suffixes in the order light10 tries them: feminine/pronoun ``ها``, dual ``ان``, plurals
# ``ات`` ``ون`` ``ين``, nisba + feminine ``يه``, pronoun/feminine ``ه``, nisba/pronoun ``ي``.
# Each is stripped at most once, and only when three letters remain.
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
SUFFIX_MIN_STEM = 3
# Words the rules would break: the name of God (not ال + له), proper names ending in a
# suffix-like letter sequence that are written this way in every inflection.
PROTECTED = frozenset({"الله", "اللهم"})


def is_arabic_word(word):
    return bool(word) and all("\u0621" <= ch <= "\u064a" for ch in word)


@lru_cache(maxsize=200_000)
def light_stem(word):
    """Light-stems one normalized Arabic word.
    ``light_stem("والمدارس")`` -> ``"مدارس"``, ``light_stem("المسلمين")`` -> ``"مسلم"``."""
    if word in PROTECTED or not is_arabic_word(word):
        return word
    for prefix in ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= ARTICLE_MIN_STEM:
            word = word[len(prefix):]
            break
    else:
        if word[0] in CONJUNCTIONS and len(word) - 1 >= CONJUNCTION_MIN_STEM:
            word = word[1:]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= SUFFIX_MIN_STEM:
            word = word[: -len(suffix)]
    return word


class ArabicLightStemFilter(Filter):
    """Light-stems Arabic tokens, leaves others alone:
    ``الكتاب`` -> ``كتاب``, ``وللاعبين`` -> ``لاعب`` is not promised; ``Moscow`` is untouched."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = light_stem(t.text)
            yield t


_english_stem = lru_cache(maxsize=50_000)(stemmer_for_language("en"))


class EnglishStemFilter(Filter):
    """Snowball-stems Latin words, leaves Arabic alone: ``Presidents`` -> ``presid``."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if t.text.isascii() and t.text.isalpha():
                t.text = _english_stem(t.text)
            yield t
