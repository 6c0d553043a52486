"""RM3 pseudo-relevance feedback, measured (docs/relevance.md, "RM3"): each query runs once,
its first ``--fb-docs`` documents give ``--fb-terms`` expansion stems by the relevance model
(Lavrenko and Croft; RM3 as Anserini runs it), and the expanded query, the original
weighted ``--weight``, is run again for the top 100, which the re-ranker orders as usual.
Prints engine order and 5-fold CV figures per set, as ``python -m indexer eval`` does.

    .venv/bin/python bench/rm3.py [--sets-dir ../shared/eval --sets-dir ../shared/eval-news]

The ANT headlines set comes from the ANT corpus (cite it as its README asks).
"""

import argparse
import dataclasses
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import evaluation as ev  # noqa: E402
from indexer import build_index  # noqa: E402
from indexer.engine import plan  # noqa: E402
from indexer.search import rerank  # noqa: E402
from indexer.search.searching import QueryError, SearchIndex, validate_query  # noqa: E402

# Stems in more than this share of the documents say nothing of a story.
MAX_DF_SHARE = 0.1


def expansion(snapshot, terms, hits, fb_terms):
    """``[(stem, weight)]``: the relevance model over ``hits`` (``[(key, score)]``), the
    query's own stems and those in one document or in more than ``MAX_DF_SHARE`` left out."""
    total = sum(score for _, score in hits) or 1.0
    model = Counter()
    analyzer = snapshot.reranker.analyzer
    for key, score in hits:
        stored = snapshot.reader.stored(key)
        counts = Counter(analyzer.terms(snapshot.analysis.searched(stored, "body"))["main"])
        counts.update(analyzer.terms(snapshot.analysis.searched(stored, "title"))["main"])
        length = sum(counts.values()) or 1
        for stem, n in counts.items():
            model[stem] += score / total * n / length
    n_docs, chosen = snapshot.reader.doc_count(), []
    for stem, weight in model.most_common():
        df = snapshot.reader.doc_frequency("body", stem)
        if stem not in terms.stems and 2 <= df <= MAX_DF_SHARE * n_docs:
            chosen.append((stem, weight))
            if len(chosen) == fb_terms:
                break
    return chosen


def expanded(q, chosen, terms, weight):
    """The query ``q`` (an ``AnyOf``) at ``weight`` plus the expansion stems sharing the
    rest, each in title and body with the schema's boosts."""
    mass = sum(w for _, w in chosen) or 1.0
    scale = (1 - weight) * max(1, len(terms.stems)) / mass
    children = [dataclasses.replace(c, boost=c.boost * weight) for c in q.children]
    for stem, w in chosen:
        children += [plan.Term("title", stem, 2.0 * scale * w), plan.Term("body", stem, scale * w)]
    return plan.any_of(children)


def collect(eval_set, args):
    collected = ev.Collected(eval_set.name, ev.read_qrels(eval_set.qrels))
    with tempfile.TemporaryDirectory(prefix="rm3-") as tmp:
        build_index([eval_set.corpus], Path(tmp) / "index", engine_name=args.engine)
        index = SearchIndex(Path(tmp) / "index")
        s = index.snapshot
        for _, qid, text in ev.read_queries(eval_set.queries):
            try:
                q = index.compile(validate_query(text), group=plan.any_of, operator_words=False)[1]
            except QueryError:
                q = plan.NOTHING
            terms = rerank.QueryTerms.of(q)
            keys = []
            if isinstance(q, plan.AnyOf):
                chosen = expansion(s, terms, s.reader.search(q, args.fb_docs).hits, args.fb_terms)
                keys = [key for key, _ in s.reader.search(expanded(q, chosen, terms, args.weight), ev.RUN_DEPTH).hits]
            collected.queries[qid] = ([s.reader.stored(k)["id"] for k in keys], s.reranker.candidates(terms, keys),
                                      s.reranker.idf(terms))
        index.close()
    return collected


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets-dir", action="append", type=Path)
    parser.add_argument("--engine", default="whoosh")
    parser.add_argument("--fb-docs", type=int, default=10)
    parser.add_argument("--fb-terms", type=int, default=10)
    parser.add_argument("--weight", type=float, default=0.5, help="the original query's share")
    args = parser.parse_args(argv)
    dirs = args.sets_dir or [ROOT.parent / "shared" / "eval", ROOT.parent / "shared" / "eval-news"]
    collections = [collect(s, args) for d in dirs for s in ev.find_sets(d)]
    for c in collections:
        print(c.name, "engine order", ev.score_run(c.run(), c.qrels))
    for name, figures in ev.cross_validate(collections).items():
        print(name, "5-fold CV", ev.spread(figures))


if __name__ == "__main__":
    main()
