"""An indexing command (build or update) killed at any moment (SIGKILL: no clean-up code runs) leaves the
previous index exactly as it was, or the new one complete, never a mixture; no temporary
folder is taken for an index; the next build succeeds and clears the leftovers. Its
worker processes die with it, and the index is not left locked."""

import fcntl
import itertools
import os
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
from indexer.indexing import processes, store

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
QUERIES = ["لافروف", "كيم جونغ أون", "وزير الخارجية الروسي", "بيونغ يانغ", "أوكرانيا"]
ROUNDS = 5
# Kill points are drawn over the whole run of a build, start-up included: so rounds die
# while Python starts, while articles are read, while Whoosh writes segments, or around
# the swap (seeded, so a failure can be replayed).
SPREAD = 1.0


def write_collection(folder, count, rng, name="article"):
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
        (folder / f"{name}-{i:04d}.txt").write_text(f"{rng.choice(titles)}\n{body}\n", encoding="utf-8")
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


# How long the workers of a killed command may take to go (the kernel kills them at once).
WORKERS_GONE_SECONDS = 5.0
# Articles enough that Whoosh's writer starts its workers (one per 100 articles) while
# articles are still being fed to it.
MANY = 150
ROUNDS_WITH_WORKERS = 2


@pytest.fixture(scope="module")
def with_workers(tmp_path_factory):
    """An index of ``MANY`` articles, and the commands to kill: a build of them, and an
    update that adds ``MANY`` more; each with two processes and its progress on every
    article. For each, how many progress lines a complete run writes."""
    base = tmp_path_factory.mktemp("workers")
    rng = random.Random(20261124)
    articles = write_collection(base / "articles", MANY, rng)
    index = base / "index"
    finished(["build", articles, "--index", index, "--procs", "2"])
    more = write_collection(base / "more", MANY, rng, name="more")
    commands = {
        "build": ["build", articles, "--procs", "2", "--progress-seconds", "0", "--index"],
        "update": ["update", articles, more, "--procs", "2", "--progress-seconds", "0", "--index"],
    }
    lines = {}
    for name, args in commands.items():
        reference = base / f"reference-{name}"
        shutil.copytree(index, reference, symlinks=True)
        process = start_in_own_group(args + [reference])
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        lines[name] = len(err.splitlines())
    return index, commands, lines


def start_in_own_group(args):
    """An indexing command in a process group of its own, which its workers join: what is
    left of the command after a kill is what is left of the group."""
    return subprocess.Popen([sys.executable, "-m", "indexer", *map(str, args)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def processes_in_group(group):
    """The live (not zombie) processes of a process group, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
        state, _, pgrp = stat.rpartition(")")[2].split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(int(entry.name))
    return found


def has_workers(process):
    return len(processes_in_group(process.pid)) > 1


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes through /proc (Linux)")
@pytest.mark.parametrize("command", ["build", "update"])
def test_workers_of_a_killed_command_die_with_it_and_leave_the_index_unlocked(with_workers, tmp_path, command):
    index, commands, lines = with_workers
    rng = random.Random(f"workers-{command}")
    kills = 0
    for attempt in range(3 * ROUNDS_WITH_WORKERS):
        copy = tmp_path / f"index-{attempt}"
        shutil.copytree(index, copy, symlinks=True)
        process = start_in_own_group(commands[command] + [copy])
        try:
            # Killed once it has written a random number of its progress lines and has
            # workers (the vocabulary pool, or Whoosh's writer), never after a fixed time.
            wanted = rng.randint(1, lines[command])
            for read in itertools.count(1):
                if read >= wanted and has_workers(process) or not process.stderr.readline():
                    break
            if not has_workers(process):
                continue  # it ended first
            process.kill()  # the command alone: its workers are left to notice
            process.wait(timeout=60)
            deadline = time.monotonic() + WORKERS_GONE_SECONDS
            while processes_in_group(process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert processes_in_group(process.pid) == []
        finally:
            process.kill()
            for pid in processes_in_group(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.wait(timeout=60)
            process.stderr.close()
        with store.writer_lock(copy):
            pass  # free, at once
        finished(commands[command] + [copy])
        kills += 1
        if kills == ROUNDS_WITH_WORKERS:
            break
    assert kills == ROUNDS_WITH_WORKERS, "the command kept ending before it could be killed among its workers"


# Takes the index's lock, forks a child that outlives it, then ends without unlocking.
FORKS_UNDER_THE_LOCK = """
import os, sys
from indexer.indexing import store
with store.writer_lock(sys.argv[1]):
    if os.fork() == 0:
        sys.stdin.read()  # a worker waiting on its dead parent
        os._exit(0)
    print("forked", flush=True)
    os._exit(0)
"""


def test_a_forked_child_never_holds_the_index_lock(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", FORKS_UNDER_THE_LOCK, tmp_path / "index"], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert child.stdout.readline() == "forked\n"
        child.wait(timeout=60)
        assert processes_in_group(child.pid)  # the forked child lives on
        with store.writer_lock(tmp_path / "index"):
            pass
    finally:
        for pid in processes_in_group(child.pid):
            os.kill(pid, signal.SIGKILL)
        child.communicate(timeout=60)


def test_a_worker_forked_while_tantivy_holds_its_lock_lets_it_go(tmp_path):
    """tantivy locks its index with flock, which a fork shares: a build's worker forked
    while a tantivy thread held the lock used to keep it after the thread let go, and the
    build's commit then waited for it forever."""
    lock_file = tmp_path / ".tantivy-meta.lock"
    held = os.open(lock_file, os.O_WRONLY | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    reports, report = os.pipe()
    worker = os.fork()
    if worker == 0:
        processes.start_worker(os.getppid())
        os.write(report, b"started")
        signal.pause()  # a pool worker waiting for work
        os._exit(0)
    try:
        assert os.read(reports, 7) == b"started"
        os.close(held)  # the tantivy thread is done with it
        again = os.open(lock_file, os.O_WRONLY)
        try:
            fcntl.flock(again, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(again)
    finally:
        os.kill(worker, signal.SIGKILL)
        os.waitpid(worker, 0)
        os.close(reports)
        os.close(report)
