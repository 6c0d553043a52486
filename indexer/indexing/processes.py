"""Worker processes that end when the command that started them ends.

A forked worker blocked on a pipe from its parent never sees the parent die: its
siblings hold the pipe's other end open too. Killed with SIGKILL, an indexing command
would leave such workers running on, holding its pipes and its files. Every worker of
ours therefore calls ``die_with_parent`` first: on Linux the kernel sends it SIGKILL
when its parent goes (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's pid.

A fork also shares the parent's open files, and with them the locks tantivy takes with
flock(2), which belong to the open file: a worker forked while a tantivy thread held its
index's lock would hold it on after the thread let go, for as long as the worker lives,
and the parent's next commit would wait for it forever (a build with ``--procs 2`` hung
so). So a worker closes its copies of the engines' lock files (``release_engine_locks``).

Indexing forks workers in four places, all through ``start_worker``: the vocabulary
counters', the analysis and the story signatures' pools (``worker_pool``), and Whoosh's
multi-process writer (its tasks, in ``engine/whoosh_engine.py``). tantivy's writer uses
threads.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time

# prctl(2) option: the signal this process gets when its parent thread ends.
PR_SET_PDEATHSIG = 1
# How often the fallback watch looks at the parent's pid.
WATCH_SECONDS = 1.0
# The lock files tantivy holds with flock(2) in an index folder.
ENGINE_LOCK_FILES = (".tantivy-meta.lock", ".tantivy-writer.lock")


def start_worker(parent_pid):
    """What a forked worker of ours does first: end with ``parent_pid``, and let go of
    the engines' locks it inherited."""
    die_with_parent(parent_pid)
    release_engine_locks()


def release_engine_locks():
    """Closes this process's descriptors of the engines' lock files. The parent's own
    descriptors keep its locks: an flock ends when the last descriptor of its open file
    closes. Where ``/proc`` is missing, nothing is closed."""
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return
    for fd in descriptors:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed by now
        if os.path.basename(target) in ENGINE_LOCK_FILES:
            os.close(int(fd))


def die_with_parent(parent_pid):
    """Makes the calling process end as soon as ``parent_pid`` (the process that forked
    it, read before the fork) is gone, including when it is already gone."""
    if not _kill_on_parent_death():
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="parent-watch").start()
    # The parent may have died between the fork and the line above: then we were
    # adopted, and no signal will ever come.
    if os.getppid() != parent_pid:
        os._exit(1)


def _kill_on_parent_death():
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid):
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def worker_pool(procs):
    """A forked ``multiprocessing`` pool of ``procs`` workers started by ``start_worker``.
    Fork: the workers need nothing but the code already imported."""
    return multiprocessing.get_context("fork").Pool(procs, initializer=start_worker, initargs=(os.getpid(),))
