"""Soak: the real server answers mixed searches from 8 clients for ``--minutes`` (10)
while ``python -m indexer update`` applies a batch of changes every ``--update-seconds``
(30): articles added, one edited, an older batch removed. Per minute it reports requests,
errors and p95 latency, the server's resident memory and open file descriptors, and the
index generations on disk beside what the retention policy allows (``store.prune``).

The collection is the seeds plus ``--articles`` news articles from the ANT corpus
(``--news``, a .jsonl.gz, decompressed to a temporary .jsonl); the batches take the
articles after those. Server, clients and requests are bench/load_bench.py's.

    .venv/bin/python bench/soak.py                       # 10 minutes, 2,000 ANT articles
    .venv/bin/python bench/soak.py --minutes 2 --json
"""

import argparse
import gzip
import itertools
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from load_bench import BUILT, REPO, SEED, SEEDS, BackgroundLoop, client, request_mix, start_server

sys.path.insert(0, str(REPO))
from indexer.indexing import store  # noqa: E402

NEWS = REPO.parent / "shared" / "news" / "ant-2018.jsonl.gz"
BATCH = 20
# A batch file is removed again this many batches after it was added.
BATCHES_KEPT = 3


class PerMinute:
    """A list-like sink for load_bench's clients: each appended item is counted in the
    minute (since ``started``) it arrived in."""

    def __init__(self, started):
        self.started = started
        self.minutes = {}
        self._lock = threading.Lock()

    def append(self, item):
        minute = int((time.monotonic() - self.started) // 60)
        with self._lock:
            self.minutes.setdefault(minute, []).append(item)

    def __len__(self):
        return sum(len(items) for items in self.minutes.values())

    def of(self, minute):
        with self._lock:
            return list(self.minutes.get(minute, []))


def take_news(path, count, folder):
    """The first ``count`` articles of ``path`` as ``ant.jsonl`` in ``folder``; the rest,
    for the batches, as an iterator of JSON lines."""
    lines = gzip.open(path, "rt", encoding="utf-8")
    with open(folder / "ant.jsonl", "w", encoding="utf-8") as out:
        out.writelines(itertools.islice(lines, count))
    return lines


class UpdateLoop(BackgroundLoop):
    """Every ``seconds``: a batch file of new articles, an edited seed, the batch of
    ``BATCHES_KEPT`` rounds ago removed; then ``python -m indexer update``."""

    def __init__(self, articles, index_dir, news_lines, seconds):
        super().__init__()
        self.articles, self.index_dir, self.news_lines, self.seconds = articles, index_dir, news_lines, seconds
        self.done, self.failed, self.published = 0, [], []

    def _run(self):
        for batch in itertools.count(1):
            if self.stop.wait(self.seconds):
                return
            self._change(batch)
            before = store.current_generation(self.index_dir)
            result = subprocess.run([sys.executable, "-m", "indexer", "update", str(self.articles), "--index",
                                     str(self.index_dir), "--quiet"], cwd=REPO, capture_output=True, text=True)
            if result.returncode in BUILT:
                self.done += 1
                if store.current_generation(self.index_dir) != before:
                    self.published.append(time.time())
            else:
                self.failed.append(result.stderr.strip())

    def _change(self, batch):
        with open(self.articles / f"batch-{batch:03d}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(self.news_lines, BATCH))
        (self.articles / f"batch-{batch - BATCHES_KEPT:03d}.jsonl").unlink(missing_ok=True)
        seed = sorted(self.articles.glob("*.txt"))[batch % 5]
        seed.write_text(seed.read_text(encoding="utf-8") + f"\nتحديث رقم {batch}.\n", encoding="utf-8")


def sample(server, index_dir, published, latencies, errors, minute):
    """The figures of one minute. A search the product stopped at its time budget (HTTP
    400 with the Arabic "took too long" message) is counted apart from errors."""
    process = psutil.Process(server.pid)
    times = latencies.of(minute)
    failures = errors.of(minute)
    over_budget = sum(1 for failure in failures if failure.endswith(": 400"))
    now = time.time()
    # Live + every generation replaced within RETAIN_SECONDS (each publish replaced one),
    # and always the one before the live one.
    allowed = 1 + max(1, sum(1 for t in published if now - t < store.RETAIN_SECONDS))
    return {
        "minute": minute + 1,
        "requests": len(times),
        "errors": len(failures) - over_budget,
        "over_time_budget": over_budget,
        "p95_ms": round(statistics.quantiles(times, n=20)[18] * 1000, 1) if len(times) > 1 else None,
        "rss_mib": round(process.memory_info().rss / 2**20, 1),
        "fds": process.num_fds(),
        "generations": len(list(index_dir.glob(store.GENERATION_PREFIX + "*"))),
        "generations_allowed": allowed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--articles", type=int, default=2000, help="ANT articles besides the seeds")
    parser.add_argument("--news", type=Path, default=NEWS, help="the ANT corpus (.jsonl.gz)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads (its default is 4)")
    parser.add_argument("--update-seconds", type=float, default=30.0)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rng = random.Random(SEED)

    with tempfile.TemporaryDirectory(prefix="soak-") as work:
        work = Path(work)
        articles = work / "articles"
        shutil.copytree(SEEDS, articles)
        news_lines = take_news(args.news, args.articles, articles)
        index_dir = work / "index"
        build = subprocess.run([sys.executable, "-m", "indexer", "build", str(articles), "--index", str(index_dir),
                                "--quiet"], cwd=REPO, capture_output=True, text=True)
        if build.returncode not in BUILT:
            sys.exit(build.stderr.strip() or f"error: build exited with {build.returncode}")
        paths = request_mix(index_dir, rng)
        server, port = start_server(index_dir, args.threads)
        rows = []
        try:
            started = time.monotonic()
            latencies, errors = PerMinute(started), PerMinute(started)
            stop = threading.Event()
            clients = [threading.Thread(target=client, args=(port, paths, n * 7, stop, latencies, errors))
                       for n in range(args.clients)]
            with UpdateLoop(articles, index_dir, news_lines, args.update_seconds) as updates:
                for thread in clients:
                    thread.start()
                for minute in range(args.minutes):
                    # The figures of a minute are taken as it ends (a bench, so a timed wait).
                    time.sleep(max(0.0, started + 60 * (minute + 1) - time.monotonic()))
                    rows.append(sample(server, index_dir, updates.published, latencies, errors, minute))
                    print(json.dumps(rows[-1]), file=sys.stderr)
                stop.set()
                for thread in clients:
                    thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
            news_lines.close()

    first, last = rows[0], rows[-1]
    summary = {
        "minutes": args.minutes,
        "clients": args.clients,
        "articles": args.articles + len(list(SEEDS.glob("*.txt"))),
        "updates": updates.done,
        "updates_failed": len(updates.failed),
        "requests": sum(r["requests"] for r in rows),
        "errors": sum(r["errors"] for r in rows),
        "over_time_budget": sum(r["over_time_budget"] for r in rows),
        "rss_growth_after_minute_1": round(last["rss_mib"] / first["rss_mib"] - 1, 3),
        "fds_growth_after_minute_1": round(last["fds"] / first["fds"] - 1, 3),
        "generations_over_policy": sum(r["generations"] > r["generations_allowed"] for r in rows),
    }
    for failure in updates.failed:
        print(f"update failed: {failure}", file=sys.stderr)
    for failure in sorted({f for minute in errors.minutes.values() for f in minute}):
        print(f"error: {failure}", file=sys.stderr)
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1))
        return
    print("| minute | requests | errors | over time budget | p95 ms | RSS MiB | open fds | generations (policy allows) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['minute']} | {r['requests']} | {r['errors']} | {r['over_time_budget']} | {r['p95_ms']} "
              f"| {r['rss_mib']} | {r['fds']} "
              f"| {r['generations']} ({r['generations_allowed']}) |")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
