"""Reading articles from files and folders (folders recursively).

Formats, one module each:

- ``.txt`` one article: first non-empty line is the title (``documents``)
- ``.md`` one article: title from the first ``# heading``, markup stripped (``documents``)
- ``.html``/``.htm`` one article: title, body and metadata from the markup (``html``)
- ``.jsonl``, ``.csv`` streamed collections; ``.json`` a list of records (``collections``)
- any of these compressed with gzip (``ant-2018.jsonl.gz``, ``page.html.gz``): the suffix
  before ``.gz`` names the format, decompressed as it is read (``compression``); other
  ``.gz`` files (``notes.log.gz``, ``dump.tar.gz``) are ignored in a folder like any other
  file type, and skipped with the reason when given by name

Record fields are named by ``FieldNames`` (``--field NAME=COLUMN`` on the command line).
Encodings are detected (``decoding``); dates parsed by ``indexer.sources.dates``.

Ids: a record's id field; otherwise the file's path relative to the folder given, without
suffix (``seeds/000_x.txt`` -> ``000_x``, ``news/2025/a.txt`` -> ``2025/a``, ``feed.jsonl.gz``
-> ``feed``), and for a record of a collection without id, that path and the record's line
(``feed:12``).

Reading never raises for a bad file: it yields a ``Skip`` naming the file (or ``file:line``
for one record of a collection) and the reason, so the build reports it and indexes the rest.
"""

import os
from pathlib import Path

from indexer.sources.collections import read_csv, read_json, read_jsonl
from indexer.sources.compression import format_of, without_suffixes
from indexer.sources.documents import markdown_article, text_article
from indexer.sources.html import html_article
from indexer.sources.model import MAX_DOCUMENT_BYTES, Article, Skip, SourceError
from indexer.sources.reading import Unreadable, read_document
from indexer.sources.records import BadRecord, FieldNames

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Article",
    "FieldNames",
    "Skip",
    "SourceError",
    "SUFFIXES",
    "find_files",
    "read_sources",
]

DOCUMENT_READERS = {
    ".txt": lambda text, names, **where: text_article(text, **where),
    ".md": markdown_article,
    ".html": lambda text, names, **where: html_article(text, **where),
    ".htm": lambda text, names, **where: html_article(text, **where),
}
COLLECTION_READERS = {".jsonl": read_jsonl, ".csv": read_csv, ".json": read_json}
SUFFIXES = set(DOCUMENT_READERS) | set(COLLECTION_READERS)


def find_files(paths):
    """The article files under ``paths`` (files as given, folders recursively, sorted)."""
    for _, path in _located(paths):
        if isinstance(path, Path):
            yield path


def read_sources(paths, fields=FieldNames()):
    """Yields ``Article`` and ``Skip`` objects for every file under ``paths``, reading
    record fields by the names in ``fields``."""
    for folder, path in _located(paths):
        if isinstance(path, Skip):
            yield path
            continue
        suffix, compressed = format_of(path)
        doc_id = _id_of(path, folder)
        if suffix in COLLECTION_READERS:
            yield from COLLECTION_READERS[suffix](path, fields, doc_id)
        elif suffix in DOCUMENT_READERS:
            yield _read_document(path, suffix, fields, doc_id)
        else:
            yield Skip(str(path), _unsupported(suffix, compressed))


def _located(paths):
    """``(folder given, file)`` pairs (``folder`` is ``None`` for a file given by name),
    and ``(folder, Skip)`` for a sub-folder that cannot be listed."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield None, path
        else:
            raise SourceError(f"{given}: no such file or folder")


def _walk(folder):
    unlistable = []
    found = []
    for root, _, names in os.walk(folder, onerror=unlistable.append):
        found.extend(Path(root, name) for name in names if format_of(Path(name))[0] in SUFFIXES)
    for error in unlistable:
        yield folder, Skip(error.filename, f"cannot read folder: {error.strerror or error}")
    for path in sorted(found):
        if path.is_file():
            yield folder, path


def _id_of(path, folder):
    """The path relative to the folder given, without suffix, so files of the same name in
    different sub-folders keep apart; a file given by name is its stem."""
    if folder is None:
        return without_suffixes(path).name
    return without_suffixes(path.relative_to(folder)).as_posix()


def _unsupported(suffix, compressed):
    if not compressed:
        return f"unsupported file type {suffix or '(none)'}"
    if suffix == ".tar":
        return "a tar archive (.tar.gz): unpack it and give the folder"
    if not suffix:
        return "compressed, but the name does not say the format inside (name it like feed.jsonl.gz)"
    return f"unsupported file type {suffix}.gz"


def _read_document(path, suffix, fields, doc_id):
    try:
        text, encoding = read_document(path)
        article = DOCUMENT_READERS[suffix](text, fields, doc_id=doc_id, path=str(path), encoding=encoding)
    except (Unreadable, BadRecord) as e:
        return Skip(str(path), str(e))
    if not (article.title.strip() or article.body.strip()):
        return Skip(str(path), "no text (only markup)")
    return article
