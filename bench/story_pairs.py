"""Story-grouping labels on real news: candidate pairs of ANT articles, read and labelled by hand.

    .venv/bin/python bench/story_pairs.py sample    # writes bench/.cache/story_candidates.{jsonl,txt}
    .venv/bin/python bench/story_pairs.py measure   # precision/recall of the grouping measure on the labels

The labels are ``bench/story_pairs.jsonl``, one pair a line:
``{"a": id, "b": id, "same_story": true, "note": "..."}``; the rule they follow, the sampling and
the counts are in ``bench/STORY_PAIRS.md``. Other code reads them with ``load_labels()``.

Articles come from the ANT corpus (``../shared/news/ant-2018.jsonl.gz``; A. Chouigui, O. Ben
Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document
Extractive Summarization", Arabian Journal for Science and Engineering 46(8), 2021;
antcorpus.github.io). Both commands score pairs with the project's grouping measure
(``indexer.search.stories``: cosine of tf-idf vectors over stemmed title and body terms, the
title counted ``TITLE_WEIGHT`` times) with document frequencies and the stemmer's vocabulary
taken from the whole corpus, as an index of the whole corpus would have them. The analysed
corpus is cached in ``bench/.cache/`` (outside git).
"""

import argparse
import gzip
import json
import math
import pickle
import random
import sys
from collections import Counter
from email.utils import parsedate_to_datetime
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.analysis import stemming_analyzer  # noqa: E402
from indexer.analysis.vocabulary import count_vocabulary  # noqa: E402
from indexer.indexing.signatures import TITLE_WEIGHT  # noqa: E402

CORPUS = ROOT.parent / "shared" / "news" / "ant-2018.jsonl.gz"
LABELS = ROOT / "bench" / "story_pairs.jsonl"
CACHE = ROOT / "bench" / ".cache"
SEED = 20181002
MAX_GAP_DAYS = 30
EXCERPT = 600
# Similarity bands of the grouping measure. Above NEAR_COPY an article is the same text filed
# twice (an outlet's own re-post): trivially one story, so not worth a reader's time.
BANDS = {"high": (0.30, 0.85), "middle": (0.15, 0.30), "low": (0.04, 0.15)}
NEAR_COPY = 0.85
GAPS = {"0d": (0, 0), "1-2d": (1, 2), "3-7d": (3, 7), "8-30d": (8, 30)}
# The queries of issue 11 whose stories chained together; pairs are drawn among their matches.
HARD_QUERIES = ["كوريا الشمالية", "خاشقجي", "ترامب كيم سنغافورة", "أسعار النفط"]
ANCHORS = 260
QUERY_PAIRS = 16
NEAREST = 120
DAY_WINDOWS = [None, 1, 2, 3, 7]
# The grouping measure when the pairs were drawn: cosine of full tf-idf vectors, grouped at 0.21.
# Kept here so the sample stays reproducible; the project's rule is bench/story_grouping.py's.
THRESHOLD = 0.21


def tfidf_vector(counts, doc_frequency, doc_count):
    """Unit-length tf-idf vector: ``(1 + log tf) * log(1 + N / df)``."""
    vector = {}
    for term, tf in counts.items():
        df = doc_frequency(term)
        if df:
            vector[term] = (1 + math.log(tf)) * math.log(1 + doc_count / df)
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def load_labels(path=LABELS):
    """The labelled pairs: ``[{"a": id, "b": id, "same_story": bool, "note": str}, ...]``.
    ``sum(p["same_story"] for p in load_labels())`` counts the same-story pairs."""
    pairs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            pair = json.loads(line)
            if not isinstance(pair.get("same_story"), bool) or not pair.get("a") or not pair.get("b"):
                raise ValueError(f"{path}:{number}: a pair needs ids 'a', 'b' and a boolean 'same_story'")
            pairs.append(pair)
    return pairs


