"""The Whoosh engine: the project's pure-Python default (``whoosh-reloaded``).

Documents go in pre-analyzed (``engine.tokens``: one pass per text, a pool of processes
with ``procs`` > 1), replayed to Whoosh by each field's ``_Replay`` analyzer; queries come
in as plan terms that are already analyzed. Whoosh's multi-process writer then builds
the segments. Scoring is BM25 per
field with the probabilistic idf (``ranking.BM25``). Top-k searches keep Whoosh's
block-max pruning: no ``limit=None``, no ``groupedby`` on the ranked search, exclusion as
``AndNot``; counts and facets come from unscored collectors (``scored=False``).
"""

import errno
import os
import sys
import threading
import time

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import Analyzer, Token
from whoosh.collectors import TimeLimit, WrappingCollector
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.util.times import long_to_datetime

from indexer.engine import plan as p
from indexer.engine.base import DeadlinePassed, TopDocs
from indexer.engine.ranking import BM25
from indexer.engine.tokens import Pretokenizer
from indexer.indexing.forward_index import ForwardWriter
from indexer.indexing.processes import start_worker
from indexer.indexing.space import is_disk_full
from indexer.indexing.schema import ROW_FIELD, STEMMED_FIELDS, Analysis

NAME = "whoosh"
# What a filter adds to a hit's score: the same for every hit, too small to show.
_FILTER_SCORE = 1e-9
# A writer process that ran out of disk space exits with this code (the parent reports it).
DISK_FULL_EXIT = 75


class _Tokens(str):
    """Our tokens for one field, passed as a (empty) string: Whoosh indexes only strings,
    lists and tuples, and would read a list as a list of words."""

    def __new__(cls, tokens):
        value = super().__new__(cls, "")
        value.tokens = tokens
        return value

    def __reduce__(self):
        return _Tokens, (self.tokens,)


class _Replay(Analyzer):
    """A field's analyzer at index time: replays the tokens ``engine.tokens`` made.
    Queries never reach Whoosh as text, so no other analysis is needed here."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, mode="", removestops=True, **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos, start, end in value.tokens:
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start, end
            yield t


def _schema(analysis):
    fields = {
        "id": ID(stored=True, unique=True),
        "path": STORED,
        "content_hash": ID(stored=True),
        "source": ID(stored=True, sortable=True),
        "url": STORED,
        "published": DATETIME(stored=True, sortable=True),
        ROW_FIELD: COLUMN(NumericColumn("Q")),
    }
    for name in analysis.analyzers:
        # Title and body are stored once, with their stemmed fields.
        fields[name] = TEXT(analyzer=_Replay(), stored=name in STEMMED_FIELDS)
    return Schema(**fields)


def create(folder, analysis, procs=1, limitmb=256):
    """A writer on a new, empty index in ``folder``."""
    ix = whoosh_index.create_in(folder, _schema(analysis))
    return Writer(folder, ix, analysis, procs, limitmb, multisegment=procs > 1)


def open_writer(folder, procs=1, limitmb=256):
    """A writer on the index in ``folder`` (a copy of the live generation, for updates)."""
    return Writer(folder, whoosh_index.open_dir(folder), Analysis.load(folder), procs, limitmb)


def open_reader(folder):
    return Reader(whoosh_index.open_dir(folder))


# How much bigger than what is merged so far an existing segment may be and still be
# merged into a commit's new segment (``merge_small_segments``).
MERGE_RATIO = 3


def merge_small_segments(added):
    """A Whoosh merge policy for a commit adding ``added`` documents: the existing segments,
    smallest first, are merged into the new one while each holds at most ``MERGE_RATIO``
    times the documents merged so far. Whoosh's own policy (``MERGE_SMALL``) lets the
    segment of each small update pile up, a dozen before it merges any, and each costs
    every server thread its open files and caches. Here segment sizes grow geometrically:
    an index updated batch by batch keeps a few segments (logarithmic in its size), a
    document is rewritten a logarithmic number of times, and a big segment is merged
    only with as much new data."""

    def policy(writer, segments):
        merged, kept = max(1, added), []
        for segment in sorted(segments, key=lambda s: s.doc_count_all()):
            if kept or segment.doc_count_all() > MERGE_RATIO * merged:
                kept.append(segment)
                continue
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
            merged += segment.doc_count()
        return kept

    return policy


class Writer:
    def __init__(self, folder, ix, analysis, procs, limitmb, multisegment=False):
        self._ix = ix
        self._added = 0
        self._tokens = Pretokenizer(analysis, procs)
        # An index built before the forward index keeps its schema through updates.
        self._rows = ForwardWriter(folder) if ROW_FIELD in ix.schema else None
        if procs > 1:
            self._writer = _MpWriter(ix, procs=procs, limitmb=limitmb, multisegment=multisegment)
        else:
            self._writer = ix.writer(limitmb=limitmb)

    def add(self, document):
        """Adds one article (``schema.document_fields``)."""
        self._added += 1
        self._write(self._tokens.add(document))

    def _write(self, analyzed):
        for document, tokens, row in analyzed:
            # Whoosh cannot index an empty ID or a missing date: such fields are left out.
            fields = {name: value for name, value in document.items() if value not in ("", None)}
            fields.update((name, _Tokens(found)) for name, found in tokens.items())
            for name in STEMMED_FIELDS:
                fields[f"_stored_{name}"] = document.get(name) or ""
            if self._rows is not None:
                fields[ROW_FIELD] = self._rows.add(row)
            self._writer.add_document(**fields)

    def delete(self, doc_id):
        self._writer.delete_by_term("id", doc_id)

    def commit(self):
        try:
            self._write(self._tokens.finish())
            self._writer.commit(mergetype=merge_small_segments(self._added))
        finally:
            self._close()

    def cancel(self):
        try:
            self._writer.cancel()
        finally:
            self._close()

    def _close(self):
        self._tokens.close()
        if self._rows is not None:
            self._rows.close()
        self._ix.close()


class _SubWriterTask(SubWriterTask):
    """A Whoosh writer process started as our workers are (``processes.start_worker``:
    it dies with the command) that says when it ran out of disk space."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self):
        start_worker(self.parent_pid)
        try:
            super().run()
        except OSError as e:
            if is_disk_full(e):
                sys.exit(DISK_FULL_EXIT)  # the parent says so, in its own words
            raise


