"""What each kind of query costs, as a ratio to a plain one-word search on the same index.

    .venv/bin/python bench/query_costs.py [--collection JSONL] [--runs 7]

Builds (once per collection, in ``bench/.cache/``) an index of a JSONL collection (default:
the ARCD passages of ``../shared/eval/arcd/``, real Arabic Wikipedia text; the larger
benchmark collection of ``bench/corpus.py`` works too), picks query words from the index's own vocabulary (frequent, medium and rare words, a
misspelling of a frequent one, the same word typed on the English layout) and times each
query kind: phrase, exclusion, OR, exact form, ``word*`` with 2 and 4 letters, ``word~``
and ``word~2``, a zero-hit misspelling (which computes the "did you mean"), and
autocomplete with 2 and 4 letters. Medians of ``--runs`` runs; ratios only, as the machine
is shared and absolute times vary from run to run.
"""

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import QueryError, SearchIndex, build_index  # noqa: E402
from indexer.search.spelling import KEYBOARD  # noqa: E402

DEFAULT_COLLECTION = ROOT.parent / "shared" / "eval" / "arcd" / "corpus.jsonl"
# The Latin key under each Arabic letter (unshifted keys only).
TO_KEYS = {arabic: key for key, arabic in KEYBOARD.items() if len(arabic) == 1 and not key.isupper()}


def vocabulary_by_frequency(index):
    reader = index.searcher.reader()
    terms = [(reader.doc_frequency("body_exact", t), t.decode() if isinstance(t, bytes) else t)
             for t in reader.lexicon("body_exact")]
    return [t for df, t in sorted(terms, reverse=True) if len(t) >= 5 and t.isalpha()]


def timed(fn, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", type=Path, default=DEFAULT_COLLECTION)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.collection.is_file():
        sys.exit(f"error: no collection at {args.collection}")

    key = hashlib.sha1(str(args.collection.resolve()).encode()).hexdigest()[:12]
    root = ROOT / "bench" / ".cache" / f"query-costs-{key}"
    if not (root / "current").exists():
        build_index([args.collection], root)
    index = SearchIndex(root)
    documents = index.searcher.reader().doc_count()

    words = vocabulary_by_frequency(index)
    frequent, medium, rare = words[10], words[len(words) // 20], words[len(words) // 2]
    misspelled = frequent[:3] + frequent[2] + frequent[3:]  # a doubled letter
    keyboard = "".join(TO_KEYS.get(ch, ch) for ch in frequent)
    bare = next(w for w in words if not w.startswith("ال"))
    with_article = next(w for w in words if w.startswith("ال"))
    fresh = iter(dict.fromkeys(w[:3] for w in words[::7]))

    kinds = [
        ("plain word (reference)", lambda: index.search(medium)),
        ("two words", lambda: index.search(f"{frequent} {medium}")),
        ("phrase", lambda: index.search(f'"{frequent} {medium}"')),
        ("exclusion", lambda: index.search(f"{frequent} -{medium}")),
        ("OR / أو", lambda: index.search(f"{medium} أو {rare}")),
        ("exact =word", lambda: index.search(f"={medium}")),
        ("prefix, 2 letters", lambda: index.search(bare[:2] + "*")),
        ("prefix, ال + 2 letters", lambda: index.search(with_article[:4] + "*")),
        ("fuzzy ~1", lambda: index.search(medium + "~")),
        ("fuzzy ~2", lambda: index.search(medium + "~2")),
        ("misspelled: did you mean", lambda: index.search(misspelled)),
        ("English layout: did you mean", lambda: index.search(keyboard)),
        ("complete, 2 letters", lambda: index.complete(bare[:2])),
        ("complete, 4 letters", lambda: index.complete(with_article[:4])),
        # A new prefix each run: the spellings shown are looked up in the articles.
        ("complete, 3 letters, not seen before", lambda: index.complete(next(fresh))),
    ]
    print(f"{args.collection.name}: {documents} articles, {len(words)} exact-form words of 5+ letters; "
          f"words: {frequent} / {medium} / {rare}; misspelled {misspelled}; typed {keyboard}")
    for typed in (misspelled, keyboard):
        print(f"did you mean for {typed!r}: {index.search(typed).suggestion!r}")
    print("| query kind | x plain word |\n| --- | ---: |")
    reference = None
    for name, run in kinds:
        try:
            run()  # warm caches: the first search loads the segment's files
            seconds = timed(run, args.runs)
        except QueryError as e:
            print(f"| {name} | refused: {e} |")
            continue
        reference = reference or seconds
        print(f"| {name} | {seconds / reference:.1f} |")
    index.close()


if __name__ == "__main__":
    main()