class Corpus:
    """Every ANT article with its date, stemmed term counts and tf-idf vector (sparse rows)."""

    def __init__(self, records, counts, df, vocabulary):
        self.records = records
        self.ids = [r["id"] for r in records]
        self.analyzer = stemming_analyzer(vocabulary)
        self.position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self.days = np.array([parsedate_to_datetime(r["published"]).timestamp() / 86400 for r in records])
        n = 2 * len(records)  # df counts title and body apart, as the index does
        terms = {}
        rows, cols, vals = [], [], []
        for i, c in enumerate(counts):
            for term, weight in tfidf_vector(c, lambda t: df.get(t, 0), n).items():
                rows.append(i)
                cols.append(terms.setdefault(term, len(terms)))
                vals.append(weight)
        self.terms = terms
        self.matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(records), len(terms)))

    @classmethod
    def load(cls, path=CORPUS):
        cache = CACHE / "story_pairs_corpus.pickle"
        if cache.exists() and cache.stat().st_mtime > path.stat().st_mtime:
            with open(cache, "rb") as f:
                return cls(*pickle.load(f))
        with gzip.open(path, "rt", encoding="utf-8") as f:
            records = [json.loads(line) for line in f]
        vocabulary = count_vocabulary(f"{r['title']}\n{r['text']}" for r in records)
        analyzer = stemming_analyzer(vocabulary)
        counts, df = [], Counter()
        for r in records:
            # term_counts() of indexer.search.stories, with each part analysed once for df too.
            title = Counter(t.text for t in analyzer(r["title"]))
            body = Counter(t.text for t in analyzer(r["text"]))
            df.update(title.keys())
            df.update(body.keys())
            counts.append(body + Counter({t: n * TITLE_WEIGHT for t, n in title.items()}))
        state = (records, counts, dict(df), vocabulary)
        CACHE.mkdir(exist_ok=True)
        with open(cache, "wb") as f:
            pickle.dump(state, f)
        return cls(*state)

    def similarities(self, i):
        return (self.matrix @ self.matrix[i].T).toarray().ravel()

    def similarity(self, a, b):
        i, j = self.position[a], self.position[b]
        return float(self.matrix[i].multiply(self.matrix[j]).sum())

    def gap(self, a, b):
        """Days between the two publication dates (calendar days of the timestamps, UTC)."""
        return abs(int(self.days[self.position[a]]) - int(self.days[self.position[b]]))

    def excerpt(self, i):
        r = self.records[i]
        return {"id": r["id"], "source": r["source"], "published": r["published"], "title": r["title"],
                "text": " ".join(r["text"].split())[:EXCERPT]}


def _days_apart(corpus, i, others):
    day = np.floor(corpus.days)
    return np.abs(day[others] - day[i]).astype(int)


def _pick(corpus, rng, i, pool, band, gap_name, shared_terms=None):
    """A partner of article ``i`` among ``pool`` (indices) in similarity ``band``, preferring
    date gap ``gap_name``; ``None`` when the band is empty."""
    pool = np.asarray(pool)
    pool = pool[pool != i]
    sims = corpus.similarities(i)[pool]
    gaps = _days_apart(corpus, i, pool)
    low, high = BANDS[band]
    fits = (sims >= low) & (sims < high) & (gaps <= MAX_GAP_DAYS)
    if shared_terms is not None:
        fits &= np.asarray((corpus.matrix[pool][:, shared_terms] > 0).sum(axis=1)).ravel() > 0
    if not fits.any():
        return None
    first, last = GAPS[gap_name]
    preferred = fits & (gaps >= first) & (gaps <= last)
    chosen = np.flatnonzero(preferred if preferred.any() else fits)
    return int(pool[rng.choice(list(chosen))])


def _names(corpus, i, count=3):
    """Columns of the article's ``count`` heaviest terms: mostly the names of its story, so a
    low-similarity partner sharing one is on a related subject, not just any article."""
    row = corpus.matrix[i]
    return list(row.indices[np.argsort(row.data)[::-1][:count]])


