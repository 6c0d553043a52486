"""Relevance on the development sets of ../shared/eval and ../shared/eval-news (the
evaluation command's default folders): our final configuration must stay above Lucene's
ArabicAnalyzer + BM25 (BASELINES.md, the eval-news README) on nDCG@10 and recall@100.

The question sets are measured on Whoosh, the default engine; the news set (5,000 ANT
articles) on tantivy, the engine for large collections, which builds and searches it in a
third of Whoosh's time. `python -m indexer eval` measures every set on either engine."""

import pytest

from indexer.engine import DEFAULT_ENGINE
from indexer.evaluation import DEFAULT_SETS_DIRS, evaluate, find_sets, read_reference

QUESTIONS, NEWS = DEFAULT_SETS_DIRS
ENGINES = {QUESTIONS: DEFAULT_ENGINE, NEWS: "tantivy"}
FOLDERS = [folder for folder in DEFAULT_SETS_DIRS if folder.is_dir()]
SETS = [(eval_set, ENGINES[folder]) for folder in FOLDERS for eval_set in find_sets(folder)]
LUCENE = {row["set"]: row for folder in FOLDERS for row in read_reference(folder) if "ArabicAnalyzer" in row["system"]}

pytestmark = pytest.mark.skipif(not SETS, reason=f"no evaluation sets in {', '.join(map(str, DEFAULT_SETS_DIRS))}")


@pytest.mark.parametrize(("eval_set", "engine_name"), SETS, ids=[f"{s.name}-{engine}" for s, engine in SETS])
def test_full_configuration_beats_lucene_arabic_analyzer(eval_set, engine_name):
    ours = evaluate(eval_set, "full", engine_name)
    lucene = LUCENE[eval_set.name]
    assert ours["nDCG@10"] > lucene["nDCG@10"], ours
    assert ours["R@100"] > lucene["R@100"], ours


def test_each_arabic_step_beats_whoosh_default():
    arcd = next(s for s, _ in SETS if s.name == "arcd")
    default = evaluate(arcd, "whoosh-default")["nDCG@10"]
    assert evaluate(arcd, "normalize")["nDCG@10"] > default + 0.1
