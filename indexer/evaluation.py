"""Relevance evaluation: build a temporary index of a judged collection, run its queries,
and score the run with ``ir-measures`` (trec_eval definitions).

A set is a folder with ``corpus.jsonl``, ``queries.tsv`` (``qid<TAB>text``) and
``qrels.tsv`` (``qid<TAB>docid<TAB>grade``), as in ``../shared/eval/``.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import RR, P, R, nDCG

from indexer.analysis import DEFAULT_PROFILE
from indexer.engine import DEFAULT_ENGINE, plan
from indexer.indexing.building import build_index
from indexer.search.searching import QueryError, SearchIndex, validate_query

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


def read_reference(sets_dir=DEFAULT_SETS_DIR):
    """Reference figures from ``BASELINES.md`` beside the sets (its markdown table):
    ``[{"set", "system", "nDCG@10", ...}]``, empty when there is none."""
    path = Path(sets_dir) / "BASELINES.md"
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 + len(MEASURES) and all(_is_number(cell) for cell in cells[2:]):
            rows.append({"set": cells[0], "system": cells[1].replace("`", ""),
                         **{name: float(v) for name, v in zip(MEASURES, cells[2:])}})
    return rows


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
