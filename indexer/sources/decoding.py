"""Which encoding a file is in, and its text, or why it has none.

Decided in this order:

1. A byte-order mark: UTF-8 (``utf-8-sig``) or UTF-16 (``utf-16``).
2. NUL bytes: UTF-16 without a mark when every NUL sits on the same side of its
   character (the high byte of ASCII letters, spaces and digits) and what it decodes to is
   Latin or Arabic text, otherwise a binary file.
3. Valid UTF-8 (``utf-8``).
4. Broken UTF-8: when more of the non-ASCII bytes form well-formed UTF-8 sequences than
   not, the file is UTF-8 that was damaged, not a legacy encoding (in Windows-1256 or
   ISO-8859-6 an Arabic letter is one byte, and two in a row seldom form a sequence).
   A single-article file is then skipped, naming how many bytes are broken and where,
   rather than indexed with invented characters; in a collection only the records with
   broken bytes are skipped.
5. Otherwise the maintained detector ``charset-normalizer`` chooses between
   ``windows-1256`` and ``iso-8859-6`` (it honours an HTML page's ``<meta charset>``).
   It is asked about these two only: unrestricted, it labels short Arabic texts as Thai
   (cp874) or Japanese (cp932). When it cannot tell them apart (a few words: both
   decodings are Arabic letters), the decoding in which more words start with the article
   ``ال`` wins, and Windows-1256, by far the more common, wins ties.

Text with many control characters after decoding is a binary file.
"""

import codecs
import re

from charset_normalizer import from_bytes

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
WINDOWS_1256 = "windows-1256"
ISO_8859_6 = "iso-8859-6"
LEGACY = (WINDOWS_1256, ISO_8859_6)
_DETECTOR_NAMES = {"cp1256": WINDOWS_1256, "iso8859_6": ISO_8859_6}

# Enough to judge a file by; large collections are judged by their beginning.
SAMPLE_BYTES = 64 * 1024
# More control characters than this (as a share of the text) and the file is not text.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DEFINITE_ARTICLE = re.compile(r"(?:^|\s)ال")
_STRAY_BYTE = re.compile("[\udc80-\udcff]")  # where surrogateescape left a byte that is not UTF-8
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Without a mark, bytes with NULs are taken for UTF-16 only when nearly every character
# decoded is Latin, Arabic or punctuation: any binary data decodes to *some* characters.
MIN_SCRIPT_SHARE = 0.95
_EXPECTED_SCRIPTS = re.compile("[\x00-\u024f\u0600-\u06ff\u0750-\u077f\u2000-\u206f\ufb50-\ufeff]+")


class Undecodable(Exception):
    """The bytes are not text this reader can decode; ``str(e)`` is the reason."""


def detect_encoding(sample, complete=True):
    """The encoding of ``sample`` (a file's bytes, or its first ``SAMPLE_BYTES`` when
    ``complete`` is false). Raises ``Undecodable`` for a binary file."""
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if b"\x00" in sample:
        return _utf16_without_mark(sample, complete)
    # Control characters are ASCII: Latin-1 counts them without knowing the encoding.
    if _too_many_controls(sample[:SAMPLE_BYTES].decode("latin-1")):
        raise Undecodable("binary file")
    if _is_utf8(sample, complete) or _damaged_utf8(sample):
        return UTF8
    return _legacy(sample[:SAMPLE_BYTES])


def decode_document(data):
    """``(text, encoding)`` of a whole file. Raises ``Undecodable`` with the reason."""
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        if encoding == UTF8:
            raise Undecodable(broken_utf8_reason(data, e.start)) from None
        raise Undecodable(f"not valid {encoding} (byte {e.start})") from None
    if _too_many_controls(text):
        raise Undecodable("binary file")
    return text, encoding


def broken_utf8_reason(data, first):
    """Says how much of a UTF-8 text is broken, so the user can find and fix it."""
    count, _ = _utf8_census(data)
    return f"not valid UTF-8: {count} broken byte{'s' if count > 1 else ''}, first at byte {first} (the rest is UTF-8; not indexed rather than guessed)"


def stream_errors(encoding):
    """``(handler, is_broken)``: the decoding error handler for a streamed collection, and a
    test telling whether a decoded record held broken bytes, so that record alone is skipped.
    UTF-16 cannot escape bytes into surrogates, so it marks them with U+FFFD."""
    if encoding.startswith(UTF16):
        return "replace", lambda text: "\ufffd" in text
    return "surrogateescape", _has_stray_bytes


def _has_stray_bytes(text):
    # Escaped bytes are lone surrogates, which cannot be encoded: the fastest test for them.
    try:
        text.encode(UTF8)
    except UnicodeEncodeError:
        return True
    return False


def _is_utf8(sample, complete):
    decoder = codecs.getincrementaldecoder(UTF8)()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _damaged_utf8(data):
    stray, in_sequences = _utf8_census(data)
    return in_sequences > stray


def _utf8_census(data):
    """``(stray bytes, bytes in well-formed multi-byte sequences)`` of ``data`` read as UTF-8."""
    text = data.decode(UTF8, "surrogateescape")
    stray = len(text) - len(_STRAY_BYTE.sub("", text))
    ascii_bytes = len(_NON_ASCII.sub("", text))
    return stray, len(data) - ascii_bytes - stray


def _utf16_without_mark(sample, complete):
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if even_nuls and odd_nuls:
        raise Undecodable("binary file")
    codec = "utf-16-le" if odd_nuls else "utf-16-be"
    usable = sample if complete else sample[: len(sample) // 2 * 2]
    try:
        text = usable.decode(codec)
    except UnicodeDecodeError:
        raise Undecodable("binary file") from None
    if _too_many_controls(text) or len(_EXPECTED_SCRIPTS.sub("", text)) > (1 - MIN_SCRIPT_SHARE) * len(text):
        raise Undecodable("binary file")
    return codec


def _too_many_controls(text):
    sample = text[:SAMPLE_BYTES]
    # A stray form feed or DOS end-of-file mark does not make a short text binary.
    return len(_CONTROL.findall(sample)) > max(2, MAX_CONTROL_SHARE * len(sample))


def _legacy(sample):
    results = from_bytes(sample, cp_isolation=["cp1256", "iso8859_6"])
    ranked = [(match.chaos, -match.coherence, _DETECTOR_NAMES[match.encoding]) for match in results]
    if not ranked:
        return WINDOWS_1256
    ranked.sort(key=lambda item: item[:2])
    best = ranked[0]
    tied = [name for chaos, coherence, name in ranked if (chaos, coherence) == best[:2]]
    if len(tied) == 1:
        return best[2]
    return max(LEGACY, key=lambda name: _article_count(sample, name) if name in tied else -1)


def _article_count(sample, encoding):
    try:
        return len(_DEFINITE_ARTICLE.findall(sample.decode(encoding)))
    except UnicodeDecodeError:
        return -1
