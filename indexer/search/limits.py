"""Limits that keep one query from holding a worker, and the messages readers see.

Each limit is a constant the web UI, the API and the tests import. A query over a limit
gets a ``QueryError`` whose message is short Arabic shown to the reader as is.
"""

from indexer.analysis.chars import arabic_digits

# The longest query accepted, in characters (a pasted article is not a query).
MAX_QUERY_CHARS = 1000
# Words in one query, stop words included; the longest evaluation question has 39.
MAX_TERMS = 50
# Index terms one ``word*`` or ``word~`` may stand for; the most frequent are kept.
MAX_EXPANSIONS = 200
# Letters required before ``*``, not counting a leading article "ال": one letter, or "ال"
# alone, would stand for a large share of the vocabulary.
MIN_PREFIX_CHARS = 2
ARTICLE = "ال"
# Deepest page and largest page: page * page_size hits are ranked to show one page.
MAX_PAGE = 100
MAX_PAGE_SIZE = 100
# Wall-clock seconds one search may spend collecting matches.
SEARCH_TIME_BUDGET_S = 2.0


class QueryError(ValueError):
    """A query that cannot be run, with a message for the reader."""



def validate_query(text):
    """The query stripped, or ``QueryError`` when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise QueryError("اكتب كلمة للبحث عنها.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"الاستعلام طويل جدًا: {arabic_digits(MAX_QUERY_CHARS)} حرف على الأكثر.")
    return text


def check_terms(count):
    if count > MAX_TERMS:
        raise QueryError(f"كلمات الاستعلام كثيرة: {arabic_digits(MAX_TERMS)} كلمة على الأكثر.")


def check_prefix(prefix):
    """``prefix`` is normalized (so ``أل`` is already ``ال``)."""
    if len(prefix.removeprefix(ARTICLE)) < MIN_PREFIX_CHARS:
        raise QueryError(f"اكتب {arabic_digits(MIN_PREFIX_CHARS)} من الحروف على الأقل قبل النجمة * (غير «ال»).")


def check_page(page, page_size):
    if page > MAX_PAGE:
        raise QueryError(f"لا نعرض أبعد من الصفحة {arabic_digits(MAX_PAGE)}؛ جرّب كلمات أدق.")
    if page_size > MAX_PAGE_SIZE:
        raise QueryError(f"{arabic_digits(MAX_PAGE_SIZE)} نتيجة في الصفحة على الأكثر.")


TIMEOUT_MESSAGE = "استغرق البحث وقتًا أطول من المسموح؛ جرّب كلمات أدق."
