"""Story grouping: other reports of one news story folded under its best-ranked report.

A story is one event told by several outlets, or retold as it develops within a day or
two (``bench/STORY_PAIRS.md`` gives the rule 638 labelled ANT pairs follow). Two reports
are of one story (``same_story_features``) when their story signatures are close and they
were published close in time. The signatures (``indexing.signatures``: each article's
heaviest tf-idf terms of title and body, its lead's terms, date and outlet) are computed at
index time and read from the generation; nothing here analyzes stored text. The rule and
its thresholds were chosen by 5-fold cross-validation on the labels:
``python bench/story_grouping.py rules --index <ANT index>``.

Grouping is complete-link, in rank order: the best-ranked report of a story leads and a
later hit folds under the first story above it on the page when it is of one story with
*every* report already there. So no chain joins A to C through B, and as every two
reports of a story are within ``MAX_HOURS`` of each other, no story spans more than
that. The cost stays bounded by the hits of one page.
"""

import math
import threading
from collections import OrderedDict
from typing import NamedTuple

from indexer.indexing.signatures import Signatures as StoredSignatures

# A logistic regression on ``model_inputs`` (ridge penalty 3), its weights, probability
# threshold and longest gap chosen by cross-validation on the 638 labelled ANT pairs
# (bench/story_grouping.py; figures in docs/query-language.md, "Other reports of the same story").
WEIGHTS = (-1.236, 2.459, 2.423, 1.258, -1.155, -1.106)
PROBABILITY = 0.5
# Reports further apart than this are never one story, so no story spans more.
MAX_HOURS = 48


class Features(NamedTuple):
    """What the grouping knows of two reports."""

    cosine: float
    # Cosine of the leads (title and first sentence): two events of one affair share the
    # body's vocabulary, less often their main news.
    lead: float
    # Hours between the publication dates; None when either is undated.
    hours: int | None
    same_outlet: bool


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def features(a, b):
    """The ``Features`` of two ``indexing.signatures.Signature``."""
    hours = abs(a.hour - b.hour) if a.hour is not None and b.hour is not None else None
    return Features(cosine(a.terms, b.terms), cosine(a.lead, b.lead), hours, bool(a.source) and a.source == b.source)


def model_inputs(f):
    """What the model weighs: a constant, the cosines of the signatures and of the leads,
    their product, days apart (at most a week; an undated report counts as the same day)
    and same outlet."""
    days = min(f.hours / 24, 7.0) if f.hours is not None else 0.0
    return (1.0, f.cosine, f.lead, f.cosine * f.lead, days, float(f.same_outlet))


def same_story_features(f):
    """Whether two reports with ``Features`` ``f`` are of one story: published at most
    ``MAX_HOURS`` apart and judged so by the model with at least ``PROBABILITY``."""
    if f.hours is not None and f.hours > MAX_HOURS:
        return False
    z = sum(w * x for w, x in zip(WEIGHTS, model_inputs(f)))
    return z >= math.log(PROBABILITY / (1 - PROBABILITY))


class Signatures:
    """The story signatures of one open generation, by engine key (a reader's key is
    mapped to the article's id through its stored fields, and the signature kept, most
    recently used, for later searches). The generation's file is read on first use."""

    def __init__(self, reader, generation, cache_size=4096):
        self._reader = reader
        self._generation = generation
        self._stored = None
        self._cache = OrderedDict()
        self._cache_size = cache_size
        # A server's worker threads share one open index.
        self._lock = threading.Lock()

    def _table(self):
        with self._lock:
            if self._stored is None:
                found = StoredSignatures.load(self._generation)
                self._stored = found if found is not None else StoredSignatures()
            return self._stored

    def of(self, key):
        """The ``Signature`` of document ``key``, or None (an index built before signatures
        were kept: rebuild it to group its reports)."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        found = self._table().of(self._reader.stored(key)["id"])
        with self._lock:
            self._cache[key] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def terms(self, key):
        """The document's signature terms with their weights (``{}`` when it has none)."""
        found = self.of(key)
        return found.terms if found is not None else {}

    def similarity(self, key_a, key_b):
        return cosine(self.terms(key_a), self.terms(key_b))

    def same_story(self, key_a, key_b):
        a, b = self.of(key_a), self.of(key_b)
        return a is not None and b is not None and same_story_features(features(a, b))

    def joins(self, reports, key):
        """Whether ``key`` is a report of the story of ``reports`` (a list of keys): of one
        story with every one of them (complete link: no chains)."""
        return all(self.same_story(report, key) for report in reports)


def paginate(keys, joins, page, page_size):
    """The stories of page ``page`` of ranked ``keys``: ``(stories, folded, exhausted)``.

    ``stories`` is ``[(leader, [other reports])]``; ``folded`` counts the reports folded
    under leaders on pages 1 to ``page``; ``exhausted`` says the grouping needed every
    key given, so a longer ranking could change it."""
    consumed = set()
    start, folded = 0, 0
    for _ in range(page):
        stories, start, exhausted = _group_page(keys, joins, page_size, start, consumed)
        folded += sum(len(others) for _, others in stories)
    return stories, folded, exhausted


def _group_page(keys, joins, page_size, start, consumed):
    """One page of stories from position ``start``: ``(stories, next_start, exhausted)``.

    ``consumed`` (updated) holds the positions already shown or folded. A hit folds under
    the first story of this page it ``joins(reports, hit)``; once the page has ``page_size``
    leaders the next ``page_size`` unconsumed hits are still checked against them, so a
    report ranked just below the page is not shown again as a story of its own."""
    stories = []
    looked_ahead = 0
    position = start
    next_start = None
    while position < len(keys) and looked_ahead < page_size:
        if position not in consumed:
            doc = keys[position]
            leader = next((story for story in stories if joins([story[0], *story[1]], doc)), None)
            if leader is not None:
                leader[1].append(doc)
                consumed.add(position)
            elif len(stories) < page_size:
                stories.append((doc, []))
                consumed.add(position)
            else:
                if next_start is None:
                    next_start = position
                looked_ahead += 1
        position += 1
    exhausted = looked_ahead < page_size
    return stories, position if next_start is None else next_start, exhausted
