"""What re-ranking costs a full results page, as a ratio to the same search without it.

    .venv/bin/python bench/rerank_cost.py [--set ../shared/eval-news/ant-headlines] [--queries 200] [--engine whoosh] [--depth 200]

Builds (once per set and engine, in ``bench/.cache/``) an index of an evaluation set's
corpus (default: the 5,000 ANT news articles of ``ant-headlines``; ANT corpus, cite as its
README asks) and runs its first ``--queries`` queries (real headlines) as a reader's search:
page 1, ten hits with snippets, stories grouped. Each query runs without re-ranking (the
engine's own top hits), then re-ranked twice: "cold" empties the re-ranker's cache first,
"warm" keeps it as a server does between queries. Candidates are read from the forward
index, which needs no cache, so the two differ only for an index built before it
(``--no-forward``: its candidates analyzed from their text, the cache holding them); ``--depth`` re-ranks that many of the engine's hits instead of ``rerank.DEPTH``. The three take
turns going first for each query (the first run of a query warms the engine's caches for
the others) and are interleaved so a busy machine slows them alike; totals are reported
as ratios to the search without re-ranking, as absolute times vary from run to run.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import QueryError, SearchIndex, build_index  # noqa: E402
from indexer.evaluation import read_queries  # noqa: E402
from indexer.indexing.forward_index import ForwardIndex  # noqa: E402
from indexer.search import rerank as reranking  # noqa: E402
from indexer.search import searching  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "eval-news" / "ant-headlines"


def timed(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engine", default="whoosh")
    parser.add_argument("--depth", type=int, default=reranking.DEPTH)
    parser.add_argument("--no-forward", action="store_true",
                        help="re-rank from the text, as an index built before the forward index is")
    args = parser.parse_args(argv)
    corpus = args.set / "corpus.jsonl"
    if not corpus.is_file():
        sys.exit(f"error: no corpus at {corpus}")
    root = ROOT / "bench" / ".cache" / f"rerank-{args.set.name}-{args.engine}"
    # Built again when cached by a version before the forward index.
    if not (root / "current").exists() or ForwardIndex.open(root / "current") is None:
        build_index([corpus], root, engine_name=args.engine)
    index = SearchIndex(root)
    reranker = index.snapshot.reranker
    if args.no_forward:
        reranker.forward = None
    searching.DEPTH = reranking.DEPTH = args.depth
    rerank, depth = reranker.rerank, searching.DEPTH
    queries = [text for _, _, text in read_queries(args.set / "queries.tsv")][: args.queries]

    def plain(text):
        # The search as it was: the engine's hits for the page, not re-ranked.
        searching.DEPTH, reranker.rerank = 0, lambda q, hits: hits
        try:
            index.search(text)
        finally:
            searching.DEPTH, reranker.rerank = depth, rerank

    def cold(text):
        reranker._documents.clear()
        index.search(text)

    totals = {"without re-ranking": 0.0, "re-ranked, cold cache": 0.0, "re-ranked, warm cache": 0.0}
    index.search(queries[0])  # open the engine's files
    runs = {"without re-ranking": plain, "re-ranked, cold cache": cold, "re-ranked, warm cache": index.search}
    names = list(runs)
    timeouts = 0
    for i, text in enumerate(queries):
        try:
            times = {name: timed(lambda: runs[name](text)) for name in names[i % 3:] + names[: i % 3]}
        except QueryError:
            timeouts += 1  # past the time budget in one of the runs: left out of all three
            continue
        for name, seconds in times.items():
            totals[name] += seconds
    reference = totals["without re-ranking"]
    print(f"{args.set.name}: {index.snapshot.reader.doc_count()} articles, {len(queries)} queries, {args.engine}, "
          f"page 1 of 10 with snippets, top {args.depth} re-ranked; {timeouts} left out (past the time budget in a run)")
    print("| search | x without re-ranking | ms a page |\n| --- | ---: | ---: |")
    for name, seconds in totals.items():
        print(f"| {name} | {seconds / reference:.2f} | {1000 * seconds / (len(queries) - timeouts):.1f} |")
    index.close()


if __name__ == "__main__":
    main()
