"""Relevance evaluation: build a temporary index of a judged collection, run its queries,
and score the run with ``ir-measures`` (trec_eval definitions).

A set is a folder with ``corpus.jsonl``, ``queries.tsv`` (``qid<TAB>text``) and
``qrels.tsv`` (``qid<TAB>docid<TAB>grade``), as in ``../shared/eval/``.

The re-ranker's k1, b and weights (``search.rerank``) are learned from judged queries, so
figures on those same queries flatter it. ``cross_validate`` gives the honest figure:
the queries of every set are cut into ``FOLDS`` folds, and each fold is ranked with what
was learned on the other folds of all the sets measured together (the shipped ranking is
learned on all of them the same way, ``learn``). Its mean and spread over the folds is
what to expect on questions not seen.
"""

import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import ir_measures
import numpy as np
from ir_measures import RR, P, R, nDCG

from indexer.analysis import DEFAULT_PROFILE
from indexer.engine import DEFAULT_ENGINE, plan
from indexer.indexing.building import build_index
from indexer.search import rerank
from indexer.search.searching import QueryError, SearchIndex, validate_query

MEASURES = {"nDCG@10": nDCG @ 10, "MRR@10": RR @ 10, "R@100": R @ 100, "P@10": P @ 10}
_SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# The reading-comprehension and question sets, and the news set (headline -> article).
DEFAULT_SETS_DIRS = (_SHARED / "eval", _SHARED / "eval-news")
# Documents per query in a run (recall@100); the re-ranker orders a deeper pool
# (``rerank.DEPTH``) of the engine's candidates first.
RUN_DEPTH = 100
FOLDS = 5
# The grid k1 and b are chosen from (Robertson and Zaragoza's usual ranges), and the
# steps coordinate ascent tries on each weight (Metzler and Croft, 2007).
K1_GRID = (0.6, 1.2, 2.0, 3.0)
B_GRID = (0.3, 0.6, 0.8, 1.0)
STEPS = (-1.0, -0.4, -0.15, -0.05, 0.05, 0.15, 0.4, 1.0)
ROUNDS = 4
_DISCOUNT = 1 / np.log2(np.arange(2, 12))


@dataclass
class EvalSet:
    name: str
    corpus: Path
    queries: Path
    qrels: Path

    @classmethod
    def from_folder(cls, folder):
        folder = Path(folder)
        return cls(folder.name, folder / "corpus.jsonl", folder / "queries.tsv", folder / "qrels.tsv")


def find_sets(root):
    """Every evaluation set under ``root`` (folders holding a ``corpus.jsonl``)."""
    return [EvalSet.from_folder(p.parent) for p in sorted(Path(root).glob("*/corpus.jsonl"))]


def read_queries(path):
    """``[(line number, qid, text), ...]`` of a ``qid<TAB>text`` file (blank lines
    skipped); raises ``ValueError`` naming the first malformed line."""
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not valid UTF-8 (byte {e.start})") from None
    queries, seen = [], {}
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        qid, tab, text = line.partition("\t")
        qid = qid.strip()
        if not tab or not qid or any(ch.isspace() for ch in qid):
            raise ValueError(f"{path}:{number}: expected 'qid<TAB>query text', got {line[:60]!r}")
        if qid in seen:
            raise ValueError(f"{path}:{number}: query id {qid!r} already used on line {seen[qid]}")
        seen[qid] = number
        queries.append((number, qid, text.strip()))
    return queries


def read_qrels(path):
    qrels = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            qid, docid, grade = parts[0], parts[-2], parts[-1]
            qrels.append(ir_measures.Qrel(qid, docid, int(grade)))
    return qrels


def run_queries(index, queries, depth=RUN_DEPTH):
    """``{qid: [(docid, score), ...]}``, all query words optional (ranked retrieval);
    a query with no searchable word (only stop words) retrieves nothing."""
    rank = _stock_ranking(index) if index.info().get("profile") == "whoosh-default" else index.ranked_ids
    run = {}
    for _, qid, text in queries:
        try:
            run[qid] = rank(text, limit=depth)
        except QueryError:
            run[qid] = []
    return run


