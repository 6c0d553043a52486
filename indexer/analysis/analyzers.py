"""The analyzers the schema uses, composed from the steps of this package."""

from indexer.analysis.normalize import NORMALIZERS
from indexer.analysis.stemming import ArabicLightStemFilter, EnglishStemFilter
from indexer.analysis.stopwords import ArabicStopFilter
from indexer.analysis.tokenizer import ArabicTokenizer


def steps(stem=True):
    """The named steps in order: ``[(name, component), ...]``."""
    chain = [("tokenize", ArabicTokenizer())]
    chain += [(step.__name__.removesuffix("Filter"), step()) for step in NORMALIZERS]
    chain.append(("StopWords", ArabicStopFilter()))
    if stem:
        chain += [("ArabicLightStem", ArabicLightStemFilter()), ("EnglishStem", EnglishStemFilter())]
    return chain


def _compose(chain):
    analyzer = chain[0][1]
    for _, step in chain[1:]:
        analyzer = analyzer | step
    return analyzer


def exact_analyzer():
    """Normalized surface forms, no stemming: the exact field.
    ``[t.text for t in exact_analyzer()("وَالمدارسُ في بيروت")]`` -> ``["والمدارس", "بيروت"]``."""
    return _compose(steps(stem=False))


def stemming_analyzer():
    """Normalized, stop words out, light-stemmed: the main fields.
    ``[t.text for t in stemming_analyzer()("وَالمدارسُ في بيروت")]`` -> ``["مدارس", "بيروت"]``."""
    return _compose(steps(stem=True))
