"""Load on the real server: requests per second and latency percentiles at 1, 8 and 32
concurrent clients, first on a quiet index, then while ``python -m indexer build`` rebuilds
it in a loop (each rebuild swaps in a new generation under the readers).

The server is ``waitress-serve --call webui:create_app`` in its own process, as ``make
serve`` runs it, on a free loopback port; clients are threads with keep-alive connections
cycling through a fixed mix of searches, result pages, article views and suggestions.
The collection is the seed articles recombined into ``--docs`` articles (real Arabic news
paragraphs), or the folder or collection file given as argument, on either engine.

    .venv/bin/python bench/load_bench.py                 # 2000 recombined articles, 5 s a level
    .venv/bin/python bench/load_bench.py ARTICLES/ --seconds 10 --clients 1,8,32 --json
    .venv/bin/python bench/load_bench.py ../shared/news/ant-2018.jsonl.gz --engine tantivy
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
BIN = Path(sys.executable).parent
SEED = 20261123
# Exit codes of a build that swapped in a new index (3: some files were skipped).
BUILT = (0, 3)
# The seeds' story, then general words for other collections (ARCD's Wikipedia passages).
QUERIES = ["لافروف", "كيم جونغ أون", "كوريا الشمالية", "وزير الخارجية الروسي", "أوكرانيا",
           "بيونغ يانغ", "الحرب في أوكرانيا", "موسكو", "مصر", "الدولة العثمانية", "كرة القدم", "جامعة"]
PREFIXES = ["لاف", "كوري", "وزي", "أوك", "مص", "جام"]


def recombine_seeds(folder, count, rng):
    """``count`` articles, each a seed title and six paragraphs drawn from all seeds."""
    paragraphs, titles = [], []
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        titles.append(lines[0])
        paragraphs += lines[1:]
    folder.mkdir(parents=True)
    for i in range(count):
        body = "\n".join(rng.sample(paragraphs, 6))
        (folder / f"mix-{i:05d}.txt").write_text(f"{rng.choice(titles)}\n{body}\n", encoding="utf-8")
    return folder


def request_mix(index_dir, rng):
    """The paths the clients cycle through: a reader's session, roughly."""
    sys.path.insert(0, str(REPO))
    from indexer import QueryError, SearchIndex

    index = SearchIndex(index_dir)
    doc_ids = []
    for q in QUERIES:
        try:
            doc_ids += [hit.id for hit in index.search(q, with_snippets=False, group_duplicates=False).hits]
        except QueryError as e:
            print(f"warning: {q}: {e}", file=sys.stderr)
    index.close()
    paths = []
    for q in QUERIES:
        paths.append(f"/?q={quote(q)}")
        paths.append(f"/api/search?q={quote(q)}")
    paths += [f"/doc/{quote(d, safe='')}?q={quote(QUERIES[0])}" for d in rng.sample(doc_ids, min(6, len(doc_ids)))]
    paths += [f"/api/suggest?q={quote(p)}" for p in PREFIXES]
    rng.shuffle(paths)
    return paths


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir, threads):
    port = free_port()
    env = dict(os.environ, ARABIC_SEARCH_INDEX=str(index_dir))
    server = subprocess.Popen([str(BIN / "waitress-serve"), f"--listen=127.0.0.1:{port}", f"--threads={threads}",
                               "--call", "webui:create_app"], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("error: the server did not start")


def client(port, paths, offset, stop, latencies, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = offset
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"{path}: {e!r}")
            connection.close()
            continue
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(f"{path}: {response.status}")
    connection.close()


def measure(port, paths, clients, seconds, passes=None):
    """Runs ``clients`` for ``seconds`` (or, with ``passes``, until one client has made
    that many passes over ``paths``)."""
    stop = threading.Event()
    latencies, errors = [], []
    threads = [threading.Thread(target=client, args=(port, paths, n * 7, stop, latencies, errors))
               for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if passes:
        while len(latencies) + len(errors) < passes * len(paths):
            time.sleep(0.05)
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for error in sorted(set(errors)):
        print(f"error: {error}", file=sys.stderr)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "clients": clients,
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "errors": len(errors),
    }


class BackgroundLoop:
    """Indexing work in a thread beside the measured clients (``_run``, until ``stop``);
    ``with`` starts it and, on leaving, lets the command under way finish: killing it
    would measure nothing new."""

    def __init__(self):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


class RebuildLoop(BackgroundLoop):
    """``python -m indexer build`` again and again into the served index, in a thread."""

    def __init__(self, articles, index_dir, engine_name):
        super().__init__()
        self.command = [sys.executable, "-m", "indexer", "build", str(articles), "--index", str(index_dir),
                        "--engine", engine_name]
        self.done = 0
        self.failed = 0

    def _run(self):
        while not self.stop.is_set():
            result = subprocess.run(self.command, cwd=REPO, capture_output=True)
            if result.returncode in BUILT:
                self.done += 1
            else:
                self.failed += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", type=Path,
                        help="folder or collection of articles (default: recombined seeds)")
    parser.add_argument("--engine", default="whoosh", help="engine that builds the index (whoosh or tantivy)")
    parser.add_argument("--docs", type=int, default=2000, help="recombined articles when no folder is given")
    parser.add_argument("--clients", default="1,8,32", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each level")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads (its default is 4)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    rng = random.Random(SEED)

    with tempfile.TemporaryDirectory(prefix="load-bench-") as work:
        work = Path(work)
        articles = args.articles or recombine_seeds(work / "articles", args.docs, rng)
        index_dir = work / "index"
        started = time.perf_counter()
        build = subprocess.run([sys.executable, "-m", "indexer", "build", str(articles), "--index", str(index_dir),
                                "--engine", args.engine], cwd=REPO, capture_output=True, text=True)
        if build.returncode not in BUILT:
            sys.exit(build.stderr.strip() or f"error: build exited with {build.returncode}")
        print(f"indexed {articles} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        paths = request_mix(index_dir, rng)
        server, port = start_server(index_dir, args.threads)
        # One pass first, so that the first level does not pay for opening the index
        # and filling the caches.
        measure(port, paths, 1, 0.0, passes=1)
        rows = []
        try:
            rows += [dict(measure(port, paths, n, args.seconds), rebuilding=False) for n in levels]
            with RebuildLoop(articles, index_dir, args.engine) as loop:
                rows += [dict(measure(port, paths, n, args.seconds), rebuilding=True) for n in levels]
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"{loop.done} rebuilds completed, {loop.failed} failed, while measuring", file=sys.stderr)

    quiet = {row["clients"]: row["rps"] for row in rows if not row["rebuilding"]}
    for row in rows:
        row["rps_vs_quiet"] = round(row["rps"] / quiet[row["clients"]], 2) if quiet[row["clients"]] else None
    if args.json:
        print(json.dumps({"articles": str(args.articles or f"{args.docs} recombined seed articles"),
                          "rebuilds": loop.done, "rows": rows},
                         ensure_ascii=False, indent=1))
        return
    print(f"{loop.done} rebuilds of the index completed during the rebuilding rows")
    print("| clients | index rebuilding | requests/s | vs quiet | p50 ms | p95 ms | p99 ms | errors |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        rebuilding = "yes" if row["rebuilding"] else "no"
        print(f"| {row['clients']} | {rebuilding} | {row['rps']} | {row['rps_vs_quiet']} | {row['p50_ms']} "
              f"| {row['p95_ms']} | {row['p99_ms']} | {row['errors']} |")


if __name__ == "__main__":
    main()
