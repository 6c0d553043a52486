"""A build or update that runs out of disk space (here: the file size limit, which
fails a write just as a full disk does) stops with exit 4 and one line naming the index
and the space it needs; the live index answers as before and no temporary folder is left."""

import resource
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from indexer import SearchIndex
from indexer.indexing import store
from test_crash_safety import answers

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
def file_size_limit(generation):
    """Bytes any one file may grow to: more than the seed articles take, less than the
    largest file of their index (so the failing write is the index's: in Whoosh's writer
    or its worker processes, tantivy's, or our vocabulary file)."""
    return max(p.stat().st_size for p in generation.iterdir()) * 3 // 4


def limited(size, *args):
    """An indexing command whose files may not grow past ``size`` bytes."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=300, preexec_fn=limit)


@pytest.fixture
def index_dir(seed_index_dir, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, copy, symlinks=True)
    return copy


@pytest.mark.parametrize("command,procs", [("build", 1), ("build", 2), ("update", 2)])
def test_running_out_of_space_keeps_the_live_index_and_says_what_is_needed(index_dir, tmp_path, command, procs):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / "new.txt").write_text("زيارة لافروف\nخبر جديد عن الزيارة.\n", encoding="utf-8")
    before = answers(index_dir)
    live = store.current_generation(index_dir)

    result = limited(file_size_limit(live), command, articles, "--index", index_dir, "--procs", procs, "--quiet")

    assert result.returncode == 4, result.stderr
    error, = result.stderr.splitlines()
    assert error.startswith("error: not enough disk space") and str(index_dir) in error and "MiB free" in error
    assert store.current_generation(index_dir) == live
    assert answers(index_dir) == before
    assert list(index_dir.glob(store.TEMP_PREFIX + "*")) == []
    with closing(SearchIndex(index_dir)) as index:
        assert index.info()["generation"] == live.name
