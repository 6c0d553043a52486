"""The real server (waitress on loopback) under concurrent readers, while the index is
rebuilt underneath it: every request gets its full answer. Speed is measured by
bench/load_bench.py, never asserted here."""

import http.client
import json
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from live_server import serving

import webui
from indexer import build_index

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CLIENTS = 8
SECONDS = 5.0
# Bound on the wait for the first swap.
SWAP_WAIT_SECONDS = 300.0
LAVROV = "لافروف"
REQUESTS = [
    f"/?q={quote(LAVROV)}",
    f"/?q={quote('كيم جونغ أون')}&page=1",
    f"/api/search?q={quote(LAVROV)}",
    f"/api/search?q={quote('وزير الخارجية')}&page_size=3",
    f"/doc/004_2b11dcb59984afc5?q={quote(LAVROV)}",
    "/healthz",
    "/static/style.css",
]


def client_loop(base_url, offset, stop, results, expected):
    """One reader on a keep-alive connection, cycling through the requests."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    i = offset
    try:
        while not stop.is_set():
            path = REQUESTS[i % len(REQUESTS)]
            i += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as e:
                results.append((path, repr(e)))
                connection.close()
                continue
            results.append((path, check(path, response.status, body, expected)))
    finally:
        connection.close()


def ranking(data):
    return data["total"], [hit["id"] for hit in data["hits"]]


def check(path, status, body, expected):
    """``"ok"`` for a whole, correct answer, else what was wrong. ``expected`` holds the
    rankings of the API requests before the run: the rebuilt index has the same articles."""
    if status != 200:
        return f"status {status}"
    if path in expected:
        seen = ranking(json.loads(body))
        return "ok" if seen == expected[path] else f"ranking {seen}"
    if path.startswith("/?"):
        return "ok" if "<mark>" in body.decode("utf-8") else "no highlighted hit"
    return "ok" if body else "empty body"


def rebuild_loop(articles, index_dir, stop, rebuilds):
    while not stop.is_set():
        build_index([articles], index_dir)
        rebuilds.append(time.monotonic())


def test_concurrent_readers_during_rebuilds_all_get_answers(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    index_dir = tmp_path / "index"
    build_index([articles], index_dir)
    # Checked for a new generation on every request: the swap happens under load.
    app = webui.create_app({"REFRESH_SECONDS": 0.0}, index_dir=index_dir)
    with app.test_client() as client:
        expected = {path: ranking(client.get(path).get_json()) for path in REQUESTS if path.startswith("/api/search")}
    assert all(total and ids for total, ids in expected.values())
    stop = threading.Event()
    results, rebuilds = [], []
    with serving(app, threads=4) as base_url:
        readers = [threading.Thread(target=client_loop, args=(base_url, n, stop, results, expected)) for n in range(CLIENTS)]
        builder = threading.Thread(target=rebuild_loop, args=(articles, index_dir, stop, rebuilds))
        for thread in (*readers, builder):
            thread.start()
        # The run lasts SECONDS, and on a busy machine until the index was swapped at
        # least once under the readers (the rebuilds then take longer).
        started = time.monotonic()
        while (time.monotonic() - started < SECONDS or not rebuilds) and time.monotonic() - started < SWAP_WAIT_SECONDS:
            time.sleep(0.1)
        stop.set()
        for thread in (*readers, builder):
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in (*readers, builder))
    failures = [(path, outcome) for path, outcome in results if outcome != "ok"]
    assert failures == []
    assert {path for path, _ in results} == set(REQUESTS)  # every kind of request was made
    assert rebuilds  # and the index was swapped at least once under the readers
