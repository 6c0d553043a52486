"""Snippets: the best passages of an article with every matched word in ``<mark>``.

Matching reuses the index's own analyzers: each word of the stored text is analyzed
like the index analyzed it, so a word matches when its exact form, its stem or its
transliteration key is among the query's terms. The text shown is the article's original spelling (diacritics,
hamza, tatweel as written); everything but the ``<mark>`` tags is HTML-escaped.
"""

from whoosh import highlight

from indexer.analysis.transliteration import transliteration_key
from indexer.schema import EXACT_FIELDS, STEMMED_FIELDS, TRANSLITERATION_FIELDS

# Fragments end at Arabic and Latin sentence and clause punctuation or a line end.
SENTENCE_CHARS = ".!?؟،؛\n"


class MarkFormatter(highlight.HtmlFormatter):
    """Wraps matches in ``<mark>`` and escapes all text."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return "<mark>" + self._text(highlight.get_text(text, token, replace)) + "</mark>"


class QueryTerms:
    """The terms a query searched, by kind: stems (stemmed fields) and exact forms."""

    def __init__(self, query, schema):
        terms = query.all_terms() if query is not None else set()
        self.stems = {text for field, text in terms if field in STEMMED_FIELDS}
        self.exact = {text for field, text in terms if field in EXACT_FIELDS}
        self.keys = {text for field, text in terms if field in TRANSLITERATION_FIELDS}
        self._stem_analyzer = schema["body"].analyzer
        # Profiles without exact fields tokenize with the main analyzer.
        self._exact_analyzer = schema["body_exact" if "body_exact" in schema else "body"].analyzer
        self._cache = {}

    def _stem(self, exact_form):
        if exact_form not in self._cache:
            self._cache[exact_form] = {t.text for t in self._stem_analyzer(exact_form)}
        return self._cache[exact_form]

    def matched_tokens(self, text):
        """The text's tokens (with offsets), each marked as matched or not."""
        for t in self._exact_analyzer(text, chars=True, positions=True, removestops=False):
            t.matched = not t.stopped and (
                t.text in self.exact
                or bool(self._stem(t.text) & self.stems)
                or (bool(self.keys) and transliteration_key(t.text) in self.keys)
            )
            yield t

    def __bool__(self):
        return bool(self.stems or self.exact or self.keys)


def snippet(text, terms, top=3, maxchars=220):
    """The ``top`` best passages of ``text`` with matches marked, as safe HTML; the
    opening of the text (escaped) when nothing in it matched."""
    # charlimit=None: Whoosh stops looking after 32 KiB by default, missing later matches.
    fragmenter = highlight.SentenceFragmenter(maxchars=maxchars, sentencechars=SENTENCE_CHARS, charlimit=None)
    fragments = []
    if terms:
        fragments = list(fragmenter.fragment_tokens(text, terms.matched_tokens(text)))
        if not fragments or max(len(f) for f in fragments) > 2 * maxchars:
            fragments = list(highlight.ContextFragmenter(maxchars=maxchars, surround=60, charlimit=None)
                             .fragment_tokens(text, terms.matched_tokens(text)))
        fragments = highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(), highlight.FIRST)
    if not fragments:
        return MarkFormatter()._text(_opening(text, maxchars))
    return MarkFormatter().format(fragments)


def highlight_all(text, terms):
    """The whole text with every match marked, as safe HTML."""
    formatter = MarkFormatter()
    if not terms:
        return formatter._text(text)
    tokens = [t.copy() for t in terms.matched_tokens(text) if t.matched]
    return formatter.format_fragment(highlight.Fragment(text, tokens, 0, len(text)))


def _opening(text, maxchars):
    if len(text) <= maxchars:
        return text
    cut = text.rfind(" ", 0, maxchars)
    return text[: cut if cut > 0 else maxchars] + " …"
