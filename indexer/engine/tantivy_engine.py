"""The tantivy engine: a compiled (Rust) index for large collections (PyPI ``tantivy``).

Documents go in pre-analyzed: our own analysis turns each text field into tokens with
their positions and character offsets (``engine.tokens``, ``Document.add_pre_tokenized_text``),
so the terms are exactly those the Whoosh engine holds and the query side builds. With
``procs`` > 1 the analysis runs in a pool of forked processes while tantivy's own
threads write. Scoring is tantivy's BM25 (k1 1.2, b 0.75, the probabilistic idf, as
``ranking.BM25`` for Whoosh), with field boosts as query boosts.

Facets are counted by tantivy's terms aggregation over fast columns (``source``, and the
publication ``year``/``month``/``day`` written as keywords at index time); "newest first"
sorts on a fast column where an undated article holds 0, so it comes last.
"""

import time
from datetime import datetime, timezone

import tantivy

from indexer.engine import plan as p
from indexer.engine.base import DeadlinePassed, TopDocs
from indexer.engine.tokens import Pretokenizer
from indexer.indexing.forward_index import ForwardWriter
from indexer.indexing.schema import (
    FACETS,
    ROW_FIELD,
    STEMMED_FIELDS,
    TRANSLITERATION_FIELDS,
    Analysis,
)

NAME = "tantivy"
HEAP_BYTES = 256 * 1024 * 1024
_DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
_EPOCH = datetime(1970, 1, 1)


