"""Re-ranking: the engine's best ``DEPTH`` hits re-ordered by features we compute ourselves.

The engine finds the candidates; the order among them comes from the terms of each
article our analysis gave the engine (the forward index, ``indexing.forward_index``: its
searched text less its outlet boilerplate) and from
``reader.doc_frequency``/``doc_count``, so the same candidates get the same order on every
engine. Features of a document for a query (``FEATURES``):

| feature | what it rewards |
| --- | --- |
| ``body``, ``title`` | BM25 of the query's stems in the field, with our own k1 and b |
| ``exact`` | BM25 of the query words in the form typed (``المدارس`` over ``مدارس``) |
| ``translit`` | BM25 of transliteration keys (a name in another spelling) |
| ``coverage``, ``title_coverage`` | the share of the query's stems (idf-weighted) the document (its title) holds |
| ``proximity`` | matched stems close together: their number over the smallest window holding them |

BM25 features are divided by the query's summed idf, so weights carry across query
lengths. The score is ``Ranking.weights`` applied to the features; k1, b and the weights
are learned by cross-validation (``indexer.evaluation``, ``python -m indexer eval
--learn``) and shipped in ``ranking.json`` beside this module, with what they were learned on.

The candidates are counted all at once, in arrays: their terms of each field side by
side, the query's terms (hashed as the forward index hashes them) found among them, the
counts and positions taken from where they were found.

``Reranker(reader, analysis, forward).rerank(plan, hits)`` -> the hits in the new order.
"""

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

import numpy as np

from indexer.analysis.fields import DocumentAnalyzer
from indexer.engine import plan
from indexer.engine.tokens import analyzed_fields
from indexer.indexing.forward_index import FIELDS, decode, encode, term_hash
from indexer.indexing.schema import EXACT_FIELDS, STEMMED_FIELDS, TRANSLITERATION_FIELDS

# Twice the 100 a run returns: a relevant article the engine ranks 101st to 200th can still
# reach the first hundred (ant-headlines: 994 of 1,000 in the engine's top 200, 988 in its
# top 100), and the order depends less on the engine's.
DEPTH = 200
FEATURES = ("body", "title", "exact", "translit", "coverage", "title_coverage", "proximity")
RANKING_FILE = Path(__file__).with_name("ranking.json")
# An index built before the forward index: candidates analyzed from their text, kept per
# open index (a result page's are read once while readers page through it, about five
# searches' 200).
CACHE_DOCUMENTS = 1024
# Bounds the proximity's working table (matches x query stems) of one pass.
PROXIMITY_CELLS = 1 << 20


@dataclass(frozen=True)
class Ranking:
    """BM25's k1 and b and one weight per feature."""

    k1: float
    b: float
    weights: dict

    @classmethod
    def load(cls, path=RANKING_FILE):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["k1"], data["b"], data["weights"])

    def save(self, path, about):
        data = {"k1": self.k1, "b": self.b, "weights": self.weights, "learned": about}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def scores(self, features):
        """The score of each row of a ``features`` array. Rounded well below any real
        difference: candidates with the same features tie exactly, whatever order the
        sum was taken in, and so keep the engine's order."""
        return np.round(features @ np.array([self.weights.get(name, 0.0) for name in FEATURES]), 12)


@dataclass
class QueryTerms:
    """The query's positive terms by kind, with their idf: ``stems`` (main fields),
    ``exact`` forms and transliteration ``keys``."""

    stems: tuple
    exact: tuple
    keys: tuple

    @classmethod
    def of(cls, q):
        found = plan.terms(plan.positive_part(q))
        pick = lambda fields: tuple(sorted({text for name, text in found if name in fields}))  # noqa: E731
        return cls(pick(STEMMED_FIELDS), pick(EXACT_FIELDS), pick(TRANSLITERATION_FIELDS))


@dataclass
class Candidates:
    """What the features need of the candidates (``keys``), a row each: term frequencies per
    kind (columns as ``QueryTerms``), field lengths and the proximity of the matched stems."""

    keys: list
    title_tf: np.ndarray
    body_tf: np.ndarray
    exact_tf: np.ndarray
    key_tf: np.ndarray
    title_length: np.ndarray
    body_length: np.ndarray
    proximity: np.ndarray


