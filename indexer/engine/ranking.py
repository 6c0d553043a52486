"""Ranking: BM25 over title and body, with the Robertson/Sparck Jones idf.

Whoosh's stock ``BM25F`` uses ``log(N / (df + 1)) + 1`` as idf, which never falls
below 1: a word found in every document still weighs about a seventh of a rare one, so
frequent words drown the rare words that carry a question. The probabilistic idf that
BM25 was derived with (and Lucene uses), ``log(1 + (N - df + 0.5) / (df + 0.5))``,
goes to zero for such words.
"""

from math import log

from whoosh import scoring

K1 = 1.2
B = 0.75


class BM25(scoring.BM25F):
    """Whoosh's BM25F scorer (per-field length normalization, query-time field boosts)
    with the probabilistic idf."""

    def __init__(self, B=B, K1=K1, **field_b):
        super().__init__(B=B, K1=K1, **field_b)

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return log(1 + (n - df + 0.5) / (df + 0.5))
