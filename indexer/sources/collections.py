"""Collections: many articles in one file, as ``.jsonl`` (one JSON object a line), ``.csv``
(a header row, then one article a row) or ``.json`` (a list of objects, an object with such
a list under ``articles``/``data``/..., or one object).

``.jsonl`` and ``.csv`` are streamed one record at a time, so a file of any size is read in
bounded memory, compressed (``.jsonl.gz``, ``.csv.gz``, decompressed as it is read) or not.
A record that cannot be read (broken bytes, invalid JSON, no text) is skipped as
``path:line`` with the reason, and the rest of the file is read.

A file that stops being readable part-way (a read error, gzip data cut short or damaged)
keeps the records read before that point, each having passed the checks above, and is
itself reported skipped with the reason, as ``path``: what could be read is indexed, and
the report says the rest is missing. gzip finds a cut where it is and most corruption where
decompression fails, the rest by its checksum at the end of the file. A ``.json``/``.json.gz``
is one document: damaged, it is skipped whole.
"""

import csv
import io
import json
from contextlib import contextmanager

from indexer.sources.compression import BadGzip, open_bytes
from indexer.sources.decoding import (
    SAMPLE_BYTES,
    Undecodable,
    detect_encoding,
    stream_errors,
)
from indexer.sources.model import MAX_DOCUMENT_BYTES, Skip
from indexer.sources.reading import TooLarge, Unreadable, read_document
from indexer.sources.records import BadRecord, article_from_record

# Keys under which a .json object usually holds its list of articles.
LIST_KEYS = ("articles", "data", "items", "records", "results", "posts", "entries", "documents")
CSV_DELIMITERS = ",;\t|"


class EmptyFile(Exception):
    """Raised before decoding: an empty collection has no encoding to detect."""


@contextmanager
def _text_stream(path, newline=None):
    """``(stream, encoding, is_broken)`` for ``path``, the encoding judged by its start."""
    with open_bytes(path) as raw:
        sample = raw.read(SAMPLE_BYTES)
        if not sample.strip():
            raise EmptyFile
        encoding = detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
        raw.seek(0)
        errors, is_broken = stream_errors(encoding)
        stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)
        try:
            yield stream, encoding, is_broken
        finally:
            stream.detach()


def _guard(path, records):
    """Turns a file-level failure while reading ``records`` into one ``Skip``."""
    try:
        yield from records
    except EmptyFile:
        yield Skip(str(path), "empty file")
    except (Undecodable, BadGzip) as e:
        yield Skip(str(path), str(e))
    except OSError as e:
        yield Skip(str(path), f"cannot read: {e.strerror or e}")


def read_jsonl(path, names, id_base):
    return _guard(path, _jsonl_records(path, names, id_base))


def _jsonl_records(path, names, id_base):
    with _text_stream(path) as (stream, encoding, is_broken):
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            if is_broken(line):
                yield Skip(where, f"broken bytes (not valid {encoding}): line not indexed")
                continue
            try:
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as e:
                yield Skip(where, f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            yield _article(record, names, f"{id_base}:{number}", where, encoding)


def read_csv(path, names, id_base):
    return _guard(path, _csv_records(path, names, id_base))


def _csv_records(path, names, id_base):
    # The default limit (128 KiB a field) is shorter than a long article.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_DOCUMENT_BYTES))
    with _text_stream(path, newline="") as (stream, encoding, is_broken):
        header_line = stream.readline()
        delimiter = max(CSV_DELIMITERS, key=header_line.count)
        header = next(csv.reader([header_line], delimiter=delimiter))
        columns = {column.strip() for column in header}
        if not columns & {names.title, *names.text}:
            yield Skip(str(path), f"no text column (columns: {', '.join(header)}); name it with --field text=COLUMN")
            return
        reader = csv.DictReader(stream, fieldnames=[column.strip() for column in header], delimiter=delimiter)
        while True:
            line = reader.line_num + 2  # the header is line 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield Skip(f"{path}:{line}", f"CSV row cannot be read ({e})")
                continue
            where = f"{path}:{line}"
            if any(is_broken(value) for value in row.values() if isinstance(value, str)):
                yield Skip(where, f"broken bytes (not valid {encoding}): row not indexed")
                continue
            yield _article(row, names, f"{id_base}:{line}", where, encoding)


def read_json(path, names, id_base):
    """A ``.json`` file is one JSON document, so it is read whole, up to ``MAX_DOCUMENT_BYTES``
    (beyond it the reason says to save the records as ``.jsonl``)."""
    try:
        text, encoding = read_document(path)
    except TooLarge as e:
        return [Skip(str(path), f"{e}; save the records as .jsonl (or .jsonl.gz), which is read as a stream")]
    except Unreadable as e:
        return [Skip(str(path), str(e))]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        return [Skip(str(path), f"invalid JSON ({e.msg} at line {e.lineno}, column {e.colno})")]
    records = _record_list(document)
    if records is None:
        return [_article(document, names, id_base, str(path), encoding)]
    return [_article(record, names, f"{id_base}:{n}", f"{path}:{n}", encoding) for n, record in enumerate(records, 1)]


def _record_list(document):
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in LIST_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
    return None


def _article(record, names, default_id, where, encoding):
    try:
        return article_from_record(record, names, default_id=default_id, path=where, encoding=encoding)
    except BadRecord as e:
        return Skip(where, str(e))
