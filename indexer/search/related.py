"""More like this: related stories for an article, and the other reports of its own story.

Candidates are the articles that best match the article's own key terms: the
``KEY_TERMS`` stemmed title and body terms of highest tf-idf weight (from its story
signature, computed at index time: ``indexing.signatures``), searched as one OR query weighted by those
weights, on any engine. The article's own near-duplicates are other *reports* of the
same story, not related stories, so they are set apart (``document()`` lists them), and
among the related articles each story appears once, its other reports folded under it.
"""

from indexer.engine import plan

# Key terms that describe an article: enough to reach its topic, few enough to stay on it.
KEY_TERMS = 20
# Candidates fetched per related article wanted: some are set apart as the same story.
CANDIDATES_PER_RESULT = 4


def key_terms(signatures, key):
    """The article's ``KEY_TERMS`` heaviest stemmed terms with their weights."""
    vector = signatures.terms(key)
    return sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:KEY_TERMS]


def candidates(reader, signatures, key, top):
    """``(key, score)`` of the articles sharing the most key terms with ``key`` (itself
    excluded), best first."""
    query = plan.any_of(plan.Term(field, term, weight) for term, weight in key_terms(signatures, key)
                        for field in ("title", "body"))
    return [(other, score) for other, score in reader.search(query, top + 1).hits if other != key][:top]


def same_story(reader, signatures, key, limit=50):
    """Keys of the other reports of ``key``'s story, most key terms shared first."""
    story = [key]
    for other, _ in candidates(reader, signatures, key, limit):
        if signatures.joins(story, other):
            story.append(other)
    return story[1:]


def more_like_this(reader, signatures, key, limit):
    """``[(key, score, [other reports])]``: up to ``limit`` related stories, each led by
    its best-scoring report, none of them a report of ``key``'s own story."""
    own_story = [key, *same_story(reader, signatures, key)]
    stories = []
    for other, score in candidates(reader, signatures, key, limit * CANDIDATES_PER_RESULT):
        if other in own_story:
            continue
        leader = next((s for s in stories if signatures.joins([s[0], *s[2]], other)), None)
        if leader is not None:
            leader[2].append(other)
        elif len(stories) < limit:
            stories.append((other, score, []))
    return stories