def sample(corpus, seed=SEED):
    """Candidate pairs ``[(i, j, origin, band)]``: anchors from every outlet in turn, each with a
    partner in a similarity band (rotating high, middle, high, low, middle), two in three from another
    outlet, date gaps rotating 0, 1-2, 3-7, 8-30 days; then pairs among the matches of each
    hard query, drawn the same way; then each anchor's nearest report by another outlet within a day."""
    rng = random.Random(seed)
    outlets = sorted({r["source"] for r in corpus.records})
    by_outlet = {o: [i for i, r in enumerate(corpus.records) if r["source"] == o] for o in outlets}
    everyone = np.arange(len(corpus.records))
    band_cycle = ["high", "middle", "high", "low", "middle"]
    gap_cycle = list(GAPS)
    pairs, seen = [], set()

    def add(i, j, origin, band):
        key = tuple(sorted((corpus.ids[i], corpus.ids[j])))
        if key not in seen:
            seen.add(key)
            pairs.append((i, j, origin, band))

    # Each slot takes the next anchor of its outlet that has a partner in the slot's band.
    streams = {o: iter(rng.sample(by_outlet[o], len(by_outlet[o]))) for o in outlets}
    for k in range(ANCHORS):
        band = band_cycle[k % len(band_cycle)]
        source = outlets[k % len(outlets)]
        pool = by_outlet[source] if k % 3 == 0 else [j for j in everyone if corpus.records[j]["source"] != source]
        for i in streams[source]:
            j = _pick(corpus, rng, i, pool, band, gap_cycle[(k // 3) % len(gap_cycle)],
                      _names(corpus, i) if band == "low" else None)
            if j is not None:
                add(i, j, "sampled", band)
                break

    for query in HARD_QUERIES:
        stems = [corpus.terms.get(t.text) for t in corpus.analyzer(query)]
        hits = corpus.matrix[:, [s for s in stems if s is not None]]
        matches = list(np.flatnonzero(np.asarray((hits > 0).sum(axis=1)).ravel() == len(stems)))
        for k in range(QUERY_PAIRS):
            i = rng.choice(matches)
            band = band_cycle[k % len(band_cycle)]
            j = _pick(corpus, rng, i, matches, band, gap_cycle[(k // 2) % len(gap_cycle)])
            if j is not None:
                add(i, j, f"query:{query}", band)

    # Reports of one story are rare among random pairs, so the last slots take each anchor's
    # nearest report by another outlet within a day: the likely same-story pairs, at every
    # similarity down to the low band (the rewritten reports grouping must still find).
    for k in range(NEAREST):
        source = outlets[k % len(outlets)]
        for i in streams[source]:
            others = np.array([j for j in everyone if corpus.records[j]["source"] != source])
            others = others[_days_apart(corpus, i, others) <= 1]
            sims = corpus.similarities(i)[others]
            best = int(np.argmax(sims)) if len(others) else None
            if best is not None and BANDS["low"][0] * 3 <= sims[best] < NEAR_COPY:
                add(i, int(others[best]), "nearest", _band_of(sims[best]))
                break
    return pairs


def write_candidates(corpus, pairs):
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / "story_candidates.jsonl", "w", encoding="utf-8") as out, \
            open(CACHE / "story_candidates.txt", "w", encoding="utf-8") as text:
        for n, (i, j, origin, band) in enumerate(pairs):
            a, b = corpus.excerpt(i), corpus.excerpt(j)
            similarity = corpus.similarity(a["id"], b["id"])
            gap = corpus.gap(a["id"], b["id"])
            out.write(json.dumps({"pair": n, "origin": origin, "band": band, "similarity": round(similarity, 3),
                                  "gap_days": gap, "a": a, "b": b}, ensure_ascii=False) + "\n")
            text.write(f"=== {n} [{origin} {band} sim={similarity:.3f} gap={gap}d]\n")
            for doc in (a, b):
                text.write(f"  {doc['id']} | {doc['source']} | {doc['published']}\n  # {doc['title']}\n  {doc['text']}\n")
    return len(pairs)


def _band_of(similarity):
    if similarity >= NEAR_COPY:
        return "near-copy"
    return next((name for name, (low, high) in BANDS.items() if low <= similarity < high), "below")


def measure(corpus, labels):
    """Markdown tables: the labels by band and date gap, then precision and recall of
    "same story" for ``similarity >= THRESHOLD`` alone and with a date window."""
    rows = []
    for pair in labels:
        similarity = corpus.similarity(pair["a"], pair["b"])
        cross = corpus.records[corpus.position[pair["a"]]]["source"] != corpus.records[corpus.position[pair["b"]]]["source"]
        rows.append((pair["same_story"], similarity, corpus.gap(pair["a"], pair["b"]), cross))
    lines = ["| | same story | different story |", "| --- | ---: | ---: |"]
    groups = [("all", lambda r: True)]
    groups += [(f"band {name} [{low}, {high})", lambda r, lo=low, hi=high: lo <= r[1] < hi) for name, (low, high) in BANDS.items()]
    groups += [("near copy (>= 0.85)", lambda r: r[1] >= NEAR_COPY), ("below 0.04", lambda r: r[1] < 0.04)]
    groups += [(f"gap {name}", lambda r, lo=lo, hi=hi: lo <= r[2] <= hi) for name, (lo, hi) in GAPS.items()]
    groups += [("across outlets", lambda r: r[3]), ("within an outlet", lambda r: not r[3])]
    for name, test in groups:
        chosen = [r for r in rows if test(r)]
        lines.append(f"| {name} | {sum(r[0] for r in chosen)} | {sum(not r[0] for r in chosen)} |")
    lines += ["", f"| grouped when | pairs grouped | precision | recall | F1 |", "| --- | ---: | ---: | ---: | ---: |"]
    positives = sum(r[0] for r in rows)
    for window in DAY_WINDOWS:
        grouped = [r for r in rows if r[1] >= THRESHOLD and (window is None or r[2] <= window)]
        hits = sum(r[0] for r in grouped)
        precision = hits / len(grouped) if grouped else 0.0
        recall = hits / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        when = f"cosine >= {THRESHOLD}" + (f", dates within {window} day{'s' * (window > 1)}" if window else "")
        lines.append(f"| {when} | {len(grouped)} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["sample", "measure"])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        sys.exit(f"error: no corpus at {args.corpus} (the ANT news, ../shared/news/ant-2018.jsonl.gz)")
    corpus = Corpus.load(args.corpus)
    if args.command == "sample":
        count = write_candidates(corpus, sample(corpus))
        print(f"{count} candidate pairs in {CACHE / 'story_candidates.txt'}")
    else:
        print(measure(corpus, load_labels(args.labels)))


if __name__ == "__main__":
    main()
