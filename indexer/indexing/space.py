"""Running out of disk space while an index is written: the command stops with one line
that names the index and about how much free space it needs.

The live index is untouched by then (a build or update writes a new generation beside
it, and removes that when it fails); this module only turns the system's error into
something a person can act on.
"""

import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from indexer.indexing import store
from indexer.sources import find_files

DISK_FULL_ERRORS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class DiskFull(Exception):
    """A build or update ran out of disk space (or hit the file size limit); the live
    index was kept and the unfinished one removed."""


def is_disk_full(error):
    """Whether an ``OSError`` means the disk (or the file size limit) is full."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        # copytree gathers the errors of its files, as text.
        reasons = [str(entry[-1]) for entry in error.args[0]]
        return any(os.strerror(code) in reason for code in DISK_FULL_ERRORS for reason in reasons)
    return error.errno in DISK_FULL_ERRORS


@contextmanager
def reported(root, paths):
    """Turns a disk-full ``OSError`` raised inside into ``DiskFull``, e.g.
    ``not enough disk space to write the index index: it needs about 42.0 MiB free on
    its disk, which has 3.1 MiB free``."""
    try:
        yield
    except OSError as e:
        if not is_disk_full(e):
            raise
        free = shutil.disk_usage(Path(root) if Path(root).is_dir() else Path(root).parent).free
        raise DiskFull(f"not enough disk space to write the index {root}: it needs about "
                       f"{_mib(needed_bytes(root, paths))} free on its disk, which has {_mib(free)} free") from e


def needed_bytes(root, paths):
    """An estimate of the space a build or update of ``root`` from ``paths`` needs: a new
    generation about the size of the live one (an update copies it), and the articles
    once more (a build spills them to a temporary file)."""
    sources = sum(_size(path) for path in find_files(paths))
    try:
        live = sum(_size(p) for p in store.current_generation(root).iterdir())
    except (store.IndexMissing, store.IndexDamaged):
        live = sources  # a first build: an index is roughly the size of its articles
    return live + sources


def _size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _mib(n):
    return f"{n / 2**20:.1f} MiB"
