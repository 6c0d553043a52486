"""The collection's vocabulary, counted before indexing: the evidence the stemmer uses to
tell a clitic (``و`` in ``وقال``) from a root letter (``و`` in ``وزير``)."""

from collections import Counter
from functools import lru_cache

from indexer.analysis.fields import words
from indexer.analysis.stemming import Vocabulary, strip_article


def count_vocabulary(texts):
    """Document frequency of each article-less normalized word over ``texts`` (one
    string per document). ``count_vocabulary(["وقال الوزير", "قال"])`` counts
    ``قال`` twice, ``وقال`` and ``وزير`` once."""
    # Each distinct word of a document is stripped once, and a word seen in an
    # earlier document is not stripped again.
    strip = lru_cache(maxsize=500_000)(strip_article)
    counts = Counter()
    for text in texts:
        counts.update({strip(word) for word in {found[0] for found in words(text)}})
    return Vocabulary(counts)
