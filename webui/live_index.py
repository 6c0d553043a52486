"""The index as the server sees it: opened on first use, refreshed now and then."""

import threading
import time
from contextlib import contextmanager

from flask import current_app

from indexer import SearchIndex


class LiveIndex:
    """The ``SearchIndex`` at ``root``, opened by the first request that needs it (so the
    server starts, and says so, before any index is built) and checked for a newly built
    generation at most every ``refresh_seconds``.

    One request at a time uses the index: Whoosh readers share open files (seek, then
    read), and ``refresh()`` closes the old searcher, which must not happen under a
    request that is still reading it.
    """

    def __init__(self, root, refresh_seconds=2.0, clock=time.monotonic):
        self.root = root
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._index = None
        self._checked_at = None

    @contextmanager
    def use(self):
        """Holds the up-to-date index; raises ``IndexMissing`` when none is built."""
        with self._lock:
            now = self._clock()
            if self._index is None:
                self._index = SearchIndex(self.root)
                self._checked_at = now
            elif now - self._checked_at >= self.refresh_seconds:
                self._index.refresh()
                self._checked_at = now
            index = self._index.pinned()
        yield index

    def check(self):
        """Raises ``IndexMissing`` when there is no index to search."""
        with self.use():
            pass


def live_index():
    """The current app's ``LiveIndex``."""
    return current_app.extensions["live_index"]