class Reranker:
    """Re-orders an engine's hits for one open index (``reader``, ``analysis``, and its
    ``forward`` index, ``None`` for an index built before it)."""

    def __init__(self, reader, analysis, forward=None, ranking=None):
        self.reader = reader
        self.analyzer = DocumentAnalyzer(analysis)
        self.forward = forward
        self.ranking = ranking or Ranking.load()
        self._documents = OrderedDict()
        self._lock = Lock()

    def rerank(self, q, hits, ranking=None):
        """``hits`` (``[(key, engine score)]``) with the first ``DEPTH`` re-ordered, each
        with its new score; the rest keep the engine's order after them."""
        if not hits:
            return hits
        ranking = ranking or self.ranking
        terms = QueryTerms.of(q)
        top = self.candidates(terms, [key for key, _ in hits[:DEPTH]])
        scores = ranking.scores(features(top, self.idf(terms), ranking.k1, ranking.b))
        order = np.argsort(-scores, kind="stable")
        scored = [(top.keys[i], float(scores[i])) for i in order]
        floor = scored[-1][1]
        return scored + [(key, min(floor, score)) for key, score in hits[DEPTH:]]

    def idf(self, terms):
        """BM25 idf of each term, per kind, from the fields the terms were searched in."""
        n = self.reader.doc_count()

        def of(field, texts):
            df = np.array([self.reader.doc_frequency(field, t) for t in texts], dtype=float)
            return np.log(1 + (n - df + 0.5) / (df + 0.5))

        return {"body": of("body", terms.stems), "title": of("title", terms.stems),
                "exact": of("body_exact", terms.exact), "translit": of("body_translit", terms.keys)}

    def candidates(self, terms, keys):
        title, body, exact, translit = self._terms_of(keys)
        title_tf, _ = occurrences(terms.stems, *title)
        body_tf, matches = occurrences(terms.stems, *body)
        (_, title_length), (_, body_length) = title, body
        return Candidates(
            keys=list(keys),
            title_tf=title_tf,
            body_tf=body_tf,
            exact_tf=occurrences(terms.exact, *exact)[0],
            key_tf=occurrences(terms.keys, *translit)[0],
            title_length=title_length,
            body_length=body_length,
            proximity=proximity(matches, body_tf > 0),
        )

    def _terms_of(self, keys):
        """Per field of the forward index, the candidates' terms side by side and how many
        each has."""
        rows = self.reader.rows(keys) if self.forward is not None else None
        if rows is not None:
            return self.forward.gather(rows)
        analyzed = [self._analyzed(key) for key in keys]
        return [(np.concatenate([row[i] for row in analyzed] or [np.zeros(0, dtype=np.uint32)]),
                 np.array([len(row[i]) for row in analyzed], dtype=np.int64)) for i in range(len(FIELDS))]

    def _analyzed(self, key):
        """A candidate's terms per field of the forward index, hashed alike, from its text."""
        with self._lock:
            found = self._documents.get(key)
            if found is not None:
                self._documents.move_to_end(key)
                return found
        found = decode(encode(analyzed_fields(self.analyzer, self.reader.stored(key))))
        with self._lock:
            self._documents[key] = found
            if len(self._documents) > CACHE_DOCUMENTS:
                self._documents.popitem(last=False)
        return found


def occurrences(query, terms, lengths):
    """How often each of ``query`` (strings) is among ``terms`` (hashes of the candidates'
    terms side by side, ``lengths`` of each), a row per candidate; and each occurrence as
    ``(candidate, query column, position in the candidate)``, in the candidates' order."""
    n, m = len(lengths), len(query)
    hashes = np.array([term_hash(t) for t in query], dtype=np.uint32)
    at = np.flatnonzero(np.isin(terms, hashes))
    order = np.argsort(hashes)
    column = order[np.searchsorted(hashes[order], terms[at])]
    ends = np.cumsum(lengths)
    row = np.searchsorted(ends, at, side="right")
    position = at - (ends - lengths)[row]
    tf = np.bincount(row * m + column, minlength=n * m).reshape(n, m)
    return tf, (row, column, position)


def proximity(matches, held):
    """Per candidate, its matched stems over the smallest window of positions holding one
    of each (``held``: which stems it has); 0 with fewer than two. A window ends at a
    match and reaches back to the last match of the stem seen longest ago, so the
    windows come from running maxima of where each stem was last seen."""
    row, column, position = matches
    n, m = held.shape
    best = np.full(n, np.inf)
    if len(row):
        # One line of positions, rows after one another: no window reaches back a row.
        stride = int(position.max()) + 1
        at = row * stride + position
        first = np.searchsorted(row, np.arange(n + 1))
        # Passes of whole candidates, so a pass's table stays within PROXIMITY_CELLS.
        passes = first[:-1] // max(1, PROXIMITY_CELLS // max(m, 1))
        for p in np.unique(passes):
            inside = np.flatnonzero(passes == p)
            part = slice(first[inside[0]], first[inside[-1] + 1])
            last = np.full((part.stop - part.start, m), -1, dtype=np.int64)
            last[np.arange(len(last)), column[part]] = at[part]
            np.maximum.accumulate(last, axis=0, out=last)
            start = np.where(held[row[part]], last, np.iinfo(np.int64).max).min(axis=1)
            whole = start >= row[part] * stride
            np.minimum.at(best, row[part][whole], at[part][whole] - start[whole] + 1)
    count = held.sum(axis=1)
    return np.where(count >= 2, count / best, 0.0)


def features(c, idf, k1, b):
    """The features (``FEATURES`` order) of each candidate, a row each; field lengths are
    compared with their mean over the candidates, so no collection statistic beyond df is
    needed."""
    if not len(c.keys):
        return np.zeros((0, len(FEATURES)))
    body_idf, title_idf, exact_idf, key_idf = (np.asarray(idf[kind], dtype=float)
                                                for kind in ("body", "title", "exact", "translit"))

    def bm25(tf, weights, length):
        norm = k1 * (1 - b + b * length / max(1.0, length.mean()))
        saturated = np.divide(tf * (k1 + 1), tf + norm[:, None], out=np.zeros(tf.shape), where=tf > 0)
        return saturated @ weights / (weights.sum() or 1.0)

    return np.column_stack((
        bm25(c.body_tf, body_idf, c.body_length),
        bm25(c.title_tf, title_idf, c.title_length),
        bm25(c.exact_tf, exact_idf, c.body_length),
        bm25(c.key_tf, key_idf, c.body_length),
        ((c.body_tf > 0) | (c.title_tf > 0)) @ body_idf / (body_idf.sum() or 1.0),
        (c.title_tf > 0) @ title_idf / (title_idf.sum() or 1.0),
        c.proximity,
    ))