def _stock_ranking(index):
    """The baseline's ranking: what Whoosh's own query parser makes of a question, on any
    engine. The parser splits the text on spaces only and hands each piece to the
    analyzer untokenized (``خاشقجي؟`` stays one term, punctuation and all), each piece
    optional in every field; our query language tokenizes query words, which alone
    lifts a StemmingAnalyzer index, so "whoosh-default" would not measure Whoosh."""
    s = index.snapshot

    def rank(text, limit):
        pieces = validate_query(text).split()
        q = plan.any_of(
            plan.Term(name, t.text, boost)
            for piece in pieces
            for name, boost in s.analysis.fields.items()
            for t in s.analysis.analyzer(name)(piece, tokenize=False, mode="query")
        )
        return [(s.reader.stored(key)["id"], score) for key, score in s.reader.search(q, limit).hits]

    return rank


def score_run(run, qrels):
    """Mean of each measure of ``MEASURES`` over the queries that have judgments."""
    scored = [ir_measures.ScoredDoc(qid, docid, score) for qid, ranked in run.items() for docid, score in ranked]
    result = ir_measures.calc_aggregate(list(MEASURES.values()), qrels, scored)
    return {name: result[measure] for name, measure in MEASURES.items()}


def evaluate(eval_set, profile=DEFAULT_PROFILE, engine_name=DEFAULT_ENGINE):
    """Builds ``eval_set``'s corpus with ``profile`` on engine ``engine_name`` in a
    temporary folder and scores it."""
    with tempfile.TemporaryDirectory(prefix="arabic-search-eval-") as tmp:
        build_index([eval_set.corpus], Path(tmp) / "index", profile=profile, engine_name=engine_name)
        index = SearchIndex(Path(tmp) / "index")
        try:
            run = run_queries(index, read_queries(eval_set.queries))
        finally:
            index.close()
    return score_run(run, read_qrels(eval_set.qrels))


@dataclass
class Collected:
    """One set's queries run once: per query the engine's candidates in its order, with
    what the re-ranker's features need, and the judgments."""

    name: str
    qrels: list
    # qid -> (docids in engine order, rerank.Candidates, idf by kind)
    queries: dict = field(default_factory=dict)

    def run(self, ranking=None):
        """``{qid: [(docid, score)]}``: the engine's order, or re-ranked by ``ranking``."""
        out = {}
        for qid, (docids, candidates, idf) in self.queries.items():
            if ranking is None:
                out[qid] = [(d, float(len(docids) - i)) for i, d in enumerate(docids)]
            else:
                scores = ranking.scores(rerank.features(candidates, idf, ranking.k1, ranking.b))
                order = sorted(range(len(docids)), key=lambda i: -scores[i])
                out[qid] = [(docids[i], float(scores[i])) for i in order]
        return out


def collect(eval_set, profile=DEFAULT_PROFILE, engine_name=DEFAULT_ENGINE):
    """Builds ``eval_set`` (as ``evaluate``) and keeps each query's candidates."""
    collected = Collected(eval_set.name, read_qrels(eval_set.qrels))
    with tempfile.TemporaryDirectory(prefix="arabic-search-eval-") as tmp:
        build_index([eval_set.corpus], Path(tmp) / "index", profile=profile, engine_name=engine_name)
        index = SearchIndex(Path(tmp) / "index")
        try:
            s = index.snapshot
            for _, qid, text in read_queries(eval_set.queries):
                try:
                    q = index.compile(validate_query(text), group=plan.any_of, operator_words=False)[1]
                except QueryError:
                    q = plan.NOTHING
                keys = [key for key, _ in s.reader.search(q, rerank.DEPTH).hits] if q is not plan.NOTHING else []
                terms = rerank.QueryTerms.of(q)
                collected.queries[qid] = ([s.reader.stored(k)["id"] for k in keys],
                                          s.reranker.candidates(terms, keys), s.reranker.idf(terms))
        finally:
            index.close()
    return collected


def folds_of(qids, folds=FOLDS):
    """``{qid: fold}``, the same for the same ids on every run (a seeded shuffle)."""
    ordered = sorted(qids)
    random.Random(0).shuffle(ordered)
    return {qid: i % folds for i, qid in enumerate(ordered)}