class _MpWriter(MpWriter):
    """Whoosh's multi-process writer with our tasks, whose commit fails when a task
    failed instead of writing an index without its documents."""

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


class Reader:
    """One open Whoosh index. A Whoosh searcher reads shared open files (seek, then
    read), so each thread gets its own searcher on the same index."""

    def __init__(self, ix):
        self._ix = ix
        self.schema = ix.schema
        self._local = threading.local()
        self._searchers = []
        self._lock = threading.Lock()

    @property
    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._ix.searcher(weighting=BM25())
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def close(self):
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers = []
        self._ix.close()

    def doc_count(self):
        return self._searcher.doc_count()

    def segment_count(self):
        return len(self._searcher.reader().leaf_readers())

    def search(self, plan, limit, filters=None, sort="relevance", deadline=None):
        q = self._filtered(plan, filters)
        sortedby = _NEWEST if sort == "newest" else None
        collector = self._searcher.collector(limit=limit, sortedby=sortedby)
        results = self._collect(q, collector, deadline)
        hits = [(docnum, _score(key)) for docnum, key in results.items()]
        return TopDocs(len(results), hits)

    def count(self, plan, filters=None, deadline=None):
        q = self._filtered(plan, filters)
        return len(self._collect(q, self._searcher.collector(limit=None, scored=False), deadline))

    def facet_counts(self, plan, filters, names, deadline=None):
        """``{facet: {value: count}}`` over every match of ``plan`` under ``filters``."""
        q = self._filtered(plan, filters)
        wanted = {name: _FACETS[name]() for name in names if _facet_field(name) in self.schema}
        if not wanted:
            return {name: {} for name in names}
        collector = self._searcher.collector(limit=None, groupedby=wanted, scored=False)
        results = self._collect(q, collector, deadline)
        counts = {name: {} for name in names}
        for name in wanted:
            counts[name] = {value: n for value, n in results.groups(name).items() if value}
        return counts

    def _collect(self, q, collector, deadline):
        if deadline is not None:
            collector = _DeadlineCollector(collector, deadline)
        try:
            self._searcher.search_with_collector(q, collector)
        except TimeLimit:
            raise DeadlinePassed from None
        return collector.results()

    def _filtered(self, plan, filters):
        q = _query(plan)
        filter_q = _filter_query(filters, self.schema) if filters else None
        # In the query, not the collector's ``filter``: the deadline collector drives the
        # matching itself, which would bypass a filtering collector. Not ``Require``: its
        # matcher breaks Whoosh's block-quality skipping (an assertion in
        # ``IntersectionMatcher._find_next`` once postings span blocks). The filter adds a
        # negligible constant to every score (Whoosh reads a constant score of 0 as 1).
        return q if filter_q is None else wq.And([q, wq.ConstantScoreQuery(filter_q, _FILTER_SCORE)])

    def stored(self, key):
        return self._searcher.stored_fields(key)

    def key(self, doc_id):
        return self._searcher.document_number(id=doc_id)

    def rows(self, keys):
        if ROW_FIELD not in self.schema:
            return None
        column = self._searcher.reader().column_reader(ROW_FIELD)
        return [column[key] for key in keys]

    def doc_frequency(self, field, term):
        return self._searcher.doc_frequency(field, term) if field in self.schema else 0

    def terms(self, field):
        """``(term, document frequency)`` of every term of ``field``, in term order."""
        if field not in self.schema:
            return
        reader = self._searcher.reader()
        for term, info in reader.iter_field(field):
            yield _text(term), info.doc_frequency()

    def keys_with(self, field, term, limit):
        """Up to ``limit`` documents holding ``term`` in ``field``, in index order."""
        if field not in self.schema or not self.doc_frequency(field, term):
            return []
        ids = self._searcher.reader().postings(field, term).all_ids()
        return [docnum for docnum, _ in zip(ids, range(limit))]

    def all_stored(self):
        reader = self._searcher.reader()
        for docnum, stored in reader.iter_docs():
            yield stored

    def check(self):
        """Whoosh's own consistency: every segment's files open and every stored
        document reads."""
        return sum(1 for _ in self.all_stored())


