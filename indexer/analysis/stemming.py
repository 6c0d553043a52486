"""Stemming: Arabic light stemming (clitics and inflection suffixes off, no roots) and
English Snowball stemming for Latin words.

The Arabic rules follow Larkey, Ballesteros and Connell's light10 stemmer (2002), the
basis of Lucene's ``ArabicStemmer``, on normalized text (teh marbuta is already heh,
hamza seats are unified), with two changes:

* Longer guards: a stem keeps at least three letters (``بلد``, ``ولد`` survive), only
  the definite article may leave two (``الحق`` -> ``حق``).
* The article is the word's own letters when the collection puts an article before it:
  the article is never written twice, so ``الألمانية`` shows that ``ألمانية`` starts
  with root letters ``ال`` (written with hamza, which normalization drops): ``ألمانية``,
  ``الألمانية`` and ``والألمانية`` all stem to ``المان``, as ``ألعاب``/``الألعاب`` to
  ``العاب`` and ``آلاف``/``الآلاف`` to ``الاف`` (Lucene's light stemmer, and ours without
  this, cut ``ألمانية`` to ``مان`` but ``الألمانية`` to ``المان``).
* Attestation: a one-letter clitic (conjunction ``و``/``ف``, preposition ``ب``/``ل``/``ك``,
  future ``س``) is often a root letter instead (``وزير``, ``فلسطين``, ``بلاد``, ``سياسة``).
  Given the collection's vocabulary, we strip it only when what remains is itself a word
  of the collection, at least ``ATTESTATION_RATIO`` times as frequent as the whole
  form: ``وقال`` -> ``قال``, but ``وزير`` stays. Without a vocabulary (or for the
  ambiguous ``لل`` + lam-initial words, ``للاعبين``) the same evidence decides, and plain
  rules apply only where there is none.
"""

from functools import lru_cache

from whoosh.analysis import Filter
from whoosh.lang import stemmer_for_language

from indexer.analysis import chars as c

# Definite article with the conjunctions (و ف) and prepositions (ب ك ل) that attach to
# it, longest first so ``وبال`` wins over ``وب``. ``لل`` is li- + al- with the alef
# dropped, as Arabic writes it.
ARTICLE_PREFIXES = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
ARTICLE = "ال"
# A stripped article must leave two letters (``الحق`` -> ``حق``).
ARTICLE_MIN_STEM = 2
# One-letter clitics: conjunctions, then prepositions and the future particle, which
# may follow a conjunction (``وب``, ``فس``). Without a vocabulary only the conjunctions
# are stripped (light10); the others need attestation.
CONJUNCTIONS = (c.WAW, c.FEH)
PREPOSITIONS = (c.BEH, c.LAM, c.KAF)
FUTURE = c.SEEN
# The future particle only comes before an imperfect verb prefix (سيقول, ستعقد, سنرى).
IMPERFECT_PREFIXES = (c.YEH, c.TEH, c.NOON, c.ALEF)
CLITIC_MIN_STEM = 3
# Stripping a clitic needs the remainder to be at least this frequent, relative to the
# whole form: ``زير`` (rare) does not justify reading ``وزير`` as "and + zir".
ATTESTATION_RATIO = 0.5
# Suffixes in the order light10 tries them: feminine/pronoun ``ها``, dual ``ان``, plurals
# ``ات`` ``ون`` ``ين``, nisba + feminine ``يه``, pronoun/feminine ``ه``, nisba/pronoun ``ي``.
# Each is stripped at most once, and only when three letters remain.
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
SUFFIX_MIN_STEM = 3
# Words the rules would break: the name of God (not ال + له), also after a conjunction
# or preposition (والله, بالله, فالله, تالله).
PROTECTED = frozenset({"الله", "اللهم", "والله", "بالله", "فالله", "تالله"})
GOD = "الله"


def is_arabic_word(word):
    return bool(word) and all("\u0621" <= ch <= "\u064a" for ch in word)


def strip_article(word):
    """``والمدارس`` -> ``مدارس``; the word itself when it has no article."""
    for prefix in ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= ARTICLE_MIN_STEM:
            return word[len(prefix):]
    return word


def _clitic_readings(word):
    """Every way to read one-letter clitics off the front of ``word``, shortest strip
    first: ``وسيقول`` -> ``سيقول``, ``يقول``."""
    rest = word
    if rest[:1] in CONJUNCTIONS:
        rest = rest[1:]
        yield rest
    if rest[:1] in PREPOSITIONS:
        yield rest[1:]
    elif rest[:1] == FUTURE and rest[1:2] in IMPERFECT_PREFIXES:
        yield rest[1:]


def suffix_chain(word):
    """The forms light10's suffix rules pass through: ``فلسطينيين`` -> ``[فلسطينيين,
    فلسطيني, فلسطين]``; the last is the rule-based stem."""
    chain = [word]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= SUFFIX_MIN_STEM:
            word = word[: -len(suffix)]
            chain.append(word)
    return chain


