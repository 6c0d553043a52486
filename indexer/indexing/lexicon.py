"""The index's vocabulary, written at index time beside the engine's files: every term of
the searched fields with its document frequency per field.

Prefix and fuzzy expansion, did-you-mean and autocomplete read it instead of walking an
engine's term dictionary on the query path, so they cost the same on every engine: a
prefix is a binary search, a fuzzy match a comparison (rapidfuzz's bit-parallel
Levenshtein distance, in C++) with the words of the lengths that can match, among those
frequent enough to matter.
"""

import pickle
from array import array
from bisect import bisect_left
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

LEXICON_FILE = "lexicon.pickle"
# Fuzzy lookups compare only the words at least this power of 4 frequent (``_tier``).
TIER_BASE = 4


class Lexicon:
    def __init__(self, words, frequencies):
        # ``words`` sorted; ``frequencies[field][i]`` is the document frequency of words[i].
        self.words = words
        self.frequencies = frequencies
        # Per tuple of fields and level: the words by length (``_tier``).
        self._tiers = {}

    @classmethod
    def from_reader(cls, reader, fields):
        """The vocabulary of ``fields`` as an engine reader holds it."""
        per_field = {field: dict(reader.terms(field)) for field in fields}
        words = sorted(set().union(*per_field.values())) if per_field else []
        frequencies = {field: array("I", (found.get(word, 0) for word in words)) for field, found in per_field.items()}
        return cls(words, frequencies)

    def save(self, folder):
        data = {"words": self.words, "frequencies": {f: a.tobytes() for f, a in self.frequencies.items()}}
        (Path(folder) / LEXICON_FILE).write_bytes(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, folder):
        data = pickle.loads((Path(folder) / LEXICON_FILE).read_bytes())
        frequencies = {}
        for field, raw in data["frequencies"].items():
            frequencies[field] = array("I")
            frequencies[field].frombytes(raw)
        return cls(data["words"], frequencies)

    @property
    def fields(self):
        return tuple(self.frequencies)

    def _position(self, word):
        i = bisect_left(self.words, word)
        return i if i < len(self.words) and self.words[i] == word else None

    def doc_frequency(self, field, word):
        i = self._position(word)
        column = self.frequencies.get(field)
        return column[i] if i is not None and column is not None else 0

    def expand_prefix(self, field, prefix):
        """The field's words starting with ``prefix``, in order."""
        column = self.frequencies.get(field)
        if column is None:
            return []
        found = []
        i = bisect_left(self.words, prefix)
        while i < len(self.words) and self.words[i].startswith(prefix):
            if column[i]:
                found.append(self.words[i])
            i += 1
        return found

    def terms_within(self, fields, text, maxdist, least=0):
        """The words of any of ``fields`` within ``maxdist`` edits (Levenshtein) of
        ``text`` whose document frequency, summed over ``fields``, is at least ``least``
        (a spelling correction need not see the words too rare to win), in order."""
        if not text or not any(f in self.frequencies for f in fields):
            return []
        by_length = self._tier(tuple(fields), least)
        found = []
        # Within k edits, a word is at most k letters longer or shorter.
        for length in range(len(text) - maxdist, len(text) + maxdist + 1):
            words, counts = by_length.get(length, ((), ()))
            matches = process.extract(text, words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None)
            found.extend(word for word, _, i in matches if counts[i] >= least)
        return sorted(found)

    def _tier(self, fields, least):
        """``{length: (words, their frequencies summed over fields)}`` of the words at
        least as frequent as the power of ``TIER_BASE`` at or below ``least``: a lookup
        compares ``text`` with every word it may keep and few of the rest (Zipf: most
        words are rare)."""
        level = 0
        while TIER_BASE ** (level + 1) <= least:
            level += 1
        tier = self._tiers.get((fields, level))
        if tier is None:
            columns = [self.frequencies[f] for f in fields if f in self.frequencies]
            floor = TIER_BASE ** level
            tier = {}
            for word, count in zip(self.words, map(sum, zip(*columns))):
                if count >= floor:
                    words, counts = tier.setdefault(len(word), ([], array("I")))
                    words.append(word)
                    counts.append(count)
            self._tiers[(fields, level)] = tier
        return tier

