"""More like this: related stories for an article, and the other reports of its own story.

Candidates come from Whoosh's key-term machinery (``Searcher.more_like``: the article's
most informative stemmed body terms by the Bo1 divergence model, searched as one OR
query). The article's own near-duplicates are other *reports* of the same story, not
related stories, so they are set apart (``document()`` lists them), and among the related
articles each story appears once, its other reports folded under it.
"""

# Key terms that describe an article: enough to reach its topic, few enough to stay on it.
KEY_TERMS = 20
# Candidates fetched per related article wanted: some are set apart as the same story.
CANDIDATES_PER_RESULT = 4


def candidates(searcher, docnum, top):
    """``(docnum, score)`` of the articles sharing the most key terms with ``docnum``
    (itself excluded), best first."""
    stored = searcher.stored_fields(docnum)
    text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
    results = searcher.more_like(docnum, "body", text=text, top=top, numterms=KEY_TERMS)
    return [(hit.docnum, hit.score or 0.0) for hit in results]


def same_story(searcher, signatures, docnum, limit=50):
    """Docnums of the other reports of ``docnum``'s story, most key terms shared first."""
    story = [docnum]
    for other, _ in candidates(searcher, docnum, limit):
        if signatures.joins(story, other):
            story.append(other)
    return story[1:]


def more_like_this(searcher, signatures, docnum, limit):
    """``[(docnum, score, [other reports])]``: up to ``limit`` related stories, each led
    by its best-scoring report, none of them a report of ``docnum``'s own story."""
    own_story = [docnum, *same_story(searcher, signatures, docnum)]
    stories = []
    for other, score in candidates(searcher, docnum, limit * CANDIDATES_PER_RESULT):
        if other in own_story:
            continue
        leader = next((s for s in stories if signatures.joins([s[0], *s[2]], other)), None)
        if leader is not None:
            leader[2].append(other)
        elif len(stories) < limit:
            stories.append((other, score, []))
    return stories