def _strip_suffixes(word, vocabulary=None):
    """The rule-based stem, or with a vocabulary the shortest attested form on the way
    (``فلسطينيين`` -> ``فلسطين``, but ``فلسطين`` is not cut to ``فلسط``). A word with no
    attested form at all gets the rule-based stem."""
    chain = suffix_chain(word)
    if vocabulary:
        attested = [form for form in chain if vocabulary.attests_form(form)]
        if attested:
            return attested[-1]
    return chain[-1]


class Vocabulary:
    """How many documents use each article-less word form, and how many distinct forms
    share each would-be stem: the evidence for clitics and suffixes."""

    def __init__(self, counts=None):
        self.counts = dict(counts or {})
        stems = {}
        for word in self.counts:
            for form in suffix_chain(word)[1:]:
                stems[form] = stems.get(form, 0) + 1
        self.stems = stems

    def __bool__(self):
        return bool(self.counts)

    def frequency(self, word):
        return self.counts.get(word, 0)

    def attests(self, remainder, whole):
        """A clitic strip: the remainder is a word, about as frequent as the whole."""
        found = self.counts.get(remainder, 0)
        return found > 0 and found >= ATTESTATION_RATIO * self.counts.get(whole, 0)

    def attests_form(self, form):
        """A suffix strip: the form is a word, or the stem of at least two words
        (``مسلم`` from ``مسلمون`` and ``مسلمين``)."""
        return form in self.counts or self.stems.get(form, 0) >= 2


def strip_prefixes(word, vocabulary=None):
    """The article and one-letter clitics off a normalized Arabic word, as the stemmer
    takes them off (attested by ``vocabulary`` when given): ``وبالمدارس`` -> ``مدارس``,
    ``وجونغ`` -> ``جونغ`` when the collection writes ``جونغ``, ``وزير`` unchanged."""
    stem = strip_article(word)
    if stem != word:
        if vocabulary and not word.startswith(("لل", "ولل", "فلل")) and vocabulary.attests(ARTICLE + stem, stem):
            stem = ARTICLE + stem  # ``ال`` of the word itself (see the module's docstring)
        elif word.startswith(("لل", "ولل", "فلل")) and stem.startswith(c.ALEF) and vocabulary:
            # li + al + lam-initial word is written with two lams: للاعبين is
            # لـ + اللاعبين, للاتفاق is لـ + الاتفاق. The vocabulary tells which.
            with_lam = c.LAM + stem
            if vocabulary.frequency(with_lam) > vocabulary.frequency(stem):
                stem = with_lam
    elif vocabulary:
        for reading in _clitic_readings(word):
            if len(reading) >= CLITIC_MIN_STEM and vocabulary.attests(strip_article(reading), word):
                stem = strip_article(reading)
    elif word[0] in CONJUNCTIONS and len(word) - 1 >= CLITIC_MIN_STEM:
        stem = word[1:]
    return stem


def light_stem(word, vocabulary=None):
    """Light-stems one normalized Arabic word.
    ``light_stem("والمدارس")`` -> ``"مدارس"``, ``light_stem("المسلمين")`` -> ``"مسلم"``."""
    if word in PROTECTED:
        return GOD if word.endswith(GOD) else word
    if not is_arabic_word(word):
        return word
    return _strip_suffixes(strip_prefixes(word, vocabulary), vocabulary)


_rule_stem = lru_cache(maxsize=200_000)(light_stem)


class ArabicLightStemFilter(Filter):
    """Light-stems Arabic tokens, leaves others alone:
    ``الكتاب`` -> ``كتاب``, ``والمعلمون`` -> ``معلم``, ``Moscow`` unchanged.
    With a ``Vocabulary`` of the collection, one-letter clitics need attestation."""

    is_morph = True

    def __init__(self, vocabulary=None):
        self.vocabulary = vocabulary or None
        self._cache = {}

    def __getstate__(self):
        # The per-word cache is rebuilt after unpickling, not stored in the index.
        return {"vocabulary": self.vocabulary}

    def __setstate__(self, state):
        self.vocabulary = state["vocabulary"]
        self._cache = {}

    def __eq__(self, other):
        return type(other) is type(self) and self.vocabulary is other.vocabulary

    def stem(self, word):
        if self.vocabulary is None:
            return _rule_stem(word)
        stem = self._cache.get(word)
        if stem is None:
            stem = self._cache[word] = light_stem(word, self.vocabulary)
        return stem

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = self.stem(t.text)
            yield t


english_stem = lru_cache(maxsize=50_000)(stemmer_for_language("en"))


class EnglishStemFilter(Filter):
    """Snowball-stems Latin words, leaves Arabic alone: ``Presidents`` -> ``presid``."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if t.text.isascii() and t.text.isalpha():
                t.text = english_stem(t.text)
            yield t
