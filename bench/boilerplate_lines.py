"""What the boilerplate rule (``indexer/indexing/boilerplate.py``) leaves out of a collection.

    .venv/bin/python bench/boilerplate_lines.py [--corpus ../shared/news/ant-2018.jsonl.gz] [--sample 30]

Reads the collection as a build does (ANT corpus by default; cite it as its README asks),
counts its lines per outlet and reports, per outlet, the repeated lines found, the lines
left out (repeated lines and headline wrappers) and the articles that lose at least one;
then a seeded random sample of the distinct lines left out, with how many articles each
is left out of, to be read for false positives.
"""

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.indexing.boilerplate import LineCounter, lines  # noqa: E402
from indexer.sources import Skip, read_sources  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "news" / "ant-2018.jsonl.gz"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=30)
    args = parser.parse_args(argv)
    articles = [a for a in read_sources([args.corpus]) if not isinstance(a, Skip)]
    counter = LineCounter()
    for article in articles:
        counter.add(article.body, article.source)
    boilerplate = counter.boilerplate()
    per_outlet = Counter(source for source, _, _ in boilerplate.repeated)
    stats = {}
    left_out = Counter()
    for article in articles:
        row = stats.setdefault(article.source, Counter())
        row["articles"] += 1
        row["lines"] += len(lines(article.body))
        spans = boilerplate.left_out(article.title, article.body, article.source)
        row["left out"] += len(spans)
        row["articles affected"] += bool(spans)
        for start, end in spans:
            line = " ".join(article.body[start:end].split())
            left_out[(article.source, line)] += 1
            row["wrappers"] += not any(key[0] == article.source and key[2] == line for key in boilerplate.repeated)
    columns = ("articles", "lines", "left out", "articles affected", "wrappers")
    print("| outlet | repeated lines | " + " | ".join(columns) + " |")
    print("| --- | ---: |" + " ---: |" * len(columns))
    for source, row in sorted(stats.items(), key=lambda item: -item[1]["articles"]):
        print(f"| {source or '(none)'} | {per_outlet[source]} | " + " | ".join(f"{row[c]:,}" for c in columns) + " |")
    total = sum(stats.values(), Counter())
    print(f"| all | {len(boilerplate)} | " + " | ".join(f"{total[c]:,}" for c in columns) + " |")
    print(f"\nA sample of {args.sample} of the {len(left_out):,} distinct lines left out (articles, outlet, line):")
    for (source, line), n in random.Random(0).sample(sorted(left_out.items()), min(args.sample, len(left_out))):
        print(f"{n:5d}  {source}  {line[:150]}")


if __name__ == "__main__":
    main()
