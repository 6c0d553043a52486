"""The near-duplicate threshold, measured on labelled pairs of real Arabic news reports.

    .venv/bin/python bench/near_duplicates_threshold.py [--collection tests/data/news.jsonl]

Every pair of articles in the collection is labelled: same story (the reports listed in
``STORIES``: the five seed articles, Lavrov meets Kim Jong Un, and the test collection's
multi-outlet stories) or different stories (every other pair). For two measures it prints
the score distribution of each label and the gap between them:

* ``tfidf-cosine``: what ``indexer.search.stories`` uses, the cosine of tf-idf vectors
  over the index's stemmed terms of title and body;
* ``shingle-jaccard``: Jaccard similarity of 3-word shingles of normalized words, the
  classic near-duplicate measure, to show why it is not used: rewritten reports share
  few word triples.

Then it checks ``THRESHOLD`` against the pairs (how many same-story pairs fall below it,
different-story pairs above it), scores the five seeds in an index of their own (where
the story's words are in every article) and groups them, times the first computation of an article's signature,
and times a grouped search against an ungrouped one on the same index (a ratio within
one run: the machine is shared; grouped pages show fewer hits, so less to highlight).
"""

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import SearchIndex, build_index  # noqa: E402
from indexer.analysis import profile_analyzers  # noqa: E402
from indexer.search.stories import THRESHOLD  # noqa: E402

# Reports of one story by different outlets (ids in tests/data/news.jsonl).
STORIES = {
    "lavrov-kim": ["000_0b332bf175457bc7", "001_0da1ffbe29b36b8b", "002_7d4f12e30b58a4f0",
                   "003_58cafd3a0bd33588", "004_2b11dcb59984afc5"],
    "opec-cut": ["opec-cut-aljazeera", "opec-cut-alarabiya", "opec-cut-bbc"],
    "iraq-heat": ["iraq-heat-skynews", "iraq-heat-aljazeera", "iraq-heat-aawsat"],
    "hilal-city": ["hilal-city-alarabiya", "hilal-city-bbc"],
}
QUERIES = ["لافروف", "النفط", "الحرارة في العراق", "الهلال", "كوريا الشمالية", "منظمة الصحة"]


def shingles(text, analyzer, size=3):
    words = [t.text for t in analyzer(text, removestops=False)]
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 0.0


def describe(scores):
    scores = sorted(scores)
    quartiles = statistics.quantiles(scores, n=4) if len(scores) > 1 else scores * 3
    return (f"n={len(scores):4d}  min={scores[0]:.3f}  q1={quartiles[0]:.3f}  median={quartiles[1]:.3f}  "
            f"q3={quartiles[2]:.3f}  max={scores[-1]:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collection", default=str(ROOT / "tests" / "data" / "news.jsonl"))
    args = parser.parse_args()
    records = [json.loads(line) for line in Path(args.collection).read_text(encoding="utf-8").splitlines() if line]
    story_of = {doc_id: story for story, ids in STORIES.items() for doc_id in ids}

    with tempfile.TemporaryDirectory() as tmp:
        build_index([args.collection], Path(tmp) / "index")
        index = SearchIndex(Path(tmp) / "index")
        searcher = index.searcher
        signatures = index.signatures
        docnum = {r["id"]: searcher.document_number(id=r["id"]) for r in records}
        _, exact, _ = profile_analyzers("full")
        shingle_sets = {r["id"]: shingles(f"{r['title']}\n{r['text']}", exact) for r in records}

        measures = {
            "tfidf-cosine": lambda a, b: signatures.similarity(docnum[a], docnum[b]),
            "shingle-jaccard": lambda a, b: jaccard(shingle_sets[a], shingle_sets[b]),
        }
        print(f"{len(records)} articles, {sum(len(ids) for ids in STORIES.values())} in {len(STORIES)} multi-outlet stories")
        for name, measure in measures.items():
            same, different = [], []
            for a, b in itertools.combinations([r["id"] for r in records], 2):
                label_same = a in story_of and story_of.get(a) == story_of.get(b)
                (same if label_same else different).append(measure(a, b))
            print(f"\n{name}")
            print(f"  same story:        {describe(same)}")
            print(f"  different stories: {describe(different)}")
            gap = min(same) - max(different)
            print(f"  gap (lowest same - highest different): {gap:+.3f}"
                  + ("  (separable)" if gap > 0 else "  (overlap: no threshold separates them)"))
            if name == "tfidf-cosine":
                missed = sum(s < THRESHOLD for s in same)
                wrong = sum(d >= THRESHOLD for d in different)
                print(f"  THRESHOLD={THRESHOLD}: {missed}/{len(same)} same-story pairs below, "
                      f"{wrong}/{len(different)} different-story pairs at or above")

        build_index([ROOT / "seeds"], Path(tmp) / "seeds-index")
        alone = SearchIndex(Path(tmp) / "seeds-index")
        seed_scores = [alone.signatures.similarity(a, b) for a, b in itertools.combinations(range(5), 2)]
        grouped = alone.search("لافروف").hits
        print(f"\nthe five seeds in an index of their own: {describe(seed_scores)}")
        print(f"  single-link grouping of «لافروف»: {len(grouped)} result(s), "
              f"{sum(len(h.duplicates) for h in grouped)} report(s) folded")
        alone.close()

        cold = SearchIndex(Path(tmp) / "index")
        started = time.perf_counter()
        for number in docnum.values():
            cold.signatures.of(number)
        per_article = (time.perf_counter() - started) / len(docnum) * 1000
        chars = sum(len(r["title"]) + len(r["text"]) for r in records) / len(records)
        print(f"\nsignature of an article, first use (then cached): {per_article:.2f} ms "
              f"(mean {chars:.0f} characters)")
        cold.close()

        print("\nsearch time without snippets, grouped vs ungrouped (warm, 20 rounds of each query)")
        for grouped in (False, True):
            for q in QUERIES:
                index.search(q, group_duplicates=grouped, with_snippets=False)
        timings = {}
        for grouped in (False, True):
            started = time.perf_counter()
            for _ in range(20):
                for q in QUERIES:
                    index.search(q, group_duplicates=grouped, with_snippets=False)
            timings[grouped] = (time.perf_counter() - started) / (20 * len(QUERIES)) * 1000
        print(f"  ungrouped {timings[False]:.2f} ms/query, grouped {timings[True]:.2f} ms/query, "
              f"ratio {timings[True] / timings[False]:.2f}")
        index.close()


if __name__ == "__main__":
    main()
