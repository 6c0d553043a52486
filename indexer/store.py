"""Where an index lives on disk, and how a new one replaces the old atomically.

Layout of an index folder::

    index/
      current -> gen-20261123T101500-1234   (symlink: the index readers open)
      gen-20261123T101500-1234/            (a complete Whoosh index + build.json)
      .lock                                (held by the command that is writing)

A build writes a new ``gen-*`` folder under a temporary name, renames it when complete,
then replaces the ``current`` symlink with ``os.replace`` (atomic on POSIX). A crash at
any point leaves ``current`` pointing at the previous complete index.
"""

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

CURRENT = "current"
BUILD_INFO = "build.json"
GENERATION_PREFIX = "gen-"
TEMP_PREFIX = ".tmp-"


class IndexMissing(Exception):
    """There is no built index at the path."""


class IndexLocked(Exception):
    """Another indexing command is writing this index."""


def current_generation(root):
    """The folder of the live index, or raise ``IndexMissing``."""
    link = Path(root) / CURRENT
    if not link.is_dir():
        raise IndexMissing(f"no index at {root} (build one with: python -m indexer build --index {root})")
    return link.resolve()


def read_build_info(generation):
    return json.loads((Path(generation) / BUILD_INFO).read_text(encoding="utf-8"))


@contextmanager
def writer_lock(root):
    """Holds the index's write lock, or raises ``IndexLocked`` at once."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(f"{root} is being written by another indexing command; try again when it ends") from None
        yield


def new_temporary(root):
    """A fresh folder to build into; leftovers of crashed builds are removed first."""
    root = Path(root)
    for stale in root.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    temp = root / f"{TEMP_PREFIX}{os.getpid()}-{time.time_ns()}"
    temp.mkdir()
    return temp


def publish(root, temp, info):
    """Makes the finished index in ``temp`` the live one. Keeps the previous generation
    (a running server may still read it) and removes older ones."""
    root = Path(root)
    (temp / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_dir(temp)
    generation = root / f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}"
    os.rename(temp, generation)
    link = root / f"{TEMP_PREFIX}link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(generation.name, link)
    previous = (root / CURRENT).resolve() if (root / CURRENT).is_symlink() else None
    os.replace(link, root / CURRENT)
    _fsync_dir(root)
    for old in root.glob(GENERATION_PREFIX + "*"):
        if old not in (generation, previous):
            shutil.rmtree(old, ignore_errors=True)
    return generation


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
