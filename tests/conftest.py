"""Fixtures shared by test files: indexes built from Arabic articles in temporary
folders, and the web app over them (Flask's tutorial layout).

Every index is built by each engine in turn (``engine_name``): the suite parametrized by
engine is the engine boundary's contract."""

from pathlib import Path

import pytest

import webui
from indexer import SearchIndex, build_index
from indexer.engine import ENGINES
from indexer.search import limits

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NEWS = Path(__file__).resolve().parent / "data" / "news.jsonl"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; CI installs it


@pytest.fixture(autouse=True)
def patient_search(monkeypatch):
    """The 2 s search budget protects a server's workers; on a busy test machine a first
    search (opening the index, loading its vocabulary) can take longer, and a test must not
    fail for that. The tests of the budget set their own."""
    monkeypatch.setattr(limits, "SEARCH_TIME_BUDGET_S", 120.0)


@pytest.fixture(scope="session", params=list(ENGINES))
def engine_name(request):
    """The engine that builds and holds the test's indexes."""
    return request.param


@pytest.fixture(scope="session")
def open_collection(tmp_path_factory, engine_name):
    """``open_collection(name, {id: (title, body)})``: writes each article as a ``.txt``
    (title on the first line), indexes them with the session's engine and opens the index."""

    def open_index(name, articles):
        src = tmp_path_factory.mktemp(name)
        for doc_id, (title, body) in articles.items():
            (src / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
        root = tmp_path_factory.mktemp(f"{name}-index") / "index"
        report = build_index([src], root, engine_name=engine_name)
        assert report.documents == len(articles) and not report.skipped
        return SearchIndex(root)

    return open_index


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, engine_name):
    """An index of the five seed articles. Shared by the session, so tests only read it."""
    root = tmp_path_factory.mktemp(f"seeds-{engine_name}") / "index"
    build_index([SEEDS], root, engine_name=engine_name)
    return root


@pytest.fixture(scope="session")
def news_index_dir(tmp_path_factory, engine_name):
    """An index of ``tests/data/news.jsonl``: 26 articles from five outlets, 2023-2025; four
    stories are each reported by several outlets (the seeds' story, by five)."""
    root = tmp_path_factory.mktemp(f"news-{engine_name}") / "index"
    build_index([NEWS], root, engine_name=engine_name)
    return root


@pytest.fixture(scope="module")
def seeds(seed_index_dir):
    """The seed index, open for searching (one per test module)."""
    index = SearchIndex(seed_index_dir)
    yield index
    index.close()


@pytest.fixture(scope="module")
def news(news_index_dir):
    """The news index, open for searching (one per test module)."""
    index = SearchIndex(news_index_dir)
    yield index
    index.close()


@pytest.fixture
def app(seed_index_dir):
    return webui.create_app({"TESTING": True}, index_dir=seed_index_dir)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def news_app(news_index_dir):
    return webui.create_app({"TESTING": True}, index_dir=news_index_dir)


@pytest.fixture
def news_client(news_app):
    return news_app.test_client()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium (browsers cannot be downloaded here)."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # Root in a container has no sandbox; the rest keeps the browser off the network.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }
