"""One pass per text for every field: the indexing fast path.

The analyzers of ``analyzers.py`` run the chain once per field, so a body is tokenized and
normalized three times (stemmed, exact, transliteration fields) through a generator per
step and per token. Here the text is tokenized and normalized once, the stop words
dropped once, and each field's term is a cached function of the normalized word:

* exact field: the normalized word itself;
* stemmed field: ``ArabicLightStemFilter`` then ``EnglishStemFilter`` (Snowball for Latin);
* transliteration field: ``transliteration_key`` (words without one are left out).

The result is exactly what the chains give, token for token, with the same positions
(renumbered past stop words as Whoosh's ``StopFilter`` does) and character offsets;
``tests/test_properties.py`` checks that on generated text. Profiles
without normalization or stop words use the chains themselves.

``DocumentAnalyzer(analysis).analyze("والمدارسُ في بيروت")["body"]`` ->
``[("مدارس", 0, 0, 10), ("بيروت", 1, 14, 19)]``.
"""

import re

from indexer.analysis import PROFILES
from indexer.analysis.normalize import NormalizeFilter
from indexer.analysis.stemming import ArabicLightStemFilter, english_stem
from indexer.analysis.stopwords import stop_words
from indexer.analysis.tokenizer import TOKEN_PATTERN
from indexer.analysis.transliteration import TransliterationKeyFilter

_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
_NORMALIZE = NormalizeFilter()
# Distinct words whose terms are kept per process before the cache is emptied.
CACHE_SIZE = 500_000


def words(text):
    """``(normalized word, position, start, end)`` of ``text`` without the stop words,
    positions renumbered past them: the exact field's tokens, as the chain gives them."""
    cache, parts, stops = _NORMALIZE._cache, _NORMALIZE.parts, stop_words()
    pos = None
    for number, match in enumerate(_TOKEN.finditer(text)):
        token = match.group()
        for word in cache.get(token) or parts(token):
            if word and word not in stops:
                pos = number if pos is None else pos + 1
                yield word, pos, match.start(), match.end()


def word_list(text):
    """The normalized words of ``text`` without the stop words, in order: ``words``
    without positions and offsets, for callers that need only the sequence (a word's
    position is its index, relative to the first)."""
    cache, parts, stops = _NORMALIZE._cache, _NORMALIZE.parts, stop_words()
    return [word for token in _TOKEN.findall(text) for word in (cache.get(token) or parts(token))
            if word and word not in stops]


def tokens(text):
    """``(normalized word, start, end, stopped)`` of every word of ``text``, stop words
    flagged rather than dropped (snippets need them: they bound passages)."""
    cache, parts, stops = _NORMALIZE._cache, _NORMALIZE.parts, stop_words()
    for match in _TOKEN.finditer(text):
        token = match.group()
        for word in cache.get(token) or parts(token):
            yield word, match.start(), match.end(), not word or word in stops


class DocumentAnalyzer:
    """``analyze(text)`` -> ``{kind: [(term, position, start, end)]}`` with kinds
    ``"main"``, ``"exact"`` and ``"translit"`` for the fields the profile indexes."""

    def __init__(self, analysis):
        self.analysis = analysis
        flags = PROFILES[analysis.profile]
        self.fast = bool(flags) and flags[0] and flags[1]
        kinds = {"title": "main", "title_exact": "exact", "title_translit": "translit"}
        self.kinds = [kind for name, kind in kinds.items() if name in analysis.analyzers]
        if self.fast:
            _, _, stem, attested, _, _ = flags
            vocabulary = analysis.vocabulary if attested else None
            self._arabic = ArabicLightStemFilter(vocabulary) if stem else None
            self._keys = TransliterationKeyFilter(vocabulary)
            self._terms = {}

    def analyze(self, text):
        if not self.fast:
            return self._by_chains(text)
        found_words = list(words(text))
        out = {}
        for kind in self.kinds:
            if kind == "exact":
                out[kind] = found_words
            else:
                index = 0 if kind == "main" else 1
                terms, term = self._terms, self._term
                found = [((terms.get(word) or term(word))[index], pos, start, end)
                         for word, pos, start, end in found_words]
                out[kind] = [token for token in found if token[0]] if kind == "translit" else found
        return out

    def terms(self, text):
        """``{kind: [term, ...]}`` in text order, as ``analyze`` gives them without
        positions and offsets, at about half its cost (for story signatures)."""
        if not self.fast:
            return {kind: [t[0] for t in found] for kind, found in self._by_chains(text).items()}
        found_words = word_list(text)
        pairs = [self._terms.get(word) or self._term(word) for word in found_words]
        out = {}
        for kind in self.kinds:
            if kind == "exact":
                out[kind] = found_words
            elif kind == "main":
                out[kind] = [stem for stem, _ in pairs]
            else:
                out[kind] = [key for _, key in pairs if key]
        return out

    def stem(self, word):
        """The stemmed field's term of a normalized word."""
        return (self._terms.get(word) or self._term(word))[0]

    def key(self, word):
        """The transliteration key of a normalized word, or None."""
        return (self._terms.get(word) or self._term(word))[1]

    def _term(self, word):
        """``(stem, transliteration key or None)`` of a normalized word, cached."""
        found = self._terms.get(word)
        if found is None:
            stem = self._arabic.stem(word) if self._arabic is not None else word
            if self._arabic is not None and stem.isascii() and stem.isalpha():
                stem = english_stem(stem)
            found = (stem, self._keys.key(word))
            if len(self._terms) >= CACHE_SIZE:
                self._terms.clear()
            self._terms[word] = found
        return found

    def _by_chains(self, text):
        fields = {"main": "title", "exact": "title_exact", "translit": "title_translit"}
        return {
            kind: [(t.text, t.pos, t.startchar, t.endchar)
                   for t in self.analysis.analyzer(fields[kind])(text, positions=True, chars=True)]
            for kind in self.kinds
        }
