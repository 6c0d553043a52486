"""Reading articles from files: one ``.txt`` per article, or ``.jsonl`` collections.

Reading never raises for a bad file: it yields a ``Skip`` naming the file and the
reason, so the build can report it and index everything else.
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

TEXT_SUFFIXES = {".txt"}
COLLECTION_SUFFIXES = {".jsonl"}
SUFFIXES = TEXT_SUFFIXES | COLLECTION_SUFFIXES


@dataclass
class Article:
    """One article. ``source`` (the outlet), ``url``, ``published`` (a ``datetime`` or
    ``None``) and ``lang`` are kept, searchable and filterable when a format carries them;
    ``encoding`` is how the file was decoded (for ``--verbose``); ``meta`` keeps the rest."""

    id: str
    title: str
    body: str
    path: str
    source: str = ""
    url: str = ""
    published: datetime | None = None
    lang: str = ""
    encoding: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self):
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()


@dataclass
class Skip:
    path: str
    reason: str


class SourceError(Exception):
    """A path the user gave cannot be read at all (missing, not a file or folder)."""


def find_files(paths):
    """The article files under ``paths`` (files as given, folders recursively, sorted)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            yield path
        else:
            raise SourceError(f"{given}: no such file or folder")


def read_sources(paths):
    """Yields ``Article`` and ``Skip`` objects for every file under ``paths``."""
    for path in find_files(paths):
        suffix = path.suffix.lower()
        if suffix in COLLECTION_SUFFIXES:
            yield from _read_jsonl(path)
        elif suffix in TEXT_SUFFIXES:
            yield _read_text_article(path)
        else:
            yield Skip(str(path), f"unsupported file type {suffix or '(none)'}")


def _decode(path):
    """The file's text, or a ``Skip`` saying why it has none."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return Skip(str(path), f"cannot read: {e.strerror or e}")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Skip(str(path), "binary file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return Skip(str(path), f"not valid UTF-8 (byte {e.start})")
    if not text.strip():
        return Skip(str(path), "empty file")
    return text


def _read_text_article(path):
    """First non-empty line is the title, the rest is the body."""
    text = _decode(path)
    if isinstance(text, Skip):
        return text
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    title = lines[first].strip()
    body = "\n".join(lines[first + 1 :]).strip()
    return Article(id=path.stem, title=title, body=body, path=str(path))


def _read_jsonl(path):
    text = _decode(path)
    if isinstance(text, Skip):
        yield text
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Skip(where, f"invalid JSON ({e.msg})")
            continue
        if not isinstance(record, dict) or "id" not in record:
            yield Skip(where, "record has no id")
            continue
        body = str(record.get("text") or record.get("body") or "")
        title = str(record.get("title") or "")
        if not (body.strip() or title.strip()):
            yield Skip(where, "record has no text")
            continue
        meta = {k: v for k, v in record.items() if k not in ("id", "title", "text", "body")}
        yield Article(id=str(record["id"]), title=title, body=body, path=where, meta=meta)


def newest_mtime(paths):
    """The latest modification time among the article files (0 if none), for staleness."""
    return max((os.stat(p).st_mtime for p in find_files(paths)), default=0)
