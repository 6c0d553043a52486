"""The collection's frequent word sequences, counted at index time for autocomplete: the
two- and three-word runs (``ولي العهد``, ``المملكة العربية السعودية``) found in at least
``MIN_DOCS`` articles, with their document frequencies.

Words are the exact field's (normalized surface forms), stop words kept (they belong to
names: ``ولي العهد``); a run breaks at punctuation, so a sequence is words read together,
never across a sentence. Counting is exact and bounded: articles are read once into arrays
of word numbers, then two-word runs are counted only when both words are frequent enough,
and three-word runs only when both their two-word runs are (a run is never in more
articles than its parts). On the 31,523 ANT articles this keeps 360,926 sequences in a
9 MB file, about 38 MB once loaded; counting takes about a minute of one core.

``Phrases.load(folder).after(("ولي",), "الع")`` -> ``[("العهد", 429)]``.
"""

import pickle
import re
from array import array
from collections import Counter
from pathlib import Path

from indexer.analysis.normalize import NormalizeFilter
from indexer.analysis.tokenizer import TOKEN_PATTERN

PHRASES_FILE = "phrases.pickle"
# Articles a sequence must appear in to be offered: fewer is one outlet's phrasing or a typo.
MIN_DOCS = 3
OPENING_CHARS = 1000
_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
_NORMALIZE = NormalizeFilter()
# Punctuation and line ends end a run of words (a number's decimal point too: harmless).
_BREAK = re.compile(r"[^\w\s]+|\n")
# Word number 0 marks a break between runs.
BREAK = 0


def runs(text):
    """The runs of normalized words of ``text`` read together, stop words kept (they
    belong to names: ``ولي العهد``): ``runs("قال ولي العهد، في الرياض")`` ->
    ``[["قال", "ولي", "العهد"], ["في", "الرياض"]]``."""
    cache, parts = _NORMALIZE._cache, _NORMALIZE.parts
    found = []
    for piece in _BREAK.split(text):
        run = [word for token in _TOKEN.findall(piece) for word in (cache.get(token) or parts(token)) if word]
        if run:
            found.append(run)
    return found


class Phrases:
    """Continuations of one or two words, most documents first: ``after(context, prefix)``."""

    def __init__(self, continuations=None):
        # {"ولي": ("العهد\nالعام...", array of their document frequencies), "المملكه العربيه": ...},
        # most frequent first: one string and one array per context, a third of the
        # memory of a list of pairs.
        self.continuations = continuations or {}

    def __len__(self):
        return sum(len(dfs) for _, dfs in self.continuations.values())

    def after(self, context, prefix):
        """``(word, document frequency)`` following the words ``context`` (one or two
        normalized words) that start with ``prefix``, most frequent first."""
        found = self.continuations.get(" ".join(context))
        if found is None:
            return []
        return [(word, df) for word, df in zip(found[0].split("\n"), found[1]) if word.startswith(prefix)]

    @classmethod
    def count(cls, texts, min_docs=MIN_DOCS):
        """The sequences of the articles ``texts`` (one string per article) in at least
        ``min_docs`` of them."""
        numbers, table = {}, [""]
        articles, word_docs = [], Counter()
        for text in texts:
            row = array("I")
            for run in runs(text):
                for word in run:
                    number = numbers.get(word)
                    if number is None:
                        number = numbers[word] = len(table)
                        table.append(word)
                    row.append(number)
                row.append(BREAK)
            articles.append(row)
            word_docs.update(set(row))
        del numbers
        # A sequence is a number in base ``size`` (the word numbers its digits).
        size = len(table)
        frequent = {n for n, df in word_docs.items() if df >= min_docs and n != BREAK}
        del word_docs
        pairs = Counter()
        for row in articles:
            pairs.update({a * size + b for a, b in zip(row, row[1:]) if a in frequent and b in frequent})
        pairs = {pair: df for pair, df in pairs.items() if df >= min_docs}
        triples = Counter()
        for row in articles:
            triples.update({(a * size + b) * size + c for a, b, c in zip(row, row[1:], row[2:])
                            if a * size + b in pairs and b * size + c in pairs})
        continuations = {}
        for key, df in (*pairs.items(), *triples.items()):
            if df >= min_docs:
                gram = []
                while key:
                    key, digit = divmod(key, size)
                    gram.append(table[digit])
                gram.reverse()
                continuations.setdefault(" ".join(gram[:-1]), []).append((gram[-1], df))
        for context, found in continuations.items():
            found.sort(key=lambda item: (-item[1], item[0]))
            continuations[context] = ("\n".join(word for word, _ in found), array("I", (df for _, df in found)))
        return cls(continuations)

    def save(self, folder):
        (Path(folder) / PHRASES_FILE).write_bytes(pickle.dumps(self.continuations, pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, folder):
        """The generation's sequences, or None when it has none (built before they were kept)."""
        path = Path(folder) / PHRASES_FILE
        return cls(pickle.loads(path.read_bytes())) if path.exists() else None


def article_text(stored, analysis):
    """What is counted of an article: its title and the opening of its body as searched
    (``Analysis.searched``: without its outlet boilerplate), where news names its subject
    (the whole body would take four times as long); never read as one run."""
    return f"{stored.get('title') or ''}\n{analysis.searched(stored, 'body')[:OPENING_CHARS]}"
