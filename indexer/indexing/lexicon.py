"""The index's vocabulary, written at index time beside the engine's files: every term of
the searched fields with its document frequency per field.

Prefix and fuzzy expansion, did-you-mean and autocomplete read it instead of walking an
engine's term dictionary on the query path, so they cost the same on every engine: a
prefix is a binary search, a fuzzy match a walk of the sorted words with a Levenshtein
automaton (Whoosh's automata module, used here as a plain algorithm library: it reads
only this sorted list).
"""

import pickle
from array import array
from bisect import bisect_left
from pathlib import Path

from whoosh.automata import fsa, lev

LEXICON_FILE = "lexicon.pickle"


class Lexicon:
    def __init__(self, words, frequencies):
        # ``words`` sorted; ``frequencies[field][i]`` is the document frequency of words[i].
        self.words = words
        self.frequencies = frequencies

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

    def terms_within(self, field, text, maxdist):
        """The field's words within ``maxdist`` edits (Damerau-Levenshtein) of ``text``."""
        column = self.frequencies.get(field)
        if column is None or not text:
            return []
        dfa = lev.levenshtein_automaton(text, maxdist, prefix=0).to_dfa()
        return [w for w in fsa.find_all_matches(dfa, self._at_or_after) if column[self._position(w)]]

    def _at_or_after(self, word):
        i = bisect_left(self.words, word)
        return self.words[i] if i < len(self.words) else None
