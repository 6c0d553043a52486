"""gzip-compressed files (``ant-2018.jsonl.gz``, ``dump.json.gz``, ``page.html.gz``): the
suffix before ``.gz`` names the format, and the bytes are decompressed as they are read,
never whole, so a compressed collection streams like an uncompressed one.

A damaged file raises ``BadGzip`` (its ``str`` is the reason) where gzip meets the damage:
a cut where the data ends, most corruption where decompression fails, the rest at the
checksum at the end. The readers treat it as a file that stops being readable part-way: a
``.jsonl.gz``/``.csv.gz`` keeps the records read before (see ``collections``) and the file
is reported skipped with the reason; a single article or a ``.json.gz``, read whole, is
skipped whole.
"""

import gzip
import zlib
from contextlib import contextmanager

GZIP = ".gz"
_MAGIC = b"\x1f\x8b"
# What gzip and zlib raise for damaged data, besides EOFError for a cut (BadGzipFile is an
# OSError: turned into BadGzip here, before a reader takes it for a read error).
_DAMAGE = (gzip.BadGzipFile, zlib.error)


class BadGzip(Exception):
    """A ``.gz`` file that is not gzip, or whose compressed data is damaged."""


def format_of(path):
    """``(suffix, compressed)``: the suffix naming the format, looking through ``.gz``.

    >>> format_of(Path("ant-2018.JSONL.gz"))
    ('.jsonl', True)
    """
    suffix = path.suffix.lower()
    if suffix != GZIP:
        return suffix, False
    return path.with_suffix("").suffix.lower(), True


def without_suffixes(path):
    """``path`` without its format suffix, nor ``.gz`` (``2025/feed.jsonl.gz`` -> ``2025/feed``)."""
    if format_of(path)[1]:
        path = path.with_suffix("")
    return path.with_suffix("")


@contextmanager
def open_bytes(path):
    """The binary stream of the file's content, decompressed as it is read when the name
    ends in ``.gz``. Reading a damaged ``.gz`` raises ``BadGzip``."""
    with path.open("rb") as raw:
        if not format_of(path)[1]:
            yield raw
            return
        magic = raw.read(len(_MAGIC))
        raw.seek(0)
        if not magic:
            yield raw  # an empty file: the reader says so
            return
        if magic != _MAGIC:
            raise BadGzip("not gzip-compressed, though its name ends in .gz")
        with gzip.GzipFile(fileobj=raw) as stream:
            try:
                yield stream
            except EOFError:
                raise BadGzip("gzip data cut short (the file ends before its compressed data does)") from None
            except _DAMAGE as e:
                raise BadGzip(f"damaged gzip data ({e})") from None
