"""A reader (the web server's ``SearchIndex``) while the index is rebuilt or updated
under it: it keeps answering from the generation it opened, ``refresh()`` moves it to
the new one, and the folder it reads is not removed while it may still be reading it."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from indexer import SearchIndex, build_index
from indexer.indexing import store
from indexer.indexing.updating import update_index
from webui.live_index import LiveIndex

ARTICLES = {
    "tunis": "انتخاباتٌ بلديّة في تونس\nأدلى الناخبون بأصواتهم في ٢٤ بلديةً، وقالت الهيئة إنّ نسبة المشاركة بلغت ٤٥٪.\n",
    "baghdad": "افتتاح جسرٍ جديد في بغـــداد\nافتُتح الجسر أمام حركة السيارات بعد ثلاث سنوات من العمل، بحضور وزير النقل.\n",
}
LATER = "معرض الرياض للكتاب\nاستقبل معرض الرياض الدولي للكتاب زوّاره بمشاركة دور نشرٍ عربية وأجنبية مثل Penguin.\n"


@pytest.fixture
def news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def index_dir(news, tmp_path, engine_name):
    root = tmp_path / "index"
    build_index([news], root, engine_name=engine_name)
    return root


def ids(index, query):
    return {hit.id for hit in index.search(query, group_duplicates=False).hits}


@pytest.mark.parametrize("rewrite", ["update", "build"])
def test_open_reader_keeps_answering_then_refresh_sees_the_new_articles(news, index_dir, rewrite):
    (news / "riyadh.txt").write_text(LATER, encoding="utf-8")
    with closing(SearchIndex(index_dir)) as reader:
        assert ids(reader, "تونس") == {"tunis"}

        if rewrite == "update":
            assert update_index([news], index_dir).added == ["riyadh"]
        else:
            build_index([news], index_dir)

        # The reader still has the generation it opened: whole, and without the new article.
        assert ids(reader, "تونس") == {"tunis"} and ids(reader, "بغداد") == {"baghdad"}
        assert ids(reader, "الرياض") == set()
        reader.refresh()
        assert ids(reader, "الرياض") == {"riyadh"}
        assert ids(reader, "penguin") == {"riyadh"}
        assert ids(reader, "تونس") == {"tunis"}


def test_generations_a_reader_may_hold_are_kept_then_pruned(news, index_dir):
    with closing(SearchIndex(index_dir)) as oldest_reader:
        first = store.current_generation(index_dir)
        (news / "riyadh.txt").write_text(LATER, encoding="utf-8")
        update_index([news], index_dir)
        (news / "tunis.txt").unlink()
        update_index([news], index_dir)
        second, third = _generations(index_dir)[1:]
        assert store.current_generation(index_dir) == third

        # Two swaps later, the reader that opened the first generation still answers from it.
        assert first.is_dir()
        assert ids(oldest_reader, "تونس") == {"tunis"} and ids(oldest_reader, "الرياض") == set()

    # Once the first generation was replaced more than RETAIN_SECONDS ago, no reader that
    # refreshed since holds it: it goes; the live one and the one before it stay.
    later = time.time() + store.RETAIN_SECONDS + 1
    assert store.prune(index_dir, now=later) == [first]
    assert _generations(index_dir) == [second, third]
    # However old, the generation just before the live one is kept.
    assert store.prune(index_dir, now=later + 10 * store.RETAIN_SECONDS) == []
    with closing(SearchIndex(index_dir)) as reader:
        assert ids(reader, "الرياض") == {"riyadh"} and ids(reader, "تونس") == set()


def test_a_build_removes_only_generations_replaced_long_ago(news, index_dir):
    first = store.current_generation(index_dir)
    build_index([news], index_dir)
    second = store.current_generation(index_dir)
    # As if both builds ran long ago: the first generation was replaced then.
    _backdate(first, 2 * store.RETAIN_SECONDS)
    _backdate(second, store.RETAIN_SECONDS + 5)

    build_index([news], index_dir)

    assert not first.exists()
    assert second.is_dir() and store.current_generation(index_dir).is_dir()


def _backdate(generation, seconds):
    info = store.read_build_info(generation)
    info["published_at"] -= seconds
    (generation / store.BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")


def _generations(root):
    return sorted(root.glob(store.GENERATION_PREFIX + "*"), key=lambda g: store.read_build_info(g)["published_at"])


def test_requests_search_at_once_and_a_refresh_never_pulls_the_index_from_under_one(index_dir, news):
    """Two requests hold the server's index at the same moment (no lock around a search);
    a rebuild published while a request holds the old generation does not disturb it."""
    live = LiveIndex(index_dir, refresh_seconds=0)
    both_inside = threading.Barrier(2, timeout=60)
    rebuilt = threading.Event()

    def request(first):
        with live.use() as index:
            # With a lock around the search, the second request could not get here while
            # the first waits: the barrier would break.
            both_inside.wait()
            if first:
                assert rebuilt.wait(timeout=120)
            return ids(index, "تونس")

    with ThreadPoolExecutor(2) as pool:
        holding = pool.submit(request, True)
        other = pool.submit(request, False)
        assert other.result(timeout=120) == {"tunis"}
        (news / "tunis.txt").unlink()
        build_index([news], index_dir)
        with live.use() as index:
            assert ids(index, "تونس") == set()
        rebuilt.set()
        assert holding.result(timeout=120) == {"tunis"}
