"""The collection's vocabulary, counted before indexing: the evidence the stemmer uses to
tell a clitic (``و`` in ``وقال``) from a root letter (``و`` in ``وزير``)."""

from collections import Counter

from indexer.analysis.analyzers import exact_analyzer
from indexer.analysis.stemming import Vocabulary, strip_article


def count_vocabulary(texts):
    """Document frequency of each article-less normalized word over ``texts`` (one
    string per document). ``count_vocabulary(["وقال الوزير", "قال"])`` counts
    ``قال`` twice, ``وقال`` and ``وزير`` once."""
    analyzer = exact_analyzer()
    counts = Counter()
    for text in texts:
        counts.update({strip_article(t.text) for t in analyzer(text)})
    return Vocabulary(counts)
