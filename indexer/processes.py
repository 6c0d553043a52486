"""Worker processes that end when the command that started them ends.

A forked worker blocked on a pipe from its parent never sees the parent die: its
siblings hold the pipe's other end open too. Killed with SIGKILL, an indexing command
would leave such workers running on, holding its pipes and its files. Every worker of
ours therefore calls ``die_with_parent`` first: on Linux the kernel sends it SIGKILL
when its parent goes (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's pid.

The two places indexing forks workers are here: the vocabulary counters' pool
(``worker_pool``) and Whoosh's multi-process writer (``index_writer``).
"""

import ctypes
import ctypes.util
import errno
import multiprocessing
import os
import signal
import sys
import threading
import time

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.space import is_disk_full

# prctl(2) option: the signal this process gets when its parent thread ends.
PR_SET_PDEATHSIG = 1
# How often the fallback watch looks at the parent's pid.
WATCH_SECONDS = 1.0
# A worker that ran out of disk space exits with this code (the parent reports it).
DISK_FULL_EXIT = 75


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
    """A forked ``multiprocessing`` pool of ``procs`` workers that die with this process.
    Fork: the workers need nothing but the code already imported."""
    return multiprocessing.get_context("fork").Pool(procs, initializer=die_with_parent, initargs=(os.getpid(),))


def index_writer(ix, procs=1, **kwargs):
    """``ix.writer(procs=..., **kwargs)``, whose sub-processes (when ``procs > 1``) die with
    this process, and whose commit fails when one of them failed instead of writing an
    index without its documents."""
    if procs > 1:
        return _MpWriter(ix, procs=procs, **kwargs)
    return ix.writer(**kwargs)


class _SubWriterTask(SubWriterTask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self):
        die_with_parent(self.parent_pid)
        try:
            super().run()
        except OSError as e:
            if is_disk_full(e):
                sys.exit(DISK_FULL_EXIT)  # the parent says so, in its own words
            raise


class _MpWriter(MpWriter):
    def _new_task(self):
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _commit_toc(self, segments):
        # Whoosh waits for its workers, then commits whatever results came back: a worker
        # that died would silently take its documents with it.
        for task in self.tasks:
            if task.exitcode == DISK_FULL_EXIT:
                raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (in an indexing process)")
            if task.exitcode != 0:
                raise ChildProcessError(f"an indexing process failed (exit code {task.exitcode})")
        super()._commit_toc(segments)
