"""Story signatures, computed at index time and kept beside the engine's files: what
story grouping compares, so the query path never analyzes stored text.

Per article: its ``TERMS`` heaviest stemmed terms of title and body (less the body's
outlet boilerplate, ``Analysis.searched``) as a unit-length
tf-idf vector (``(1 + log tf) * log(1 + N / df)``, the title counted ``TITLE_WEIGHT``
times; df from the index's own lexicon, over title and body as two fields, so N is
doubled), its lead's terms (the title and the body's first ``LEAD_TERMS`` terms: the main
news, which is what tells one event from the next of the same affair) as a unit-length idf
vector, its publication hour and its outlet. The 31,523 ANT articles take 37 MB on disk and
about 60 MB once loaded (33 and 57 MB with title vectors in place of the leads).

``Signatures.load(folder).of("doc-id")`` -> ``Signature(terms={"خاشقجي": 0.41, ...},
lead={...}, hour=425208, source="BBC")``.
"""

import math
import pickle
from array import array
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from indexer.analysis.fields import DocumentAnalyzer
from indexer.indexing.processes import worker_pool

SIGNATURES_FILE = "stories.pickle"
# Terms kept per article: about all of a news article's (113 on average on ANT). 20, 40 or 80
# do as well on the labelled pairs (bench/story_grouping.py), but in a small or single-topic
# collection the heaviest few are each article's own words, not its story's.
TERMS = 160
# A report's title names the story; it counts as much as this many body occurrences.
TITLE_WEIGHT = 5
# Body terms of the lead, after the title: about a first sentence (stop words left out).
# 10 to 45 do about as well on the labelled pairs (bench/story_grouping.py).
LEAD_TERMS = 20
# Saved with the signatures: a file of another format (an index built before the lead was
# kept) reads as none, so its reports are not grouped until a rebuild, or an update that
# changes anything, signs every article again.
FORMAT = 2
# Articles per job of the process pool.
BATCH = 128
_EPOCH = datetime(1970, 1, 1)
NO_HOUR = -(2**31)


@dataclass
class Signature:
    terms: dict = field(default_factory=dict)
    lead: dict = field(default_factory=dict)
    # Hours since 1970 (UTC) of publication, or None when the article carries no date.
    hour: int | None = None
    source: str = ""


