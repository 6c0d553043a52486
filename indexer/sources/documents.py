"""Single-article text files: ``.txt`` (first non-empty line is the title) and ``.md``
(title from the first ``# heading``, metadata from YAML-style front matter, markup stripped
so that only what a reader sees is indexed)."""

import re

from indexer.sources.model import Article
from indexer.sources.records import BadRecord, article_from_record


def text_article(text, *, doc_id, path, encoding):
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    title = lines[first].strip()
    body = "\n".join(lines[first + 1 :]).strip()
    return Article(
        id=doc_id, title=title, body=body, path=path, encoding=encoding
    )


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<block>.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$", re.M)
_ATX_HEADING = re.compile(r"^ {0,3}#(?!#)\s*(?P<text>.+?)\s*#*\s*$", re.M)

# (pattern, replacement) in order: block structure first, then inline markup.
_MARKUP = [
    (re.compile(r"^ {0,3}(```|~~~).*$", re.M), ""),  # code fences (the code stays)
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.M), ""),  # link reference definitions
    (re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$", re.M), ""),  # horizontal rules
    (re.compile(r"^ {0,3}(=+|-+)\s*$", re.M), ""),  # setext heading underlines
    (re.compile(r"^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$", re.M), ""),  # table separator rows
    (re.compile(r"^ {0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.M), r"\1"),  # heading markers
    (re.compile(r"^\s*(>\s?)+", re.M), ""),  # block quotes
    (re.compile(r"^\s*([-*+]|\d+[.)])\s+", re.M), ""),  # list markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images keep their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`+([^`]+?)`+"), r"\1"),  # inline code
    (re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1"), r"\2"),  # bold
    (re.compile(r"(?<!\w)([*_])(\S(?:.*?\S)?)\1(?!\w)"), r"\2"),  # italics, not snake_case
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strike-through
    (re.compile(r"\s*\|\s*"), " "),  # table cells
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),  # backslash escapes
]


def strip_markdown(text):
    """What a reader of the rendered Markdown sees.

    >>> strip_markdown("**عاجل**: [لافروف يلتقي كيم](https://example.com)")
    'عاجل: لافروف يلتقي كيم'
    """
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def markdown_article(text, names, *, doc_id, path, encoding):
    """Raises ``BadRecord`` when the front matter names a field that is not text."""
    record = {}
    front = _FRONT_MATTER.match(text)
    if front:
        record = {m["key"]: m["value"].strip("\"'") for m in _FRONT_MATTER_LINE.finditer(front["block"])}
        text = text[front.end() :]
    heading = _ATX_HEADING.search(text)
    if heading:
        title, rest = heading["text"], text[: heading.start()] + text[heading.end() :]
    else:
        first, _, rest = text.strip().partition("\n")
        title = first
    record.setdefault(names.title, strip_markdown(title))
    record[names.text[0]] = strip_markdown(rest)
    for name in names.text[1:]:
        record.pop(name, None)
    if not record.get(names.title, "").strip() and not record[names.text[0]].strip():
        raise BadRecord("no text after the Markdown markup")
    return article_from_record(record, names, default_id=doc_id, path=path, encoding=encoding)
