"""An indexing command killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous index exactly as it was, or the new one complete, never a mixture; no temporary
folder is taken for an index; the next build succeeds and clears the leftovers."""

import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from indexer import SearchIndex

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
QUERIES = ["لافروف", "كيم جونغ أون", "وزير الخارجية الروسي", "بيونغ يانغ", "أوكرانيا"]
ROUNDS = 6
# Kill points are drawn over the whole run of a build, start-up included: so rounds die
# while Python starts, while articles are read, while Whoosh writes segments, or around
# the swap (seeded, so a failure can be replayed).
SPREAD = 1.0


def write_collection(folder, count, rng):
    """``count`` articles recombined from the seeds' paragraphs (real Arabic news text),
    enough for a build to last long enough to be killed part-way."""
    paragraphs, titles = [], []
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        titles.append(lines[0])
        paragraphs += lines[1:]
    folder.mkdir(parents=True)
    for i in range(count):
        body = "\n".join(rng.sample(paragraphs, 6))
        (folder / f"article-{i:04d}.txt").write_text(f"{rng.choice(titles)}\n{body}\n", encoding="utf-8")
    return folder


def run_indexer(*args):
    return subprocess.Popen([sys.executable, "-m", "indexer", *map(str, args)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def answers(index_dir):
    """Ids and scores of every query: what a reader would see."""
    with closing(SearchIndex(index_dir)) as index:
        return {q: [(h.id, round(h.score, 6)) for h in index.search(q, page_size=20).hits] for q in QUERIES}


def leftovers(index_dir):
    return sorted(p.name for p in Path(index_dir).glob(".tmp-*") if p.is_dir() and not p.is_symlink())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the ``old`` collection, and how the one of ``new`` answers and how
    long its build takes: the builds that get killed index ``new``."""
    base = tmp_path_factory.mktemp("crash")
    rng = random.Random(20261123)
    old, new = write_collection(base / "old", 10, rng), write_collection(base / "new", 40, rng)
    finished_build(base / "index", old)
    duration = finished_build(base / "reference", new)
    return base / "index", new, duration, answers(base / "reference")


@pytest.fixture
def index_dir(built, tmp_path):
    """A copy of the old index (``current`` is a relative link, so it copies as is)."""
    copy = tmp_path / "index"
    shutil.copytree(built[0], copy, symlinks=True)
    return copy


def finished_build(index_dir, articles):
    started = time.monotonic()
    process = run_indexer("build", articles, "--index", index_dir)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return time.monotonic() - started


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


def test_killed_builds_leave_the_previous_index_answering_as_before(built, index_dir):
    _, new, duration, after = built
    before = answers(index_dir)
    assert before != after  # otherwise the checks below could not tell them apart

    rng = random.Random(7)
    live = before
    for _ in range(ROUNDS):
        process = run_indexer("build", new, "--index", index_dir)
        time.sleep(rng.uniform(0, duration * SPREAD))
        kill(process)
        # The live index is one complete generation: the previous one, or the new one
        # when the kill came after the swap; never a half-written or temporary folder.
        current = (index_dir / "current").resolve()
        assert current.name.startswith("gen-") and (current / "build.json").is_file()
        seen = answers(index_dir)
        assert seen in (live, after)
        live = seen

    finished_build(index_dir, new)
    assert answers(index_dir) == after
    assert leftovers(index_dir) == []


def test_killed_build_leftovers_are_not_an_index(built, index_dir):
    _, new, _, after = built
    before = answers(index_dir)
    process = run_indexer("build", new, "--index", index_dir)
    # Killed once its temporary folder exists, while it writes there.
    deadline = time.monotonic() + 60
    while not leftovers(index_dir) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    kill(process)
    stale = leftovers(index_dir)
    assert stale, "the build ended before it could be killed"
    assert answers(index_dir) == before
    # A search pointed at the index folder never opens the temporary one.
    with closing(SearchIndex(index_dir)) as index:
        assert index.info()["generation"].startswith("gen-")
    # The next build (which the kill did not lock out) removes what the killed one left.
    finished_build(index_dir, new)
    assert not any((index_dir / name).exists() for name in stale)
    assert answers(index_dir) == after
