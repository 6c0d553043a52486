"""Re-ranking: the engine's best ``DEPTH`` hits re-ordered by features we compute ourselves.

The engine finds the candidates; the order among them comes from the terms the index
stores of each article (``schema.TERMS_FIELD``: its searched text as our analysis gives
it, less its outlet boilerplate) and from
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

``Reranker(reader, analysis).rerank(plan, hits)`` -> the hits in the new order.
"""

import heapq
import json
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from indexer.analysis.fields import DocumentAnalyzer
from indexer.engine import plan
from indexer.indexing.schema import (
    EXACT_FIELDS,
    STEMMED_FIELDS,
    TERMS_FIELD,
    TRANSLITERATION_FIELDS,
)

# Twice the 100 a run returns: a relevant article the engine ranks 101st to 200th can still
# reach the first hundred (ant-headlines: 994 of 1,000 in the engine's top 200, 988 in its
# top 100), and the order depends less on the engine's.
DEPTH = 200
FEATURES = ("body", "title", "exact", "translit", "coverage", "title_coverage", "proximity")
RANKING_FILE = Path(__file__).with_name("ranking.json")
# Candidates kept per open index: a result page's are read once while readers page through
# it (about five searches' 200). Each costs about 6.4 KB (ANT articles).
CACHE_DOCUMENTS = 1024


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

    def score(self, features):
        return sum(self.weights.get(name, 0.0) * value for name, value in zip(FEATURES, features))


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
class Candidate:
    """What the features need of one document: term frequencies per kind (aligned with
    ``QueryTerms``), field lengths and the proximity of the matched stems."""

    key: object
    title_tf: list
    body_tf: list
    exact_tf: list
    key_tf: list
    title_length: int
    body_length: int
    proximity: float


class _Document:
    """One article as the re-ranker counts it: its terms per kind (``schema.TERMS_LINES``:
    title stems, body stems, body words, body transliteration keys), each kind a string
    padded with spaces, so a term is found whole (`` term ``) by ``str.find``, in C,
    rather than by a Python loop over the article's words. Read from what the index
    stores, or analyzed from the text (an index built before it stored terms)."""

    __slots__ = ("title", "body", "exact", "keys", "title_length", "body_length")

    def __init__(self, analyzer, stored):
        terms = stored.get(TERMS_FIELD)
        if terms is not None:
            lines = terms.split("\n")
        else:
            title = analyzer.terms(analyzer.analysis.searched(stored, "title"))
            body = analyzer.terms(analyzer.analysis.searched(stored, "body"))
            lines = [" ".join(found) for found in (title["main"], body["main"], body.get("exact", ()),
                                                   body.get("translit", ()))]
        self.title, self.body, self.exact, self.keys = (f" {line} " for line in lines)
        self.title_length, self.body_length = (line.count(" ") + 1 if line else 0 for line in lines[:2])

    def positions(self, stem):
        """The body positions of ``stem`` (its word's index among the body's terms)."""
        needle = f" {stem} "
        found, position, counted = [], 0, 0
        at = self.body.find(needle)
        while at >= 0:
            position += self.body.count(" ", counted, at)
            counted = at
            found.append(position)
            at = self.body.find(needle, at + 1)
        return found


def _count(padded, term):
    """How often ``term`` is in a padded kind of terms (neighbours share a space, so
    ``str.count``, which does not overlap, would miss a repeat)."""
    needle, n = f" {term} ", 0
    at = padded.find(needle)
    while at >= 0:
        n += 1
        at = padded.find(needle, at + 1)
    return n


