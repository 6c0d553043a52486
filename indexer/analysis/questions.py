"""Question words: what a question adds around its topic, left out of the query.

People type questions (``ما هو سبب ...``, ``من هي ...``, ``لماذا ...``). Most interrogatives
are stop words already (``ما``، ``من``، ``متى``، ``أين``، ``كم``، ``كيف``، ``ماذا``، ``هل``،
``أي``, with the pronouns ``هو``/``هي``); these are the forms the stop list lacks, and the
frames whose noun only asks (``ما اسم`` "what is the name of"). They are dropped from
queries only: documents keep them (``لماذا`` in an article's text is still indexed), and
a query of nothing else still searches them.
"""

from indexer.analysis.normalize import normalize

# Interrogatives written as one word (``ماهو``, ``ماهي`` for ``ما هو``, ``ما هي``) or
# missing from the stop list (``لماذا``, ``عماذا``), normalized.
QUESTION_WORDS = frozenset(normalize(w) for w in ("ماهو", "ماهي", "ماهى", "ماهم", "لماذا", "ولماذا", "عماذا"))
# Question word -> the nouns that, right after it, only frame the question.
FRAMES = {normalize(w): frozenset({"اسم"}) for w in ("ما", "ماهو", "ماهي", "ماهى", "وما")}


def question_positions(words):
    """Indexes of ``words`` (normalized) that only ask:
    ``question_positions(["ما", "اسم", "عاصمه", "فرنسا"])`` -> ``{0, 1}`` (``ما`` is a stop word anyway)."""
    found = set()
    for i, word in enumerate(words):
        if word in QUESTION_WORDS or (i and word in FRAMES.get(words[i - 1], ())):
            found.add(i)
        elif word in FRAMES:
            found.add(i)
    return found
