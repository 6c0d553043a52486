"""The index schema: what is stored and how each field is analyzed.

Title and body are indexed twice: light-stemmed (``title``, ``body``: ``المدارس`` finds
``مدرسة``... forms of one stem) and as normalized surface forms (``title_exact``,
``body_exact``), so a query word written exactly as in the article scores higher, and
``=word`` can ask for that form alone.
"""

from whoosh.fields import ID, STORED, TEXT, Schema

from indexer.analysis import exact_analyzer, stemming_analyzer

# Query-time weights of each field (BM25F sums them per matched term).
FIELD_BOOSTS = {"title": 2.0, "body": 1.0, "title_exact": 0.6, "body_exact": 0.3}
STEMMED_FIELDS = ("title", "body")
EXACT_FIELDS = ("title_exact", "body_exact")


def build_schema():
    stemmed = stemming_analyzer()
    exact = exact_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True),
        body=TEXT(analyzer=stemmed, stored=True),
        title_exact=TEXT(analyzer=exact),
        body_exact=TEXT(analyzer=exact),
        path=STORED,
        content_hash=ID(stored=True),
    )
