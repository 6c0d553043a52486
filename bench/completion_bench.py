"""How often autocomplete offers a headline's two-word phrase after its first word and
two letters of the second (``ولي الع`` -> ``ولي العهد``?), among its first five suggestions.

The phrases are 200 pairs of adjacent words from the index's own headlines, drawn with a
fixed seed: the second word of three letters or more and not a stop word, no punctuation
between them. A suggestion counts when its words, normalized as the index normalizes
them, are the phrase's. Uses only ``SearchIndex.complete``, so the same script measures
any version of the code (run it with that version's checkout first on ``PYTHONPATH``).

    python bench/completion_bench.py --index /tmp/ant     # an index of ANT, any engine
"""

import argparse
import random
import re
import sys
import time

from indexer import SearchIndex
from indexer.analysis.normalize import NormalizeFilter
from indexer.analysis.stopwords import stop_words
from indexer.analysis.tokenizer import TOKEN_PATTERN

TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
NORMALIZE = NormalizeFilter()


def normalized(text):
    return [w for token in TOKEN.findall(text) for w in NORMALIZE.parts(token) if w]


def headline_pairs(titles, count, seed):
    """``count`` (first word, second word) pairs of adjacent words, as the titles write them."""
    stops, pairs = stop_words(), []
    for title in titles:
        for piece in re.split(r"[^\w\s]+", title):
            words = TOKEN.findall(piece)
            pairs += [(a, b) for a, b in zip(words, words[1:])
                      if len(b) >= 3 and normalized(b) and normalized(b)[0] not in stops and not b.isdigit()]
    return random.Random(seed).sample(sorted(set(pairs)), count)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--phrases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    ix = SearchIndex(args.index)
    reader = ix.snapshot.reader
    titles = sorted((d.get("title") or "") for d in reader.all_stored())
    pairs = headline_pairs(titles, args.phrases, args.seed)
    found, started = 0, time.perf_counter()
    misses = []
    for first, second in pairs:
        wanted = normalized(f"{first} {second}")
        offered = ix.complete(f"{first} {second[:2]}", limit=args.top)
        if any(normalized(s) == wanted for s in offered):
            found += 1
        else:
            misses.append(f"{first} {second}")
    seconds = time.perf_counter() - started
    print(f"{found}/{len(pairs)} phrases among the first {args.top} suggestions "
          f"({100 * found / len(pairs):.1f}%), {seconds:.1f} s for all")
    for typed in ("ولي الع", "خاش", "المملكة العربية ال"):
        print(f"{typed!r}: {ix.complete(typed, limit=args.top)}")
    print("first misses:", "، ".join(misses[:10]))
    ix.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
