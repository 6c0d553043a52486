"""Relevance evaluation: build a temporary index of a judged collection, run its queries,
and score the run with ``ir-measures`` (trec_eval definitions).

A set is a folder with ``corpus.jsonl``, ``queries.tsv`` (``qid<TAB>text``) and
``qrels.tsv`` (``qid<TAB>docid<TAB>grade``), as in ``../shared/eval/``.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import P, R, RR, nDCG

from indexer.analysis import DEFAULT_PROFILE
from indexer.building import build_index
from indexer.searching import SearchIndex

MEASURES = {"nDCG@10": nDCG @ 10, "MRR@10": RR @ 10, "R@100": R @ 100, "P@10": P @ 10}
DEFAULT_SETS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
RUN_DEPTH = 100


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


def find_sets(root=DEFAULT_SETS_DIR):
    """Every evaluation set under ``root`` (folders holding a ``corpus.jsonl``)."""
    return [EvalSet.from_folder(p.parent) for p in sorted(Path(root).glob("*/corpus.jsonl"))]


def read_queries(path):
    """``[(qid, text), ...]`` from a ``qid<TAB>text`` file; raises ``ValueError`` naming
    a malformed line."""
    queries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        qid, tab, text = line.partition("\t")
        if not tab:
            raise ValueError(f"{path}:{number}: expected qid<TAB>query")
        queries.append((qid.strip(), text.strip()))
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
    """``{qid: [(docid, score), ...]}``, all query words optional (ranked retrieval)."""
    return {qid: index.ranked_ids(text, limit=depth) for qid, text in queries}


def write_trec_run(run, out, tag="arabic-search"):
    """Writes ``qid Q0 docid rank score tag`` lines."""
    with open(out, "w", encoding="utf-8") as f:
        for qid, ranked in run.items():
            for rank, (docid, score) in enumerate(ranked, 1):
                f.write(f"{qid} Q0 {docid} {rank} {score:.6f} {tag}\n")


def score_run(run, qrels):
    """Mean of each measure of ``MEASURES`` over the queries that have judgments."""
    scored = [ir_measures.ScoredDoc(qid, docid, score) for qid, ranked in run.items() for docid, score in ranked]
    result = ir_measures.calc_aggregate(list(MEASURES.values()), qrels, scored)
    return {name: result[measure] for name, measure in MEASURES.items()}


def evaluate(eval_set, profile=DEFAULT_PROFILE):
    """Builds ``eval_set``'s corpus with ``profile`` in a temporary folder and scores it."""
    with tempfile.TemporaryDirectory(prefix="arabic-search-eval-") as tmp:
        build_index([eval_set.corpus], Path(tmp) / "index", profile=profile)
        index = SearchIndex(Path(tmp) / "index")
        try:
            run = run_queries(index, read_queries(eval_set.queries))
        finally:
            index.close()
    return score_run(run, read_qrels(eval_set.qrels))
