"""Analysis cost per token: our analyzers as the index uses them (normalization as one
cached step) against the same steps chained one by one, in the same run.

    nice .venv/bin/python bench/analysis_bench.py --docs 2000

Runs the three analyzers of the ``full`` profile (stemmed, exact, transliteration) over
title and body of each article of the benchmark collection, as indexing does, and
reports tokens/s of each way and their ratio. The two ways give the same tokens
(tests/test_normalize_cache.py).
"""

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is not a package)

from indexer.analysis import analyzers  # noqa: E402
from indexer.analysis.transliteration import TransliterationKeyFilter  # noqa: E402
from indexer.analysis.vocabulary import count_vocabulary  # noqa: E402


def _step_by_step(chain):
    analyzer = chain[0][1]
    for _, step in chain[1:]:
        analyzer = analyzer | step
    return analyzer


def chains(vocabulary):
    return [
        analyzers.steps(stem=True, vocabulary=vocabulary),
        analyzers.steps(stem=False),
        analyzers.steps(stem=False) + [("TransliterationKey", TransliterationKeyFilter())],
    ]


def run(analyzer_list, texts):
    started = time.perf_counter()
    count = 0
    for text in texts:
        for analyzer in analyzer_list:
            # As Whoosh indexes a TEXT field: positions on, offsets off.
            for _ in analyzer(text, positions=True):
                count += 1
    return count, time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args(argv)
    try:
        jsonl, _ = corpus.ensure(args.docs)
    except corpus.CorpusError as e:
        sys.exit(f"error: {e}")
    texts = []
    with open(jsonl, encoding="utf-8") as f:
        for line in itertools.islice(f, args.docs):
            record = json.loads(line)
            texts += [record["title"], record["text"]]
    vocabulary = count_vocabulary(texts)
    old_tokens, old_s = run([_step_by_step(c) for c in chains(vocabulary)], texts)
    new_tokens, new_s = run([analyzers._compose(c) for c in chains(vocabulary)], texts)
    assert old_tokens == new_tokens
    print(f"{args.docs} articles, {new_tokens} tokens through the 3 analyzers (same run, shared machine):")
    print(f"  steps one by one:       {old_s:7.1f} s  {old_tokens / old_s:10.0f} tokens/s")
    print(f"  cached normalization:   {new_s:7.1f} s  {new_tokens / new_s:10.0f} tokens/s")
    print(f"  speed-up x{old_s / new_s:.2f}")


if __name__ == "__main__":
    main()
