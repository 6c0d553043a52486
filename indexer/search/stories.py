"""Near-duplicates: reports of one story by different outlets, grouped under one result.

Outlets rewrite a story in their own words, so word shingles (which need the same word
sequence) miss most pairs; the measure is instead the cosine of tf-idf vectors over the
index's own stemmed terms of title and body (``وقعت``/``ووقعت``, ``لافروف``/``ولافروف``
count as one term). ``THRESHOLD`` was measured, not guessed:
``python bench/near_duplicates_threshold.py`` prints the scores of every same-story and
different-story pair of ``tests/data/news.jsonl`` and the gap between them.

Grouping is greedy in rank order: the best-ranked report of a story leads and each later
hit folds under the first story above it on the same page that it is a near-duplicate of
(of any of its reports), so the cost stays bounded by the hits of one page.
"""

import math
import threading
from collections import Counter, OrderedDict

# On the labelled pairs of tests/data/news.jsonl (bench/near_duplicates_threshold.py)
# same-story pairs score 0.240-0.494 and different-story pairs 0.000-0.202 (the highest:
# two football finals, whose shared sport vocabulary is rare in a small collection); the
# threshold sits in that gap. Word 3-shingles overlap there (same 0.010-0.092, different
# up to 0.029), so they cannot separate rewritten reports. In an index of the five seeds
# alone their pairs score 0.18-0.31: the story's own words are in every article there, so
# grouping is single-link (close to any report of the story, not only to its leader).
THRESHOLD = 0.21
# A report's title names the story; it counts as much as this many body occurrences.
TITLE_WEIGHT = 5


def term_counts(title, body, analyzer):
    """Stemmed term frequencies of an article (title terms weighted ``TITLE_WEIGHT``)."""
    counts = Counter(t.text for t in analyzer(body))
    for t in analyzer(title):
        counts[t.text] += TITLE_WEIGHT
    return counts


def tfidf_vector(counts, doc_frequency, doc_count):
    """Unit-length tf-idf vector: ``(1 + log tf) * log(1 + N / df)``. Terms in every
    article still weigh a little: in a collection that is one story, they are the story."""
    vector = {}
    for term, tf in counts.items():
        df = doc_frequency(term)
        if df:
            weight = (1 + math.log(tf)) * math.log(1 + doc_count / df)
            if weight > 0:
                vector[term] = weight
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


class Signatures:
    """Per-document tf-idf vectors of one open index (an engine reader and its analysis),
    computed on first use from the stored text and kept (most recently used) for later
    searches. ``doc_count`` is the index's, so scores do not depend on which hits happen
    to be compared."""

    def __init__(self, reader, analysis, cache_size=4096):
        self._reader = reader
        self._analyzer = analysis.analyzer("body")
        self._doc_count = max(1, reader.doc_count())
        self._cache = OrderedDict()
        self._cache_size = cache_size
        # A server's worker threads share one open index.
        self._lock = threading.Lock()

    def _doc_frequency(self, term):
        return self._reader.doc_frequency("body", term) + self._reader.doc_frequency("title", term)

    def of(self, key):
        """The tf-idf vector of document ``key``."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        stored = self._reader.stored(key)
        counts = term_counts(stored.get("title", ""), stored.get("body", ""), self._analyzer)
        # Each term can occur in title and body: df is counted in both, so N is doubled too.
        vector = tfidf_vector(counts, self._doc_frequency, 2 * self._doc_count)
        with self._lock:
            self._cache[key] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def similarity(self, key_a, key_b):
        return cosine(self.of(key_a), self.of(key_b))

    def same_story(self, key_a, key_b):
        return self.similarity(key_a, key_b) >= THRESHOLD

    def joins(self, reports, key):
        """Whether ``key`` is a report of the story of ``reports`` (a list of keys):
        like any one of them, not necessarily the first. Single link, because two rewrites
        can each be close to a third report and far from each other."""
        return any(self.same_story(report, key) for report in reports)


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
