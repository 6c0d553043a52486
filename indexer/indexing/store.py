"""Where an index lives on disk, and how a new one replaces the old atomically.

Layout of an index folder::

    index/
      current -> gen-20261123T101500-1234   (symlink: the index readers open)
      gen-20261123T101500-1234/            (a complete Whoosh index + build.json)
      .lock                                (held by the command that is writing)

A build writes a new ``gen-*`` folder under a temporary name, renames it when complete,
then replaces the ``current`` symlink with ``os.replace`` (atomic on POSIX). A crash at
any point leaves ``current`` pointing at the previous complete index.

Old generations are removed only when no reader can still be using them (see
``prune``): a server that refreshed within ``RETAIN_SECONDS`` keeps its folder.
"""

import errno
import fcntl
import json
import os
import shutil
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

CURRENT = "current"
BUILD_INFO = "build.json"
GENERATION_PREFIX = "gen-"
TEMP_PREFIX = ".tmp-"
LOCK = ".lock"
# A generation replaced less than this long ago is kept: a reader that refreshed since
# may still be using it (the web UI refreshes every few seconds).
RETAIN_SECONDS = 600


class IndexMissing(Exception):
    """There is no built index at the path."""


class IndexLocked(Exception):
    """Another indexing command is writing this index."""


class IndexDamaged(Exception):
    """The live index is there but cannot be read whole (a damaged file, a missing
    build.json, ``current`` pointing nowhere); ``python -m indexer build`` makes a new one."""


def current_generation(root):
    """The folder of the live index; raises ``IndexMissing`` when none was built,
    ``IndexDamaged`` when ``current`` points nowhere."""
    link = Path(root) / CURRENT
    if link.is_symlink() and not link.is_dir():
        raise IndexDamaged(f"{link} points to {os.readlink(link)}, which is not an index folder")
    if not link.is_dir():
        raise IndexMissing(f"no index at {root} (build one with: python -m indexer build --index {root})")
    return link.resolve()


def read_build_info(generation):
    """The generation's build.json; ``IndexDamaged`` when it is missing or unreadable."""
    path = Path(generation) / BUILD_INFO
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexDamaged(f"{path} is missing") from None
    except (OSError, ValueError) as e:
        raise IndexDamaged(f"{path} cannot be read: {e}") from None


def manifest(generation):
    """``{file name: [size, CRC-32]}`` of every file of a generation but build.json: what
    it held when it was published. An engine may not notice a damaged file until a query
    happens to read it (tantivy reads its term dictionary lazily); the manifest does."""
    found = {}
    for path in sorted(Path(generation).iterdir()):
        if path.name != BUILD_INFO and path.is_file():
            crc = 0
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    crc = zlib.crc32(chunk, crc)
            found[path.name] = [path.stat().st_size, crc]
    return found


def verify_files(generation, info):
    """``IndexDamaged`` naming the first file that is missing, or not as it was published
    (size, then checksum), per build.json's manifest (generations published before it
    had one are taken as they are)."""
    expected = info.get("files")
    if not expected:
        return
    found = manifest(generation)
    for name, (size, crc) in expected.items():
        if name not in found:
            raise IndexDamaged(f"{Path(generation) / name} is missing")
        if found[name][0] != size:
            raise IndexDamaged(f"{Path(generation) / name} is {found[name][0]} bytes where it was written with {size}")
        if found[name][1] != crc:
            raise IndexDamaged(f"{Path(generation) / name} is damaged (its checksum changed since it was written)")


@contextmanager
def writer_lock(root):
    """Holds the index's write lock, or raises ``IndexLocked`` at once, naming the
    process that holds it.

    The lock is a POSIX record lock (``lockf``): the system releases it when its holder
    exits, even on SIGKILL, and, unlike an ``flock``, a forked worker does not inherit it,
    so no worker outliving its command can keep the index locked. Record locks do not
    exclude each other within one process, so the paths this process holds are kept
    here too (closing a second handle on the file would even release the first's lock).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    path = (root / LOCK).resolve()
    with _held_guard:
        if path in _held:
            raise IndexLocked(_locked_message(root, os.getpid()))
        _held.add(path)
    try:
        # Opened without truncating: the holder's pid in the file is the contender's message.
        with open(path, "a+", encoding="ascii") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                handle.seek(0)
                holder = handle.read().strip()
                raise IndexLocked(_locked_message(root, holder)) from None
            handle.truncate(0)
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                handle.truncate(0)
    finally:
        with _held_guard:
            _held.discard(path)


# The lock files this process holds (``writer_lock``).
_held = set()
_held_guard = threading.Lock()


def _locked_message(root, holder):
    who = f" (pid {holder})" if str(holder).isdigit() else ""
    return f"another indexing command{who} is writing {root}; try again when it ends"


def new_temporary(root):
    """A fresh folder to build into; leftovers of crashed builds are removed first."""
    root = Path(root)
    for stale in root.glob(TEMP_PREFIX + "*"):
        if stale.is_symlink():
            stale.unlink()  # a link a killed build made before its swap; rmtree refuses links
        else:
            shutil.rmtree(stale, ignore_errors=True)
    temp = root / f"{TEMP_PREFIX}{os.getpid()}-{time.time_ns()}"
    temp.mkdir()
    return temp


def publish(root, temp, info):
    """Makes the finished index in ``temp`` the live one, then removes the generations
    no reader can still be using (``prune``)."""
    root = Path(root)
    now = time.time()
    info = dict(info, published_at=now, files=manifest(temp))
    (temp / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    _fsync_dir(temp)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    generation = root / f"{GENERATION_PREFIX}{stamp}-{time.time_ns() % 10**9:09d}"
    os.rename(temp, generation)
    link = root / f"{TEMP_PREFIX}link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(generation.name, link)
    os.replace(link, root / CURRENT)
    _fsync_dir(root)
    prune(root, now)
    return generation


def prune(root, now=None):
    """Removes old generations, keeping the live one, the one before it, and every
    generation replaced less than ``RETAIN_SECONDS`` before ``now``: a reader holds the
    generation that was live when it last refreshed, so one that refreshed within that
    time never loses its folder. Returns the removed folders."""
    root = Path(root)
    now = time.time() if now is None else now
    live = current_generation(root)
    ordered = sorted(root.glob(GENERATION_PREFIX + "*"), key=_published_at)
    if live not in ordered:
        return []
    older = ordered[: ordered.index(live)]
    removed = []
    # Each generation was replaced when the next one was published.
    for generation, successor in zip(older[:-1], older[1:]):
        if now - _published_at(successor) >= RETAIN_SECONDS:
            shutil.rmtree(generation, ignore_errors=True)
            removed.append(generation)
    return removed


def _published_at(generation):
    """When the generation went live: recorded in build.json (the folder's time for
    generations written before it was)."""
    try:
        return float(read_build_info(generation)["published_at"])
    except (IndexDamaged, KeyError, TypeError, ValueError):
        return generation.stat().st_mtime


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
