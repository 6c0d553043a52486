"""The index as the server sees it: opened on first use, refreshed now and then, and
what is wrong with it when it cannot be read."""

import os
import threading
import time
from contextlib import contextmanager

from flask import current_app
from werkzeug.exceptions import HTTPException

from indexer import IndexDamaged, IndexMissing, QueryError, SearchIndex
from indexer.indexing import store
from indexer.indexing.checking import damage_behind


class LiveIndex:
    """The ``SearchIndex`` at ``root``, opened by the first request that needs it (so the
    server starts, and says so, before any index is built) and checked for a newly built
    generation at most every ``refresh_seconds``.

    Requests use the index at once, without a lock around the search: the engine's
    reader is safe to share (Whoosh gives each thread its own searcher), and each request
    holds the generation it started on (``SearchIndex.pinned``), which a refresh never
    closes. The lock only guards opening and the refresh check.

    A damaged generation never takes the server down: requests get ``IndexDamaged``
    (an error page) when there is nothing else to answer from, and otherwise go on being
    answered from the generation opened before it, while ``problem`` says what is wrong.
    """

    def __init__(self, root, refresh_seconds=2.0, clock=time.monotonic):
        self.root = root
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index = None
        self._checked_at = None
        # What is wrong with the live generation (one line), or None.
        self.problem = None
        # Generation folder -> IndexDamaged: a generation is never modified once written,
        # so each is checked once, not on every refresh.
        self._damaged = {}

    @contextmanager
    def use(self):
        """Holds the up-to-date index; raises ``IndexMissing`` when none is built and
        ``IndexDamaged`` when it cannot be read."""
        with self._lock:
            self._open_or_refresh()
            index = self._index.pinned()
        try:
            yield index
        except (HTTPException, QueryError, IndexMissing, IndexDamaged):
            raise
        except Exception as e:
            damage = self._diagnose(e)
            if damage is None:
                raise
            raise damage from e

    def check(self):
        """Raises ``IndexMissing`` when there is no index to search (``IndexDamaged``
        when there is one that cannot be read)."""
        with self.use():
            pass

    def _open_or_refresh(self):
        now = self._clock()
        if self._index is not None and now - self._checked_at < self.refresh_seconds:
            return
        self._checked_at = now
        target = os.path.realpath(os.path.join(self.root, store.CURRENT))
        try:
            if target in self._damaged:
                raise self._damaged[target]
            if self._index is None:
                self._index = SearchIndex(self.root)
            else:
                self._index.refresh()
        except IndexMissing:
            raise
        except Exception as e:
            damage = self._diagnose(e)
            if damage is None:
                raise
            # Kept without its traceback, whose frames hold the engine's open files.
            self._damaged[target] = IndexDamaged(str(damage))
            if self._index is None:
                raise damage from e
            current_app.logger.warning("%s; still answering from %s", damage, self._index.info()["generation"])
            return
        self.problem = None

    def _diagnose(self, error):
        damage = damage_behind(self.root, error)
        if damage is not None:
            self.problem = str(damage)
        return damage


def live_index():
    """The current app's ``LiveIndex``."""
    return current_app.extensions["live_index"]
