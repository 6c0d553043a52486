"""The forward index: each article's terms in order, kept beside the engine's files, so
re-ranking counts a candidate's query terms in arrays rather than reading its stored text.

An article's *row* holds the terms of ``FIELDS`` (title stems, body stems, body words
as typed, body transliteration keys) exactly as our analysis gave them to the engine,
each as a 32-bit hash (``term_hash``, the same in every process): a query's terms are
hashed alike and compared as integers, so no vocabulary is loaded. Two terms sharing a
hash would be counted as one; a query term meets one of a candidate's 1,500 or so
distinct terms that way about once in three million tries.

Files: ``forward.terms`` (the hashes, row after row, uint32) and ``forward.ends``
(where each row's fields end, ``len(FIELDS)`` uint64 a row, after a leading 0), both
little-endian and read memory-mapped. The engine keeps each article's row number
(``schema.ROW_FIELD``, ``reader.rows(keys)``). Rows are only appended: an update writes
its new and changed articles after the rest, and a removed article's row goes unread
until the next build.

``ForwardIndex.open(folder).gather(rows)`` -> per field, ``(terms, lengths)``: the
rows' terms of that field concatenated, and how many each row has.
"""

import zlib
from pathlib import Path

import numpy as np

FIELDS = ("title", "body", "body_exact", "body_translit")
TERMS_FILE = "forward.terms"
ENDS_FILE = "forward.ends"
_TERM = np.dtype("<u4")
_END = np.dtype("<u8")


def term_hash(term):
    """A term's 32-bit hash: CRC-32 of its UTF-8 (Python's own ``hash`` differs from
    process to process)."""
    return zlib.crc32(term.encode("utf-8"))


def encode(fields):
    """A row of the analyzed ``{field: [(term, position, start, end)]}``: the hashes of
    ``FIELDS`` in order (as bytes) and how many each field has; a field the profile
    lacks has none."""
    found = [[term_hash(token[0]) for token in fields.get(name, ())] for name in FIELDS]
    return np.array([h for hashes in found for h in hashes], dtype=_TERM).tobytes(), [len(h) for h in found]


def decode(row):
    """The hashes of each of ``FIELDS`` in an ``encode``d row."""
    hashes, lengths = row
    return np.split(np.frombuffer(hashes, dtype=_TERM), np.cumsum(lengths)[:-1])


class ForwardWriter:
    """Appends rows to the forward index in ``folder`` (creating it); ``add`` returns the
    new row's number. Written through as rows come, so a build holds none in memory."""

    def __init__(self, folder):
        folder = Path(folder)
        ends = folder / ENDS_FILE
        if not ends.exists():
            ends.write_bytes(np.zeros(1, dtype=_END).tobytes())
            (folder / TERMS_FILE).write_bytes(b"")
        edges = np.fromfile(ends, dtype=_END)
        self._rows = (len(edges) - 1) // len(FIELDS)
        self._end = int(edges[-1])
        self._terms = open(folder / TERMS_FILE, "ab")
        self._ends = open(ends, "ab")

    def add(self, row):
        hashes, lengths = row
        self._terms.write(hashes)
        ends = self._end + np.cumsum(lengths, dtype=_END)
        self._ends.write(ends.astype(_END).tobytes())
        self._end = int(ends[-1])
        self._rows += 1
        return self._rows - 1

    def close(self):
        self._terms.close()
        self._ends.close()


class ForwardIndex:
    """The forward index of one generation, read-only."""

    def __init__(self, terms, edges):
        self._terms = terms
        self._edges = edges

    @classmethod
    def open(cls, folder):
        """The generation's forward index, or ``None`` for one built before it was kept."""
        folder = Path(folder)
        if not (folder / ENDS_FILE).exists():
            return None
        return cls(_mapped(folder / TERMS_FILE, _TERM), _mapped(folder / ENDS_FILE, _END))

    def __len__(self):
        return (len(self._edges) - 1) // len(FIELDS)

    def gather(self, rows):
        """Per field of ``FIELDS``, the terms of ``rows`` (in that order) concatenated,
        and the number each row has."""
        first = np.asarray(rows, dtype=np.int64) * len(FIELDS)
        out = []
        for i in range(len(FIELDS)):
            starts = self._edges[first + i].astype(np.int64)
            lengths = self._edges[first + i + 1].astype(np.int64) - starts
            out.append((self._terms[spans(starts, lengths)], lengths))
        return out


def spans(starts, lengths):
    """The indexes ``starts[0]:starts[0]+lengths[0]``, then the next span's, and so on."""
    before = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)


def _mapped(path, dtype):
    # numpy cannot map an empty file (an index of empty articles has no terms).
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r")