def unit(weights):
    """``weights`` scaled to length 1 (``{}`` stays ``{}``)."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {term: w / norm for term, w in weights.items()} if norm else {}


def signature(title, body, published, source, analyzer, idf, terms=TERMS, lead=LEAD_TERMS):
    """The ``Signature`` of one article; ``analyzer`` a ``DocumentAnalyzer``, ``idf(term)``
    the term's inverse document frequency (0 for a term the index does not hold); the
    heaviest ``terms`` terms are kept, and the body's first ``lead`` in the lead."""
    title_terms = analyzer.terms(title or "").get("main", [])
    body_terms = analyzer.terms(body or "").get("main", [])
    counts = Counter(body_terms)
    for term in title_terms:
        counts[term] += TITLE_WEIGHT
    weights = {term: (1 + math.log(tf)) * idf(term) for term, tf in counts.items()}
    heaviest = sorted((item for item in weights.items() if item[1] > 0), key=lambda item: (-item[1], item[0]))
    hour = int((published - _EPOCH).total_seconds() // 3600) if published else None
    lead_terms = {*title_terms, *body_terms[:lead]}
    return Signature(terms=unit(dict(heaviest[:terms])), lead=unit({t: idf(t) for t in lead_terms}),
                     hour=hour, source=source or "")


class Signatures:
    """The signatures of one generation, by document id, packed in flat arrays (a term
    table, term numbers and weights, row ends): a dict per article would cost ten times
    the memory. ``add`` appends a row; ``of`` decodes one."""

    def __init__(self):
        self._ids = {}
        self._table, self._numbers = [], {}
        self._sources, self._source_numbers = [], {}
        self._columns = {name: array("I") for name in ("terms", "terms_ends", "lead", "lead_ends", "source")}
        self._weights = {"terms": array("f"), "lead": array("f")}
        self._hours = array("i")

    def __len__(self):
        return len(self._ids)

    def ids(self):
        return self._ids.keys()

    def add(self, doc_id, row):
        if doc_id in self._ids:
            raise ValueError(f"a signature for {doc_id!r} is already kept")
        self._ids[doc_id] = len(self._ids)
        if self._numbers is None:
            # Only a loaded table lacks it: searching never adds, so it is built on demand.
            self._numbers = {term: i for i, term in enumerate(self._table)}
        for name in ("terms", "lead"):
            for term, weight in getattr(row, name).items():
                number = self._numbers.get(term)
                if number is None:
                    number = self._numbers[term] = len(self._table)
                    self._table.append(term)
                self._columns[name].append(number)
                self._weights[name].append(weight)
            self._columns[f"{name}_ends"].append(len(self._columns[name]))
        self._hours.append(NO_HOUR if row.hour is None else row.hour)
        source = self._source_numbers.get(row.source)
        if source is None:
            source = self._source_numbers[row.source] = len(self._sources)
            self._sources.append(row.source)
        self._columns["source"].append(source)

    def of(self, doc_id):
        """The article's ``Signature``, or None when it has none (an index built before
        signatures were kept)."""
        i = self._ids.get(doc_id)
        if i is None:
            return None
        hour = self._hours[i]
        return Signature(terms=self._vector("terms", i), lead=self._vector("lead", i),
                         hour=None if hour == NO_HOUR else hour, source=self._sources[self._columns["source"][i]])

    def _vector(self, name, i):
        ends = self._columns[f"{name}_ends"]
        start, end = ends[i - 1] if i else 0, ends[i]
        table, numbers, weights = self._table, self._columns[name], self._weights[name]
        return {table[numbers[j]]: weights[j] for j in range(start, end)}

    def without(self, ids):
        """A copy of these signatures less the ``ids`` given."""
        ids = set(ids)
        kept = Signatures()
        for doc_id in self._ids:
            if doc_id not in ids:
                kept.add(doc_id, self.of(doc_id))
        return kept

    def _arrays(self):
        return {**self._columns, **{f"{name}_weights": column for name, column in self._weights.items()},
                "hours": self._hours}

    def save(self, folder):
        """A pickled header (format, ids, term table, outlets, array lengths), then each array's
        raw bytes: loading reads them straight into arrays, with no copy in between."""
        arrays = self._arrays()
        header = {"format": FORMAT, "ids": list(self._ids), "table": self._table, "sources": self._sources,
                  "lengths": {name: len(column) for name, column in arrays.items()}}
        with open(Path(folder) / SIGNATURES_FILE, "wb") as f:
            pickle.dump(header, f, pickle.HIGHEST_PROTOCOL)
            for column in arrays.values():
                column.tofile(f)

    @classmethod
    def load(cls, folder):
        """The generation's signatures; ``None`` when it has none of this ``FORMAT`` (an
        index built before they were kept, or before they held the leads)."""
        path = Path(folder) / SIGNATURES_FILE
        if not path.exists():
            return None
        found = cls()
        with open(path, "rb") as f:
            header = pickle.load(f)
            if header.get("format") != FORMAT:
                return None
            for name, column in found._arrays().items():
                column.fromfile(f, header["lengths"][name])
        found._ids = {doc_id: i for i, doc_id in enumerate(header["ids"])}
        found._table, found._numbers = header["table"], None
        found._sources = header["sources"]
        found._source_numbers = {source: i for i, source in enumerate(found._sources)}
        return found


# --- Computing them over a process pool ------------------------------------------------------

_worker = None


class _Worker:
    """What a process needs to sign articles: the analyzer and the document frequencies."""

    def __init__(self, analysis, lexicon, doc_count):
        self.analyzer = DocumentAnalyzer(analysis)
        self.lexicon = lexicon
        self.n = 2 * max(1, doc_count)
        self._idf = {}

    def idf(self, term):
        found = self._idf.get(term)
        if found is None:
            df = self.lexicon.doc_frequency("title", term) + self.lexicon.doc_frequency("body", term)
            found = self._idf[term] = math.log(1 + self.n / df) if df else 0.0
        return found

    def sign(self, documents):
        searched = self.analyzer.analysis.searched
        return [(d["id"], signature(d.get("title"), searched(d, "body"), d.get("published"), d.get("source"),
                                    self.analyzer, self.idf)) for d in documents]


def _sign(documents):
    return _worker.sign(documents)


def compute(documents, analysis, lexicon, doc_count, procs=1):
    """``(id, Signature)`` of each of ``documents`` (stored-field dicts), in order,
    analyzed over ``procs`` processes; ``lexicon`` and ``doc_count`` are the index's."""
    global _worker
    # Set before the fork: the workers inherit the analyzer and the lexicon.
    _worker = _Worker(analysis, lexicon, doc_count)
    if procs <= 1:
        for batch in _batches(documents):
            yield from _sign(batch)
        return
    pending = deque()
    with worker_pool(procs) as pool:
        for batch in _batches(documents):
            pending.append(pool.apply_async(_sign, (batch,)))
            # Bounded: reading never runs far ahead of analysis, so memory stays flat.
            while len(pending) > 2 * procs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _batches(documents):
    batch = []
    for document in documents:
        batch.append({name: document.get(name) for name in ("id", "title", "body", "published", "source")})
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
