"""The analyzers the schema uses, composed from the steps of this package.

``PROFILES`` names analysis chains from Whoosh's default up to ours, one step added at a
time; the evaluation builds each to measure what every step is worth (an ablation).
"""

from whoosh.analysis import StemmingAnalyzer

from indexer.analysis.normalize import NORMALIZERS, LowercaseFilter, NormalizeFilter
from indexer.analysis.stemming import ArabicLightStemFilter, EnglishStemFilter
from indexer.analysis.stopwords import ArabicStopFilter
from indexer.analysis.tokenizer import ArabicTokenizer
from indexer.analysis.transliteration import TransliterationKeyFilter

# name -> (normalize, stop words, stem, clitics attested by the collection, exact
# fields, transliteration fields); "whoosh-default" is Whoosh's own StemmingAnalyzer.
PROFILES = {
    "whoosh-default": None,
    "tokenize": (False, False, False, False, False, False),
    "normalize": (True, False, False, False, False, False),
    "stopwords": (True, True, False, False, False, False),
    "stemming": (True, True, True, False, False, False),
    "attested": (True, True, True, True, False, False),
    "exact": (True, True, True, True, True, False),
    "full": (True, True, True, True, True, True),
}
DEFAULT_PROFILE = "full"


def steps(stem=True, normalize=True, stop=True, vocabulary=None):
    """The named steps in order: ``[(name, component), ...]``. ``vocabulary`` (a
    ``stemming.Vocabulary`` of the collection) lets the stemmer check clitics."""
    chain = [("tokenize", ArabicTokenizer())]
    if normalize:
        chain += [(step.__name__.removesuffix("Filter"), step()) for step in NORMALIZERS]
    else:
        chain.append(("Lowercase", LowercaseFilter()))
    if stop:
        chain.append(("StopWords", ArabicStopFilter()))
    if stem:
        chain += [("ArabicLightStem", ArabicLightStemFilter(vocabulary)), ("EnglishStem", EnglishStemFilter())]
    return chain


def _compose(chain):
    """Joins the steps with ``|``; the run of normalization steps becomes one cached
    ``NormalizeFilter`` (same terms, a fraction of the indexing time)."""
    components = [step for _, step in chain]
    normalizers = [i for i, step in enumerate(components) if type(step) in NORMALIZERS]
    if len(normalizers) == len(NORMALIZERS):
        first, last = normalizers[0], normalizers[-1]
        components[first : last + 1] = [NormalizeFilter(type(components[i]) for i in normalizers)]
    analyzer = components[0]
    for step in components[1:]:
        analyzer = analyzer | step
    return analyzer


def exact_analyzer():
    """Normalized surface forms, no stemming: the exact fields.
    ``[t.text for t in exact_analyzer()("وَالمدارسُ في بيروت")]`` -> ``["والمدارس", "بيروت"]``."""
    return _compose(steps(stem=False))


def stemming_analyzer(vocabulary=None):
    """Normalized, stop words out, light-stemmed: the main fields.
    ``[t.text for t in stemming_analyzer()("وَالمدارسُ في بيروت")]`` -> ``["مدارس", "بيروت"]``."""
    return _compose(steps(stem=True, vocabulary=vocabulary))


def needs_vocabulary(profile):
    flags = PROFILES[profile]
    return bool(flags and flags[3])


def transliteration_analyzer(vocabulary=None):
    """Transliteration keys of the normalized words (see transliteration.py):
    ``[t.text for t in transliteration_analyzer()("وبيونغ يانغ")]`` -> ``["بنج", "ينج"]``."""
    return _compose(steps(stem=False) + [("TransliterationKey", TransliterationKeyFilter(vocabulary))])


def profile_analyzers(profile, vocabulary=None):
    """``(main, exact or None, transliteration or None)`` analyzers for a profile name of
    ``PROFILES``; ``vocabulary`` is used by the profiles that attest clitics."""
    if profile not in PROFILES:
        raise ValueError(f"unknown analysis profile {profile!r} (one of {', '.join(PROFILES)})")
    flags = PROFILES[profile]
    if flags is None:
        return StemmingAnalyzer(), None, None
    normalize, stop, stem, attested, exact, translit = flags
    vocabulary = vocabulary if attested else None
    main = _compose(steps(stem=stem, normalize=normalize, stop=stop, vocabulary=vocabulary))
    return main, (exact_analyzer() if exact else None), (transliteration_analyzer(vocabulary) if translit else None)
