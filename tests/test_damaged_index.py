"""A damaged index (a truncated or garbled file, a missing build.json, ``current``
pointing nowhere) never takes the server down: ``/healthz`` says what is wrong with a
503, pages show a short Arabic message, the command line exits 1 with one line; ``check``
finds it; and build and update never publish a generation that fails the same check."""

import json
import os
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import webui
from indexer import IndexDamaged, SearchIndex, build_index, engine
from indexer.indexing import checking, store
from indexer.indexing.forward_index import ENDS_FILE, TERMS_FILE
from indexer.indexing.lexicon import LEXICON_FILE
from indexer.indexing.schema import ANALYSIS_FILE
from indexer.indexing.updating import update_index

# Whoosh leaves the file of a damaged segment open when opening it fails (it is closed
# when collected): a warning about Whoosh, not about what these tests check.
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
LAVROV = "لافروف"


def largest_file(generation):
    """The generation's largest file of the engine's own (not build.json, the analysis,
    the vocabulary or the forward index, which are ours)."""
    ours = {store.BUILD_INFO, ANALYSIS_FILE, LEXICON_FILE, TERMS_FILE, ENDS_FILE}
    return max((p for p in generation.iterdir() if p.name not in ours), key=lambda p: p.stat().st_size)


def truncate(generation):
    target = largest_file(generation)
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])


def garble(generation):
    target = largest_file(generation)
    data = target.read_bytes()
    third = len(data) // 3
    target.write_bytes(data[:third] + bytes(third) + data[2 * third:])


def cut_forward_index(generation):
    target = generation / TERMS_FILE
    target.write_bytes(target.read_bytes()[:-4])


def remove_build_info(generation):
    (generation / store.BUILD_INFO).unlink()


def point_nowhere(generation):
    link = generation.parent / store.CURRENT
    link.unlink()
    link.symlink_to("gen-20260101T000000-000000000")


DAMAGES = {"truncated": truncate, "garbled": garble, "forward index cut short": cut_forward_index,
           "no build.json": remove_build_info,
           "current points nowhere": point_nowhere}


@pytest.fixture
def index_dir(seed_index_dir, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, copy, symlinks=True)
    return copy


@pytest.fixture(params=list(DAMAGES))
def damaged(index_dir, request):
    DAMAGES[request.param](store.current_generation(index_dir))
    return index_dir


def indexer(*args):
    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_check_passes_a_whole_index(index_dir):
    result = indexer("check", "--index", index_dir, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["documents"] == 5 and report["problems"] == []


def test_a_forward_index_short_of_its_documents_rows_fails_the_check(index_dir, engine_name):
    """A generation whose documents name rows its forward index lacks is never published
    (the build's and update's check, before any manifest is written)."""
    generation = store.current_generation(index_dir)
    ends = generation / ENDS_FILE
    ends.write_bytes(ends.read_bytes()[:-4 * 8])

    _, problems = checking.check_generation(generation, engine_name=engine_name)

    assert problems == [f"{generation}: a document's row 4 is past the 4 of its forward index"]


def test_check_and_search_name_the_damage_in_one_line(damaged):
    for args in (["check"], ["search", LAVROV], ["stats"], ["update", SEEDS]):
        result = indexer(*args, "--index", damaged)
        assert result.returncode == 1
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    report = json.loads(indexer("check", "--index", damaged, "--json").stdout)
    assert not report["ok"] and report["problems"]


def test_the_server_stays_up_and_says_what_is_wrong(damaged):
    app = webui.create_app({"TESTING": True}, index_dir=damaged)
    client = app.test_client()
    for _ in range(2):  # and again: the first failure took nothing down
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["error"]
        page = client.get("/", query_string={"q": LAVROV})
        assert page.status_code == 503
        assert "تعذّرت قراءة فهرس البحث" in page.get_data(as_text=True)
        assert client.get("/api/search", query_string={"q": LAVROV}).status_code == 503


def test_a_damaged_new_generation_leaves_the_server_answering_from_the_old(index_dir):
    app = webui.create_app({"TESTING": True, "REFRESH_SECONDS": 0.0}, index_dir=index_dir)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    # A generation that went live damaged (a disk fault after it was checked).
    old = store.current_generation(index_dir)
    new = index_dir / "gen-29991231T000000-000000000"
    shutil.copytree(old, new)
    garble(new)
    (index_dir / "next").symlink_to(new.name)
    os.replace(index_dir / "next", index_dir / store.CURRENT)

    page = client.get("/", query_string={"q": LAVROV})
    assert page.status_code == 200 and "<mark>" in page.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and new.name in health.get_json()["error"]


def garbling_writer(monkeypatch):
    """Makes every engine's writer damage what it just wrote, as a failing disk would."""

    def garbling(real):
        def writer(name, folder, *args, **kwargs):
            w = real(name, folder, *args, **kwargs)
            commit = w.commit

            def commit_then_garble():
                commit()
                garble(Path(folder))

            w.commit = commit_then_garble
            return w

        return writer

    monkeypatch.setattr(engine, "create", garbling(engine.create))
    monkeypatch.setattr(engine, "open_writer", garbling(engine.open_writer))


@pytest.mark.parametrize("command", ["build", "update"])
def test_a_generation_that_fails_its_check_is_never_published(index_dir, tmp_path, monkeypatch, command):
    before = store.current_generation(index_dir)
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / "extra.txt").write_text("زيارة لافروف\nخبر جديد عن الزيارة.\n", encoding="utf-8")
    garbling_writer(monkeypatch)
    with pytest.raises(IndexDamaged, match="failed its check"):
        if command == "build":
            build_index([articles], index_dir)
        else:
            update_index([articles], index_dir)
    assert store.current_generation(index_dir) == before
    assert not list(index_dir.glob(store.TEMP_PREFIX + "*"))
    with closing(SearchIndex(index_dir)) as index:
        assert index.search(LAVROV).total
