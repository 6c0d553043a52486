"""Records (a JSON object, a CSV row, Markdown front matter) as articles, by field names the
user can change: ``--field text=content --field published=date``."""

from dataclasses import dataclass, fields, replace

from indexer.sources.dates import parse_date
from indexer.sources.model import Article


@dataclass(frozen=True)
class FieldNames:
    """Which record field holds each part of an article. ``text`` lists alternatives: the
    first one a record has (non-empty) is the body."""

    id: str = "id"
    title: str = "title"
    text: tuple = ("text", "body")
    source: str = "source"
    url: str = "url"
    published: str = "published"

    @classmethod
    def from_options(cls, options):
        """Field names from ``NAME=COLUMN`` options (``text=content`` or ``text=content,body``),
        the defaults for names not given. Raises ``ValueError`` with a one-line message.

        >>> FieldNames.from_options(["text=content", "published=date"]).text
        ('content',)
        """
        names = [f.name for f in fields(cls)]
        changes = {}
        for option in options:
            name, equals, column = (part.strip() for part in option.partition("="))
            if not equals or not name or not column:
                raise ValueError(f"--field expects NAME=COLUMN, got {option!r}")
            if name not in names:
                raise ValueError(f"unknown field {name!r} in --field {option}; known fields: {', '.join(names)}")
            if name == "text":
                changes[name] = tuple(part.strip() for part in column.split(",") if part.strip())
            else:
                changes[name] = column
        return replace(cls(), **changes)

    def columns(self):
        """Every column name these fields read (the rest of a record goes to ``meta``)."""
        return {self.id, self.title, *self.text, self.source, self.url, self.published}


class BadRecord(ValueError):
    """A record that cannot be an article; ``str(e)`` is the reason."""


def article_from_record(record, names, *, default_id, path, encoding=""):
    """The ``Article`` in ``record`` (a dict). ``default_id`` is used when the record has
    no id. Raises ``BadRecord`` for a record with no text or with a field that is not text."""
    if not isinstance(record, dict):
        raise BadRecord(f"record is {_kind(record)}, not an object")
    title = _text(record, names.title)
    body = next((value for value in (_text(record, name) for name in names.text) if value.strip()), "")
    if not (title.strip() or body.strip()):
        raise BadRecord(f"record has no text (no {', '.join([*names.text, names.title])} field)")
    published_raw = record.get(names.published)
    published = parse_date(published_raw) if published_raw not in (None, "") else None
    meta = {key: value for key, value in record.items() if key not in names.columns()}
    if published_raw not in (None, "") and published is None:
        # Kept, so nothing the record said is lost, but not filterable.
        meta[names.published] = published_raw
    return Article(
        id=_text(record, names.id).strip() or default_id,
        title=title.strip(),
        body=body.strip(),
        path=path,
        source=_text(record, names.source).strip(),
        url=_text(record, names.url).strip(),
        published=published,
        encoding=encoding,
        meta=meta,
    )


def _text(record, name):
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise BadRecord(f"field {name!r} is {_kind(value)}, not text")
    return str(value)


def _kind(value):
    return {dict: "an object", list: "a list", str: "a string"}.get(type(value), f"a {type(value).__name__}")