def _text(term):
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _query(node):
    if isinstance(node, p.Term):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, p.Phrase):
        return wq.Phrase(node.field, list(node.words), boost=node.boost)
    if isinstance(node, p.AnyOf):
        return wq.Or([_query(c) for c in node.children])
    if isinstance(node, p.AllOf):
        return wq.And([_query(c) for c in node.children])
    if isinstance(node, p.Exclude):
        return wq.AndNot(_query(node.positive), _query(node.excluded))
    if node is p.EVERYTHING:
        return wq.Every()
    return wq.NullQuery


def _filter_query(filters, schema):
    parts = []
    if filters.sources and "source" in schema:
        parts.append(wq.Or([wq.Term("source", s) for s in filters.sources]))
    start, end = filters.moments()
    if (start or end) and "published" in schema:
        parts.append(wq.DateRange("published", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _score(key):
    """A hit's score: sorted results carry the sort key, whose last part is ``-score``."""
    if isinstance(key, tuple):
        return -key[-1]
    return key or 0.0


class _DeadlineCollector(WrappingCollector):
    """Raises ``TimeLimit`` once ``deadline`` (``time.monotonic()``) has passed, checked
    before each matched document.

    Whoosh's ``TimeLimitCollector`` starts a timer thread per search and, on Unix,
    installs a SIGALRM handler, which fails outside the main thread (a server's
    worker); a clock read per document costs less and behaves the same everywhere."""

    def __init__(self, child, deadline):
        super().__init__(child)
        self.deadline = deadline

    def collect_matches(self):
        child = self.child
        for sub_docnum in child.matches():
            if time.monotonic() >= self.deadline:
                raise TimeLimit
            child.collect(sub_docnum)


class PublishedFacet(sorting.FacetType):
    """Keys from the ``published`` column: ``"year"`` (``"2025"``), ``"month"``
    (``"2025-07"``), ``"day"`` (``"2025-07-15"``), or ``"newest"`` for sorting.

    Whoosh's own ``FieldFacet("published")`` cannot be used: an undated article's column
    holds the all-ones sentinel, which Whoosh cannot turn back into a date, and which a
    reversed sort would put first instead of last."""

    def __init__(self, kind, maptype=None):
        self.kind = kind
        self.maptype = maptype

    def categorizer(self, global_searcher):
        return _PublishedCategorizer(self.kind)


# DATETIME columns store a date as a 64-bit count of microseconds; undated is all ones.
_UNDATED = 2**64 - 1
_DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


class _PublishedCategorizer(sorting.Categorizer):
    def __init__(self, kind):
        self.kind = kind
        self._column = None

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        self._column = reader.column_reader("published", translate=False) if reader.has_column("published") else None

    def key_for(self, matcher, segment_docnum):
        value = self._column[segment_docnum] if self._column is not None else _UNDATED
        dated = value != _UNDATED
        if self.kind == "newest":
            # Sort keys ascend: dated before undated, then the largest date first.
            return (0, -value) if dated else (1, 0)
        if not dated:
            return ""
        return long_to_datetime(value).strftime(_DATE_FORMATS[self.kind])


_NEWEST = sorting.MultiFacet([PublishedFacet("newest"), sorting.ScoreFacet()])
_FACETS = {
    "source": lambda: sorting.FieldFacet("source", maptype=sorting.Count),
    "year": lambda: PublishedFacet("year", maptype=sorting.Count),
    "month": lambda: PublishedFacet("month", maptype=sorting.Count),
    "day": lambda: PublishedFacet("day", maptype=sorting.Count),
}


def _facet_field(name):
    return "source" if name == "source" else "published"
