"""An indexing command (build or update) killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous index exactly as it was, or the new one complete, never a mixture; no temporary
folder is taken for an index; the next build succeeds and clears the leftovers."""

import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer import SearchIndex, build_index

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
QUERIES = ["لافروف", "كيم جونغ أون", "وزير الخارجية الروسي", "بيونغ يانغ", "أوكرانيا"]
ROUNDS = 5
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


@dataclass
class Change:
    """An indexing command the tests kill, and how the index answers once it completes."""

    args: list
    seconds: float
    after: dict


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the ``old`` folder, and the two changes the killed commands make:
    ``build`` of a ``new`` folder, and ``update`` of ``old`` after articles were added,
    edited and deleted there."""
    base = tmp_path_factory.mktemp("crash")
    rng = random.Random(20261123)
    old, new = write_collection(base / "old", 10, rng), write_collection(base / "new", 40, rng)
    index = base / "index"
    finished(["build", old, "--index", index])
    write_collection(base / "added", 15, rng).rename(old / "added")
    for doomed in sorted(old.glob("article-000[0-2].txt")):
        doomed.unlink()
    (old / "article-0003.txt").write_text("زيارة لافروف إلى بيونغ يانغ\nخبر معدَّل عن الزيارة.\n", encoding="utf-8")
    changes = {}
    for command, folder in (("build", new), ("update", old)):
        reference = base / f"reference-{command}"
        shutil.copytree(index, reference, symlinks=True)
        args = [command, folder, "--index"]
        changes[command] = Change(args, finished(args + [reference]), answers(reference))
    return index, changes


@pytest.fixture
def index_dir(built, tmp_path):
    """A copy of the old index (``current`` is a relative link, so it copies as is)."""
    copy = tmp_path / "index"
    shutil.copytree(built[0], copy, symlinks=True)
    return copy


def finished(args):
    """Runs an indexing command to its end; how long it took."""
    started = time.monotonic()
    process = run_indexer(*args)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return time.monotonic() - started


def kill(process):
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


@pytest.mark.parametrize("command", ["build", "update"])
def test_killed_commands_leave_the_previous_index_answering_as_before(built, index_dir, command):
    change = built[1][command]
    before = answers(index_dir)
    assert before != change.after  # otherwise the checks below could not tell them apart

    rng = random.Random(7)
    live = before
    for _ in range(ROUNDS):
        process = run_indexer(*change.args, index_dir)
        time.sleep(rng.uniform(0, change.seconds * SPREAD))
        kill(process)
        # The live index is one complete generation: the previous one, or the new one
        # when the kill came after the swap; never a half-written or temporary folder.
        current = (index_dir / "current").resolve()
        assert current.name.startswith("gen-") and (current / "build.json").is_file()
        seen = answers(index_dir)
        assert seen in (live, change.after)
        live = seen

    finished(change.args + [index_dir])
    assert answers(index_dir) == change.after
    assert leftovers(index_dir) == []


def test_killed_build_leftovers_are_not_an_index(built, index_dir):
    change = built[1]["build"]
    before = answers(index_dir)
    process = run_indexer(*change.args, index_dir)
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
    finished(change.args + [index_dir])
    assert not any((index_dir / name).exists() for name in stale)
    assert answers(index_dir) == change.after


def test_link_left_by_a_build_killed_just_before_its_swap_is_removed(tmp_path):
    seeds = REPO / "seeds"
    root = tmp_path / "index"
    build_index([seeds], root)
    # publish() makes the new "current" link under a temporary name, then renames it.
    stale = root / ".tmp-link-99999"
    stale.symlink_to(next(root.glob("gen-*")).name)
    build_index([seeds], root)
    assert not stale.is_symlink()
