"""Reading one file whole into text, within the size limit, or saying why it cannot be.
A ``.gz`` file is decompressed (the limit is on the text, so a small file that unpacks to
gigabytes is refused too); a damaged one is skipped whole."""

from indexer.sources.compression import BadGzip, open_bytes
from indexer.sources.decoding import Undecodable, decode_document
from indexer.sources.model import MAX_DOCUMENT_BYTES


class Unreadable(Exception):
    """``str(e)`` is the one-line reason the file was skipped."""


class TooLarge(Unreadable):
    """Over ``MAX_DOCUMENT_BYTES``: a ``.json`` collection's reason then adds a remedy."""


def read_document(path):
    """``(text, encoding)`` of a single-article file. Raises ``Unreadable``."""
    try:
        with open_bytes(path) as file:
            data = file.read(MAX_DOCUMENT_BYTES + 1)
    except BadGzip as e:
        raise Unreadable(str(e)) from None
    except OSError as e:
        raise Unreadable(f"cannot read: {e.strerror or e}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise TooLarge(f"larger than the {MAX_DOCUMENT_BYTES // 2**20} MB limit for one article")
    if not data.strip():
        raise Unreadable("empty file")
    try:
        text, encoding = decode_document(data)
    except Undecodable as e:
        raise Unreadable(str(e)) from None
    if not text.strip():
        raise Unreadable("empty file")
    return text, encoding
