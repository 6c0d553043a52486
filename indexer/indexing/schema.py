"""The index's fields and the analysis that fills them, independent of the engine.

Title and body are indexed three times: light-stemmed (``title``, ``body``: ``المدارس``
meets ``مدارس``), as normalized surface forms (``title_exact``, ``body_exact``), so a
query word written exactly as in the article scores higher and ``=word`` can ask for
that form alone, and as transliteration keys (``title_translit``, ``body_translit``:
``جونغ``/``جونج`` meet), weighted lowest. Ablation profiles leave out the fields they do
not use. Every engine holds the same fields; how it stores them is its own business.

The analysis (profile, the collection's vocabulary, the stemmer's evidence, and its
outlet boilerplate, the body lines that are not searched: ``indexing.boilerplate``) is
saved in the generation folder beside the engine's files, so the query side analyzes
exactly as the documents were analyzed, whichever engine holds them.
"""

import pickle
from functools import cached_property
from pathlib import Path

from indexer.analysis import DEFAULT_PROFILE, PROFILES, profile_analyzers
from indexer.analysis.fields import DocumentAnalyzer
from indexer.analysis.stemming import Vocabulary
from indexer.indexing.boilerplate import Boilerplate

ANALYSIS_FILE = "analysis.pickle"
# Query-time weights of each field (scores are summed per matched term).
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
# Which stored text each analyzed field is made from.
SOURCE_TEXT = {name: name.partition("_")[0] for name in FIELD_BOOSTS}
# One value each, matched whole: the unique id, the outlet (filters and facets), the hash
# ``update`` compares.
KEYWORD_FIELDS = ("id", "source", "content_hash")
# Kept for display and updates, not searched.
STORED_ONLY_FIELDS = ("path", "url")
DATE_FIELD = "published"
# Neither stored nor searched: a per-document column holding the article's row of the
# forward index (``indexing.forward_index``), the terms re-ranking counts. Indexes built
# before it have no such column and are re-ranked from their text.
ROW_FIELD = "row"
STORED_FIELDS = ("id", "title", "body", "path", "content_hash", "source", "url", "published")
# Facets a result can be counted by: the outlet and the publication year, month and day.
FACETS = ("source", "year", "month", "day")


class Analysis:
    """The analyzers of one index: ``analyzer(field)`` for each searched field,
    ``words(text)`` for normalized surface forms with stop words kept, ``searched(stored,
    name)`` for the text of a stored title or body that is analyzed."""

    def __init__(self, profile=DEFAULT_PROFILE, counts=None, boilerplate=None):
        if profile not in PROFILES:
            raise ValueError(f"unknown analysis profile {profile!r} (one of {', '.join(PROFILES)})")
        self.profile = profile
        self.counts = dict(counts or {})
        self.boilerplate = boilerplate or Boilerplate()

    def searched(self, stored, name):
        """What is searched of ``stored``'s (a document's stored fields) ``"title"`` or
        ``"body"``: the title whole, the body with its boilerplate lines blanked."""
        if name == "body":
            return self.boilerplate.searched(stored.get("title"), stored.get("body"), stored.get("source"))
        return stored.get(name) or ""

    @cached_property
    def vocabulary(self):
        """The collection's vocabulary (the stemmer's evidence), or None."""
        return Vocabulary(self.counts) if self.counts else None

    @cached_property
    def analyzers(self):
        """``{field: analyzer}`` for the fields this profile indexes."""
        main, exact, translit = profile_analyzers(self.profile, self.vocabulary)
        found = {"title": main, "body": main}
        if exact is not None:
            found.update(title_exact=exact, body_exact=exact)
        if translit is not None:
            found.update(title_translit=translit, body_translit=translit)
        return found

    @cached_property
    def document_analyzer(self):
        """The one-pass analysis of this profile (``analysis.fields``)."""
        return DocumentAnalyzer(self)

    @property
    def fields(self):
        """The searched fields with their boosts."""
        return {name: FIELD_BOOSTS[name] for name in self.analyzers}

    def analyzer(self, field):
        return self.analyzers[field]

    def terms(self, field, text):
        """The query terms of ``text`` in ``field`` (stop words dropped)."""
        return [t.text for t in self.analyzers[field](text, mode="query")]

    @property
    def exact_field(self):
        """The field holding normalized surface forms (the main one in profiles without)."""
        return "body_exact" if "body_exact" in self.analyzers else "body"

    def words(self, text):
        """Normalized surface forms, stop words kept: ``words("وَالمدارسُ في")`` ->
        ``["والمدارس", "في"]``."""
        return [t.text for t in self.analyzers[self.exact_field](text, mode="query", removestops=False)]

    def save(self, folder):
        data = {"profile": self.profile, "counts": self.counts, "boilerplate": sorted(self.boilerplate.repeated)}
        (Path(folder) / ANALYSIS_FILE).write_bytes(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, folder):
        data = pickle.loads((Path(folder) / ANALYSIS_FILE).read_bytes())
        # Generations saved before boilerplate was kept searched every line.
        return cls(data["profile"], data["counts"], Boilerplate(data.get("boilerplate", ())))


def document_fields(article, path):
    """The stored fields of one article; ``path`` is the file it came from, absolute, so
    ``update`` can tell which articles came from the folders it is given."""
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "path": path,
        "content_hash": article.content_hash,
        "source": article.source,
        "url": article.url,
        "published": article.published,
    }
