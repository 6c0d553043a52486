"""Every article a search matches, as CSV or JSON Lines, for the command line's
``search --all`` and the API's ``format=csv|jsonl``.

Rows come from pages of ``SearchIndex.search`` (reports not folded into stories, no
snippets), best first or newest first as the search is sorted, and stop at
``MAX_ROWS``: pages deeper than ``limits.MAX_PAGE`` are not ranked.
"""

import csv
import io
import json

from indexer.search.limits import MAX_PAGE, MAX_PAGE_SIZE

FORMATS = ("csv", "jsonl")
# Columns of each row, in order.
COLUMNS = ("id", "title", "outlet", "date", "url", "score")
# The most articles one export holds: 100 pages of 100.
MAX_ROWS = MAX_PAGE * MAX_PAGE_SIZE
# Spreadsheet programs read a CSV file as UTF-8 (not the system's code page) only when
# it starts with the byte order mark; without it Arabic turns into mojibake.
BOM = "\ufeff"


def pages(search, text, page_size=MAX_PAGE_SIZE, **options):
    """The ``SearchResult`` of each page of ``text`` until the last one or ``MAX_PAGE``.
    ``search`` is ``SearchIndex.search`` or a function taking the same arguments;
    ``options`` are its filters and sort."""
    for page in range(1, MAX_PAGE + 1):
        result = search(text, page=page, page_size=page_size, with_snippets=False, group_duplicates=False,
                        **options)
        yield result
        if page >= result.pages:
            return


def rows(results):
    """The articles of ``results`` (an iterable of ``SearchResult``) as dicts of ``COLUMNS``."""
    for result in results:
        for hit in result.hits:
            yield {"id": hit.id, "title": hit.title, "outlet": hit.source, "date": hit.published or "",
                   "url": hit.url, "score": round(hit.score, 4)}


def lines(articles, fmt):
    """``articles`` (dicts of ``COLUMNS``) as lines of text in ``fmt``: CSV starts with the
    byte order mark and a header line, JSON Lines has one object a line."""
    if fmt == "jsonl":
        for article in articles:
            yield json.dumps(article, ensure_ascii=False) + "\n"
        return
    yield BOM + _csv_line(COLUMNS)
    for article in articles:
        yield _csv_line(article[column] for column in COLUMNS)


def _csv_line(values):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()
