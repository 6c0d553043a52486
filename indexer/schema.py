"""The index schema: what is stored and how each field is analyzed.

Title and body are indexed twice: light-stemmed (``title``, ``body``: ``المدارس`` meets
``مدارس``) and as normalized surface forms (``title_exact``, ``body_exact``), so a query
word written exactly as in the article scores higher, and ``=word`` can ask for that
form alone. A third copy holds transliteration keys (``جونغ``/``جونج`` meet), weighted
lowest. Ablation profiles leave out the fields they do not use.
"""

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from indexer.analysis import DEFAULT_PROFILE, profile_analyzers

# Query-time weights of each field (BM25F sums them per matched term).
FIELD_BOOSTS = {
    "title": 2.0,
    "body": 1.0,
    "title_exact": 0.6,
    "body_exact": 0.3,
    "title_translit": 0.2,
    "body_translit": 0.1,
}
STEMMED_FIELDS = ("title", "body")
EXACT_FIELDS = ("title_exact", "body_exact")
TRANSLITERATION_FIELDS = ("title_translit", "body_translit")


def build_schema(profile=DEFAULT_PROFILE, vocabulary=None):
    main, exact, translit = profile_analyzers(profile, vocabulary)
    fields = {
        "id": ID(stored=True, unique=True),
        "title": TEXT(analyzer=main, stored=True),
        "body": TEXT(analyzer=main, stored=True),
        "path": STORED,
        "content_hash": ID(stored=True),
        # Metadata for filters, facets and sorting (empty when a format has none).
        "source": ID(stored=True, sortable=True),
        "url": STORED,
        "published": DATETIME(stored=True, sortable=True),
        "lang": ID(stored=True, sortable=True),
    }
    if exact is not None:
        fields["title_exact"] = TEXT(analyzer=exact)
        fields["body_exact"] = TEXT(analyzer=exact)
    if translit is not None:
        fields["title_translit"] = TEXT(analyzer=translit)
        fields["body_translit"] = TEXT(analyzer=translit)
    return Schema(**fields)


def search_fields(schema):
    """The text fields a plain query searches in this schema, with their boosts."""
    return {name: boost for name, boost in FIELD_BOOSTS.items() if name in schema}