class _Judged:
    """Queries as arrays for learning: features per grid point ``(queries, rerank.DEPTH,
    features)``, gains of the candidates and each query's ideal DCG@10."""

    def __init__(self, collections):
        self.keys, gains, ideal = [], [], []
        for c in collections:
            grades = {}
            for qrel in c.qrels:
                if qrel.relevance > 0:
                    grades.setdefault(qrel.query_id, {})[qrel.doc_id] = qrel.relevance
            for qid, (docids, _, _) in c.queries.items():
                judged = grades.get(qid, {})
                row = [judged.get(d, 0) for d in docids]
                if not any(row):
                    continue  # nothing to gain or lose by re-ordering
                self.keys.append((c, qid))
                gains.append(row + [0] * (rerank.DEPTH - len(row)))
                best = sorted(judged.values(), reverse=True)[:10]
                ideal.append(float(np.dot(best, _DISCOUNT[: len(best)])))
        self.gains = np.array(gains, dtype=float).reshape(len(gains), rerank.DEPTH)
        self.ideal = np.array(ideal)
        self._features = {}

    def features(self, k1, b):
        found = self._features.get((k1, b))
        if found is None:
            found = np.zeros((len(self.keys), rerank.DEPTH, len(rerank.FEATURES)))
            for i, (c, qid) in enumerate(self.keys):
                _, candidates, idf = c.queries[qid]
                rows = rerank.features(candidates, idf, k1, b)
                found[i, : len(rows)] = rows
            self._features[(k1, b)] = found
        return found

    def ndcg(self, features, weights, rows):
        scores = features[rows] @ weights
        order = np.argsort(-scores, axis=1, kind="stable")[:, :10]
        dcg = np.take_along_axis(self.gains[rows], order, axis=1) @ _DISCOUNT
        return float(np.mean(dcg / self.ideal[rows]))


def learn(judged, rows):
    """The ``rerank.Ranking`` with the best mean nDCG@10 over the queries ``rows`` of
    ``judged``: k1 and b from the grid, the weights by coordinate ascent (the body's BM25
    weight stays 1: only the ratios matter). Every feature is evidence for a document, so
    no weight goes below 0: a negative one would be fitted to the queries at hand."""
    best = (-1.0, None)
    for k1 in K1_GRID:
        for b in B_GRID:
            features = judged.features(k1, b)
            weights = np.zeros(len(rerank.FEATURES))
            weights[0] = 1.0
            score = judged.ndcg(features, weights, rows)
            for _ in range(ROUNDS):
                improved = False
                for j in range(1, len(weights)):
                    for step in STEPS:
                        trial = weights.copy()
                        trial[j] = max(0.0, trial[j] + step)
                        value = judged.ndcg(features, trial, rows)
                        if value > score + 1e-9:
                            score, weights, improved = value, trial, True
                if not improved:
                    break
            if score > best[0]:
                best = (score, rerank.Ranking(k1, b, {n: round(float(w), 4) for n, w in zip(rerank.FEATURES, weights)}))
    return best[1]


def learn_all(collections):
    """The ranking learned on every judged query of ``collections`` (what ships)."""
    judged = _Judged(collections)
    return learn(judged, np.arange(len(judged.keys)))


def cross_validate(collections, folds=FOLDS):
    """``{set name: [figures of fold 0, ...]}``: each fold's queries re-ranked by what
    was learned on the other folds of all ``collections``."""
    judged = _Judged(collections)
    fold = {c.name: folds_of(c.queries, folds) for c in collections}
    of_row = np.array([fold[c.name][qid] for c, qid in judged.keys])
    out = {c.name: [] for c in collections}
    for k in range(folds):
        ranking = learn(judged, np.flatnonzero(of_row != k))
        for c in collections:
            held = {qid for qid, f in fold[c.name].items() if f == k}
            run = {qid: ranked for qid, ranked in c.run(ranking).items() if qid in held}
            out[c.name].append(score_run(run, [q for q in c.qrels if q.query_id in held]))
    return out


def spread(figures):
    """``{measure: (mean, standard deviation)}`` over folds."""
    return {m: (float(np.mean([f[m] for f in figures])), float(np.std([f[m] for f in figures]))) for m in MEASURES}


def read_reference(sets_dir):
    """Reference figures of the sets in ``sets_dir``, from the markdown tables of its
    ``BASELINES.md`` (``| set | system | measures... |``) or, for a folder of one set, its
    ``README.md`` (``| system | measures... |``): ``[{"set", "system", "nDCG@10", ...}]``,
    empty when there are none."""
    sets = find_sets(sets_dir)
    rows = []
    for name in ("BASELINES.md", "README.md"):
        path = Path(sets_dir) / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            figures = cells[-len(MEASURES):]
            if len(cells) < 1 + len(MEASURES) or not all(_is_number(cell) for cell in figures):
                continue
            if len(cells) == 2 + len(MEASURES):
                set_name = cells[0]
            elif len(cells) == 1 + len(MEASURES) and len(sets) == 1:
                set_name = sets[0].name
            else:
                continue
            rows.append({"set": set_name, "system": cells[-1 - len(MEASURES)].replace("`", ""),
                         **{m: float(v) for m, v in zip(MEASURES, figures)}})
        if rows:
            break
    return rows


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
