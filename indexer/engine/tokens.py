"""Documents analyzed for an engine's writer: every searched field's tokens from one pass
per text (``analysis.fields.DocumentAnalyzer``; of the body, what ``Analysis.searched``
leaves of it), over a pool of forked processes when
``procs`` > 1. Both engines take documents this way, so the analysis costs the same and
runs in parallel whichever engine writes.

``Pretokenizer(analysis, procs).add(document)`` returns the documents analyzed so far, in
order, as ``(document, {field: [(term, position, start, end)]}, row)``, ``row`` being
what the writer appends to the forward index (``indexing.forward_index.encode``);
``finish()`` the rest.
"""

from collections import deque

from indexer.analysis.fields import DocumentAnalyzer
from indexer.indexing.forward_index import encode
from indexer.indexing.processes import worker_pool

# Articles analyzed per job: large enough that pickling is small beside analysis.
BATCH = 64
# The field each kind of term of a text goes to.
FIELDS = {"title": {"main": "title", "exact": "title_exact", "translit": "title_translit"},
          "body": {"main": "body", "exact": "body_exact", "translit": "body_translit"}}

_analyzer = None


def analyzed_fields(analyzer, document):
    """``{field: [(term, position, start, end)]}`` of every searched field of ``document``
    (a ``DocumentAnalyzer``'s tokens of what ``Analysis.searched`` leaves of its texts)."""
    fields = {}
    for source, kinds in FIELDS.items():
        for kind, tokens in analyzer.analyze(analyzer.analysis.searched(document, source)).items():
            fields[kinds[kind]] = tokens
    return fields


def _analyze(documents):
    out = []
    for document in documents:
        fields = analyzed_fields(_analyzer, document)
        out.append((document, fields, encode(fields)))
    return out


class Pretokenizer:
    def __init__(self, analysis, procs=1):
        global _analyzer
        # Set before the fork: the workers inherit the analyzer and its vocabulary.
        _analyzer = DocumentAnalyzer(analysis)
        self._pool = worker_pool(procs) if procs > 1 else None
        self._procs = procs
        self._batch = []
        self._pending = deque()

    def add(self, document):
        self._batch.append(document)
        return self._dispatch() if len(self._batch) >= BATCH else []

    def finish(self):
        ready = self._dispatch()
        while self._pending:
            ready.extend(self._pending.popleft().get())
        return ready

    def _dispatch(self):
        batch, self._batch = self._batch, []
        if not batch:
            return []
        if self._pool is None:
            return _analyze(batch)
        self._pending.append(self._pool.apply_async(_analyze, (batch,)))
        ready = []
        # Bounded: reading never runs far ahead of analysis, so memory stays flat.
        while len(self._pending) > 2 * self._procs:
            ready.extend(self._pending.popleft().get())
        return ready

    def close(self):
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
