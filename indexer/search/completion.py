"""Autocomplete: the last word being typed completed from the index's own vocabulary.

The typed word is normalized like the exact fields (diacritics, hamza and alef forms,
``ة``/``ه``...), so ``اس`` offers ``إسرائيل``; completions are the exact-field terms that
start with it, most documents first, each shown in the spelling the articles use most
(``spelling.surface_form``). The words before the last one, and operators written before
it (``-``, ``=``, ``عنوان:``, an opening quote or parenthesis), are kept, so each
completion is a whole query. Fewer than ``MIN_PREFIX_CHARS`` letters, a query ending in a
space, or a query over ``MAX_QUERY_CHARS`` get no completions: never an error, as the
box asks on every keystroke.
"""

import re
from collections import Counter

from indexer.search.limits import MAX_QUERY_CHARS, MIN_PREFIX_CHARS
from indexer.search.query_language import FIELD_NAMES, QUOTES
from indexer.search.spelling import surface_form

MAX_COMPLETIONS = 20
# What may stand before the word itself: exclusion, exact form, a field, a quote, "(".
_LEAD = re.compile(
    r"^(?P<lead>(?:[-=(" + QUOTES + r"]|(?:" + "|".join(map(re.escape, FIELD_NAMES)) + r"):)*)(?P<word>.*)$",
    re.S | re.I,
)


def complete(index, text, limit=8):
    """Whole queries completing the last word of ``text``, at most ``limit``:
    ``complete(s, "كيم لاف")`` -> ``["كيم لافروف"]``. ``index`` is a ``searching.Snapshot``."""
    text = text or ""
    limit = min(max(0, int(limit)), MAX_COMPLETIONS)
    if not text.strip() or text[-1].isspace() or len(text) > MAX_QUERY_CHARS or limit == 0:
        return []
    cut = max(text.rfind(ch) for ch in " \t\n")
    head, last = text[: cut + 1], text[cut + 1:]
    m = _LEAD.match(last)
    lead, word = m.group("lead"), m.group("word")
    lexicon = index.lexicon
    fields = [f for f in ("title_exact", "body_exact") if f in index.analysis.fields] or ["title", "body"]
    typed = [t.text for t in index.analysis.analyzer(fields[-1])(word, mode="query", removestops=False)]
    if len(typed) != 1 or len(typed[0]) < MIN_PREFIX_CHARS:
        return []
    frequency = Counter()
    for name in fields:
        for term in lexicon.expand_prefix(name, typed[0]):
            frequency[term] += lexicon.doc_frequency(name, term)
    best = sorted(frequency, key=lambda t: (-frequency[t], t))[:limit]
    return [head + lead + surface_form(index, term) for term in best]