def _schema(analysis):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("content_hash", stored=True, tokenizer_name="raw")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("path", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_date_field("published", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("newest", fast=True)
    for name in ("year", "month", "day"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in analysis.analyzers:
        # Transliteration keys are never in phrases: frequencies suffice.
        options = "freq" if name in TRANSLITERATION_FIELDS else "position"
        builder.add_text_field(name, stored=name in STEMMED_FIELDS, index_option=options)
    builder.add_unsigned_field(ROW_FIELD, fast=True)
    return builder.build()


def create(folder, analysis, procs=1, limitmb=256):
    """A writer on a new, empty index in ``folder``."""
    index = tantivy.Index(_schema(analysis), path=str(folder), reuse=False)
    return Writer(folder, index, analysis, procs)


def open_writer(folder, procs=1, limitmb=256):
    return Writer(folder, tantivy.Index.open(str(folder)), Analysis.load(folder), procs)


def open_reader(folder):
    return Reader(tantivy.Index.open(str(folder)))


# --- Writing -----------------------------------------------------------------------------


class Writer:
    def __init__(self, folder, index, analysis, procs):
        self._index = index
        self._writer = index.writer(heap_size=HEAP_BYTES, num_threads=max(1, min(procs, 4)))
        self._tokens = Pretokenizer(analysis, procs)
        # An index built before the forward index keeps its schema through updates.
        self._rows = ForwardWriter(folder) if _has_field(index.schema, ROW_FIELD, 0) else None

    def add(self, document):
        self._write(self._tokens.add(document))

    def delete(self, doc_id):
        self._writer.delete_documents_by_term("id", doc_id)

    def _write(self, analyzed):
        for document, fields, row in analyzed:
            doc = _document(document, fields)
            if self._rows is not None:
                doc.add_unsigned(ROW_FIELD, self._rows.add(row))
            self._writer.add_document(doc)

    def commit(self):
        try:
            self._write(self._tokens.finish())
            self._writer.commit()
            self._writer.wait_merging_threads()
        finally:
            self._close()

    def cancel(self):
        try:
            self._writer.rollback()
        finally:
            self._close()

    def _close(self):
        self._tokens.close()
        if self._rows is not None:
            self._rows.close()


def _document(document, fields):
    doc = tantivy.Document()
    for name in ("id", "content_hash", "source", "path", "url"):
        if document.get(name):
            doc.add_text(name, document[name])
    published = document.get("published")
    if published is not None:
        doc.add_date("published", published)
        for name, pattern in _DATE_FORMATS.items():
            doc.add_text(name, published.strftime(pattern))
    doc.add_unsigned("newest", _newest_key(published))
    for name, tokens in fields.items():
        # Only title and body are stored (with their stemmed fields).
        text = document.get(name, "") if name in STEMMED_FIELDS else ""
        doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(
            text, [tantivy.Token(term, pos, start, end) for term, pos, start, end in tokens]))
    return doc


def _newest_key(published):
    """Microseconds since 1970 plus one, 0 for an undated article (sorted last)."""
    if published is None:
        return 0
    return max(1, int((published - _EPOCH).total_seconds() * 1_000_000) + 1)


# --- Reading -----------------------------------------------------------------------------


class Reader:
    """One open tantivy index; its searcher is a snapshot shared by every thread."""

    def __init__(self, index):
        self._index = index
        self.schema = index.schema
        self._searcher = index.searcher()
        self._fields = set(_field_names(index))
        self._has_rows = _has_field(index.schema, ROW_FIELD, 0)

    def close(self):
        self._searcher = None

    def doc_count(self):
        return self._searcher.num_docs

    def segment_count(self):
        return self._searcher.num_segments

    def search(self, plan, limit, filters=None, sort="relevance", deadline=None):
        _check(deadline)
        q = self._filtered(plan, filters)
        if sort == "newest":
            result = self._searcher.search(q, limit, count=True, order_by_field="newest")
            # Sorted hits carry the sort key, not a score.
            hits = [((a.segment_ord, a.doc), 0.0) for _, a in result.hits]
        else:
            result = self._searcher.search(q, limit, count=True)
            hits = [((a.segment_ord, a.doc), score) for score, a in result.hits]
        return TopDocs(result.count, hits)

    def count(self, plan, filters=None, deadline=None):
        _check(deadline)
        return self._searcher.search(self._filtered(plan, filters), 1, count=True).count

    def facet_counts(self, plan, filters, names, deadline=None):
        _check(deadline)
        wanted = [name for name in names if name in FACETS]
        counts = {name: {} for name in names}
        if not wanted:
            return counts
        aggregations = {name: {"terms": {"field": name, "size": 100_000}} for name in wanted}
        found = self._searcher.aggregate(self._filtered(plan, filters), aggregations)
        for name in wanted:
            counts[name] = {b["key"]: b["doc_count"] for b in found.get(name, {}).get("buckets", []) if b["key"]}
        return counts

    def _filtered(self, plan, filters):
        q = self._query(plan)
        parts = self._filter_parts(filters) if filters else []
        if not parts:
            return q
        # Filters match without adding to the score.
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, q)] + [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in parts])

    def _filter_parts(self, filters):
        parts = []
        if filters.sources:
            parts.append(tantivy.Query.term_set_query(self.schema, "source", list(filters.sources)))
        start, end = filters.moments()
        if start or end:
            parts.append(tantivy.Query.range_query(self.schema, "published", tantivy.FieldType.Date, start, end))
        return parts

    def _query(self, node):
        Q = tantivy.Query
        if isinstance(node, p.Term):
            if node.field not in self._fields:
                return Q.empty_query()
            return _boosted(Q.term_query(self.schema, node.field, node.text), node.boost)
        if isinstance(node, p.Phrase):
            if node.field not in self._fields:
                return Q.empty_query()
            words = [(i, word) for i, word in enumerate(node.words)]
            return _boosted(Q.phrase_query(self.schema, node.field, words), node.boost)
        if isinstance(node, p.AnyOf):
            return Q.boolean_query([(tantivy.Occur.Should, self._query(c)) for c in node.children])
        if isinstance(node, p.AllOf):
            return Q.boolean_query([(tantivy.Occur.Must, self._query(c)) for c in node.children])
        if isinstance(node, p.Exclude):
            return Q.boolean_query([(tantivy.Occur.Must, self._query(node.positive)),
                                    (tantivy.Occur.MustNot, self._query(node.excluded))])
        if node is p.EVERYTHING:
            return Q.all_query()
        return Q.empty_query()

    def stored(self, key):
        found = self._searcher.doc(tantivy.DocAddress(*key)).to_dict()
        stored = {name: values[0] for name, values in found.items() if values}
        published = stored.get("published")
        if published is not None:
            stored["published"] = published.astimezone(timezone.utc).replace(tzinfo=None)
        return stored

    def rows(self, keys):
        if not self._has_rows:
            return None
        return self._searcher.fast_field_values(ROW_FIELD, [tantivy.DocAddress(*key) for key in keys])

    def key(self, doc_id):
        found = self._searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1, count=False)
        return next(((a.segment_ord, a.doc) for _, a in found.hits), None)

    def doc_frequency(self, field, term):
        return self._searcher.doc_freq(field, term) if field in self._fields else 0

    def terms(self, field):
        if field not in self._fields:
            return
        yield from sorted(self._searcher.terms_with_prefix(field, ""))

    def keys_with(self, field, term, limit):
        if field not in self._fields:
            return []
        found = self._searcher.search(tantivy.Query.term_query(self.schema, field, term), limit, count=False)
        return [(a.segment_ord, a.doc) for _, a in found.hits]

    def all_stored(self):
        found = self._searcher.search(tantivy.Query.all_query(), max(1, self.doc_count()), count=False)
        for _, address in found.hits:
            yield self.stored((address.segment_ord, address.doc))

    def check(self):
        """Every stored document reads (tantivy checks each block's checksum as it reads)."""
        return sum(1 for _ in self.all_stored())


def _field_names(index):
    # The schema does not list its fields; the stored and searched ones are ours to know.
    return [name for name in ("id", "content_hash", "source", "title", "body", "title_exact", "body_exact",
                              "title_translit", "body_translit", "year", "month", "day")
            if _has_field(index.schema, name)]


def _has_field(schema, name, value=""):
    """Whether the schema has field ``name`` (of the type of ``value``)."""
    try:
        tantivy.Query.term_query(schema, name, value)
    except ValueError:
        return False
    return True


def _boosted(q, boost):
    return q if boost == 1.0 else tantivy.Query.boost_query(q, boost)


def _check(deadline):
    if deadline is not None and time.monotonic() >= deadline:
        raise DeadlinePassed
