"""What reading produces: an ``Article`` to index, or a ``Skip`` saying why a file (or one
record of a collection) was left out."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

# A single-article file (.txt, .md, .html, .json) is read whole into memory; beyond this it
# is skipped with the reason (for a .gz, the limit is on what it unpacks to). Collections
# (.jsonl, .csv, compressed or not) are streamed and have no limit.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass
class Article:
    """One article. ``source`` (the outlet), ``url``, ``published`` (a naive UTC ``datetime``
    or ``None``) are kept, searchable and filterable when a format carries them;
    ``encoding`` is how the file was decoded (for ``--verbose``); ``meta`` keeps the rest."""

    id: str
    title: str
    body: str
    path: str
    source: str = ""
    url: str = ""
    published: datetime | None = None
    encoding: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def content_hash(self):
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()


@dataclass
class Skip:
    """A file (``path``) or a record in it (``path:line``) that was not indexed, and why."""

    path: str
    reason: str


class SourceError(Exception):
    """A path the user gave cannot be read at all (missing, not a file or folder)."""
