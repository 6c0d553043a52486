"""Progress of a long indexing command, on stderr.

On a terminal: one line redrawn in place, a bar with the count, the rate and an
estimate of the time left::

    indexed [############--------] 12000/20000 articles  812/s  0:10 left

Elsewhere (a log file, a CI job): a plain line at most every ``interval`` seconds, so a
log shows the command is alive without filling up::

    indexed 5000/20000 articles (812/s)

A pass short enough to end before the first line is due prints nothing.
"""

import sys
import time

BAR_WIDTH = 20
# How often the terminal line is redrawn: often enough to look alive, rarely enough
# to cost nothing beside indexing.
REDRAW_SECONDS = 0.1


class Silent:
    """No progress output (``--quiet``, ``--json`` runs of the library, tests)."""

    def start(self, verb, total, unit):
        pass

    def advance(self, n=1):
        pass

    def finish(self):
        pass

    def note(self, text):
        pass


class Progress(Silent):
    """Reports one pass at a time: ``start("indexed", 20000, "articles")``, then
    ``advance()`` per item and ``finish()``; ``note(text)`` says what a pass without a
    count is doing."""

    def __init__(self, stream=None, terminal=None, interval=10.0, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.interval = interval
        self.clock = clock
        self._pass = None

    def start(self, verb, total, unit):
        now = self.clock()
        self._pass = {"verb": verb, "total": total, "unit": unit, "done": 0, "started": now,
                      "shown_at": now, "shown": False, "shown_done": None}

    def advance(self, n=1):
        p = self._pass
        if p is None:
            return
        p["done"] += n
        now = self.clock()
        if now - p["shown_at"] >= (REDRAW_SECONDS if self.terminal else self.interval):
            self._show(now)

    def finish(self):
        """Ends the pass: the terminal line is completed; in a log, a last line is written
        when the pass already wrote one (so the log shows it ended)."""
        p = self._pass
        if p is None:
            return
        if (self.terminal or p["shown"]) and p["shown_done"] != p["done"]:
            self._show(self.clock())
        if self.terminal and p["shown"]:
            self.stream.write("\n")
            self.stream.flush()
        self._pass = None

    def note(self, text):
        if self.terminal:
            self.stream.write(f"{text}...\n")
            self.stream.flush()

    def _show(self, now):
        p = self._pass
        elapsed = max(now - p["started"], 1e-9)
        rate = p["done"] / elapsed
        counted = f"{p['done']}/{p['total']} {p['unit']}"
        if self.terminal:
            filled = BAR_WIDTH * p["done"] // max(p["total"], 1)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            left = f"  {_clock(max(p['total'] - p['done'], 0) / rate)} left" if rate > 0 else ""
            self.stream.write(f"\r{p['verb']} [{bar}] {counted}  {rate:.0f}/s{left}\x1b[K")
        else:
            self.stream.write(f"{p['verb']} {counted} ({rate:.0f}/s)\n")
        self.stream.flush()
        p["shown_at"] = now
        p["shown"] = True
        p["shown_done"] = p["done"]


def _clock(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