class Reranker:
    """Re-orders an engine's hits for one open index (``reader``, ``analysis``)."""

    def __init__(self, reader, analysis, ranking=None):
        self.reader = reader
        self.analyzer = DocumentAnalyzer(analysis)
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
        idf = self.idf(terms)
        scored = [(c.key, ranking.score(f)) for c, f in zip(top, features(top, idf, ranking.k1, ranking.b))]
        scored.sort(key=lambda hit: -hit[1])
        floor = scored[-1][1] if scored else 0.0
        return scored + [(key, min(floor, score)) for key, score in hits[DEPTH:]]

    def idf(self, terms):
        """BM25 idf of each term, per kind, from the fields the terms were searched in."""
        n = self.reader.doc_count()

        def of(field, texts):
            return [math.log(1 + (n - df + 0.5) / (df + 0.5))
                    for df in (self.reader.doc_frequency(field, t) for t in texts)]

        return {"body": of("body", terms.stems), "title": of("title", terms.stems),
                "exact": of("body_exact", terms.exact), "translit": of("body_translit", terms.keys)}

    def candidates(self, terms, keys):
        out = []
        for key in keys:
            doc = self._document(key)
            present = [doc.positions(stem) for stem in terms.stems]
            out.append(Candidate(
                key=key,
                title_tf=[_count(doc.title, s) for s in terms.stems],
                body_tf=[len(p) for p in present],
                exact_tf=[_count(doc.exact, w) for w in terms.exact],
                key_tf=[_count(doc.keys, k) for k in terms.keys],
                title_length=doc.title_length,
                body_length=doc.body_length,
                proximity=proximity([p for p in present if p]),
            ))
        return out

    def _document(self, key):
        with self._lock:
            doc = self._documents.get(key)
            if doc is not None:
                self._documents.move_to_end(key)
                return doc
        doc = _Document(self.analyzer, self.reader.stored(key))
        with self._lock:
            self._documents[key] = doc
            if len(self._documents) > CACHE_DOCUMENTS:
                self._documents.popitem(last=False)
        return doc


def proximity(position_lists):
    """Matched words over the smallest window of positions holding one of each:
    ``proximity([[3], [4], [5, 9]])`` == 1.0 (positions 3-5); 0 for fewer than two words."""
    if len(position_lists) < 2:
        return 0.0
    heap = [(positions[0], i, 0) for i, positions in enumerate(position_lists)]
    heapq.heapify(heap)
    high = max(first for first, _, _ in heap)
    best = math.inf
    while True:
        low, i, j = heapq.heappop(heap)
        best = min(best, high - low + 1)
        if j + 1 == len(position_lists[i]):
            return len(position_lists) / best
        following = position_lists[i][j + 1]
        high = max(high, following)
        heapq.heappush(heap, (following, i, j + 1))


def features(candidates, idf, k1, b):
    """One feature vector (``FEATURES`` order) per candidate; field lengths are compared
    with their mean over the candidates, so no collection statistic beyond df is needed."""
    if not candidates:
        return []
    mean_title = max(1.0, sum(c.title_length for c in candidates) / len(candidates))
    mean_body = max(1.0, sum(c.body_length for c in candidates) / len(candidates))
    stem_idf = sum(idf["body"]) or 1.0
    title_idf = sum(idf["title"]) or 1.0

    def bm25(tfs, idfs, length, mean):
        norm = k1 * (1 - b + b * length / mean)
        return sum(w * tf * (k1 + 1) / (tf + norm) for tf, w in zip(tfs, idfs) if tf)

    out = []
    for c in candidates:
        held = [w for tb, tt, w in zip(c.body_tf, c.title_tf, idf["body"]) if tb or tt]
        in_title = [w for tt, w in zip(c.title_tf, idf["title"]) if tt]
        out.append((
            bm25(c.body_tf, idf["body"], c.body_length, mean_body) / stem_idf,
            bm25(c.title_tf, idf["title"], c.title_length, mean_title) / title_idf,
            bm25(c.exact_tf, idf["exact"], c.body_length, mean_body) / (sum(idf["exact"]) or 1.0),
            bm25(c.key_tf, idf["translit"], c.body_length, mean_body) / (sum(idf["translit"]) or 1.0),
            sum(held) / stem_idf,
            sum(in_title) / title_idf,
            c.proximity,
        ))
    return out
