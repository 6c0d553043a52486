"""Stop words: function words that carry no topic, dropped before stemming.

The Arabic list is the maintained ``Arabic-Stopwords`` package (T. Zerrouki), which
classes each base word and lists its forms with attached clitics (``وإن``, ``بأنهم``).
We keep the classes that are grammar (particles, pronouns, demonstratives, relatives,
question words, kana and its sisters) and drop the classes that, in news, are often
the topic itself: adverbs of place and time (``شمال``, ``شهر``, ``مساء``), the "five
nouns" (``أب``, ``أخ``), verbs of beginning (``أخذ``, ``قام``), interjections and the
name connector ``بن``. Every form is normalized with the same steps as the text, so
``إلى`` in the list meets ``الي`` in an article.
"""

from functools import lru_cache

from arabicstopwords import arabicstopwords as source
from whoosh.analysis import StopFilter
from whoosh.lang import stopwords_for_language

from indexer.analysis.normalize import normalize

CONTENT_CLASSES = frozenset({
    "ظرف مكان",
    "ظرف زمان",
    "ظرف زمان/مكان",
    "الأسماء الخمسة",
    "كاد و اخواتها",
    "اسم صوت",
    "اسم فعل",
    "المدح والذم",
    "وصل الأعلام",
    "اختصار",
})
# Bases whose listed clitic forms collide with common content words
# (``عل`` lists ``فعل``, "act"; ``ساء`` lists ``وساء``).
CONTENT_BASES = frozenset({"عل", "ساء", "نعم", "ابن"})
# Clitic forms that are also frequent content words: أمن is "security" more often
# than "is it who", فهم "understanding" more often than "so they".
CONTENT_FORMS = frozenset({"أمن", "ألم", "أكل", "إله", "فهم", "أمل", "أبو", "أبي"})
# The question hamza before a conjunction (``أو``, ``أف``: "and is it...?") is classical
# style; in news these letters start names and words (``أوبك`` OPEC, not "أوَ بِكَ").
QUESTION_PREFIXES = ("أو", "أف")
# Forms of kana and its sisters that are verbs of motion or change in news
# (``عاد`` returned, ``رجع``, ``تحول``, ``صار``...): only the copulas stay stop words.
COPULAS = ("كان", "ليس", "لست", "لسن", "ماانفك", "مابرح", "مادام", "مازال", "مافتئ", "لازال", "لازل", "مازل", "مادم")


def _is_grammar(base):
    if base in CONTENT_BASES:
        return False
    classes = {entry["category"] for entry in source.STOPWORDS.get(base, [])}
    if "كان و أخواتها" in classes:
        return base.startswith(COPULAS)
    return bool(classes - CONTENT_CLASSES)


def _asks(form, base):
    """Whether ``form`` is ``base`` behind the question hamza and a conjunction."""
    return form.startswith(QUESTION_PREFIXES) and not base.startswith(QUESTION_PREFIXES)


@lru_cache(maxsize=1)
def arabic_stop_words():
    """The normalized Arabic stop words with their clitic forms, e.g. ``بانهم``, ``الي``."""
    words = set()
    for base, forms in source.STOPWORDS_INDEX.items():
        if _is_grammar(base):
            words.add(normalize(base))
            words.update(normalize(w) for w in forms if w not in CONTENT_FORMS and not _asks(w, base))
    return frozenset(words)


@lru_cache(maxsize=1)
def stop_words():
    """Arabic and English stop words, normalized."""
    return arabic_stop_words() | frozenset(stopwords_for_language("en"))


def ArabicStopFilter():
    """Drops stop words; single characters are kept unless listed, so a number like
    ``5`` survives while ``و`` alone does not.
    ``[t.text for t in (tokenizer | ArabicStopFilter())("قال إنه في بيروت")]`` -> ``["قال", "بيروت"]``
    (normalization runs first in the real analyzer)."""
    return StopFilter(stoplist=stop_words(), minsize=1)
