"""What every engine offers, and the small types that cross the boundary.

An engine is a module with ``NAME``, ``create(folder, analysis, procs, limitmb)`` and
``open_writer(folder, procs, limitmb)`` returning a writer, and ``open_reader(folder)``
returning a reader. Documents go in as ``schema.document_fields`` dicts, queries as
``plan`` nodes; nothing of the engine's own types comes out.

A writer: ``add(document)``, ``delete(doc_id)``, ``commit()``, ``cancel()``.

A reader (safe to share between threads):

| method | answers |
| --- | --- |
| ``doc_count()`` | documents in the index |
| ``segment_count()`` | the engine's segments (updates add some; merging keeps them few) |
| ``search(plan, limit, filters, sort, deadline)`` | ``TopDocs``: the total matches and the best ``limit`` as ``(key, score)`` |
| ``count(plan, filters, deadline)`` | matches, unscored |
| ``facet_counts(plan, filters, names, deadline)`` | ``{facet: {value: count}}`` over every match, unscored |
| ``stored(key)`` / ``key(doc_id)`` | a document's stored fields / its key, ``None`` when absent |
| ``rows(keys)`` | each document's row of the forward index (``indexing.forward_index``), without reading its stored fields; ``None`` for an index built before it |
| ``doc_frequency(field, term)`` | documents holding the term |
| ``terms(field)`` | every ``(term, document frequency)`` of the field (index time: the lexicon) |
| ``keys_with(field, term, limit)`` | some documents holding the term |
| ``all_stored()`` | every document's stored fields (updates, checks) |
| ``check()`` | the engine's own consistency checks; the number of documents read |
| ``close()`` | |

Keys are opaque and valid for the reader that gave them. ``sort`` is ``"relevance"`` or
``"newest"`` (dated newest first, undated last). ``deadline`` is a ``time.monotonic()``
instant after which the engine may stop with ``DeadlinePassed``. ``filters`` is a
``facets.Filters``.
"""

from dataclasses import dataclass, field


class DeadlinePassed(Exception):
    """The query ran past its time budget."""


@dataclass
class TopDocs:
    total: int
    hits: list = field(default_factory=list)
