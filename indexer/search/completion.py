"""Autocomplete: the last word being typed completed from the index's own vocabulary,
knowing the words typed before it.

The typed word is normalized like the exact fields (diacritics, hamza and alef forms,
``ة``/``ه``...), so ``اس`` offers ``إسرائيل``. Completions come first from the collection's
frequent word sequences (``indexing.phrases``): the words that follow the two, then the
one word typed before (``ولي الع`` -> ``ولي العهد``), most articles first; then the
exact-field terms that start with it, most documents first. A rare spelling is left out
when a far more frequent one within an edit or two is offered (``خاش`` offers
``خاشقجي``, not the misspellings ``خاشجقي`` and ``خاشثقجي``). Each is shown in the
spelling the articles use most (``spelling.surface_form``). The words before the last one, and operators written before
it (``-``, ``=``, ``عنوان:``, an opening quote or parenthesis), are kept, so each
completion is a whole query. Fewer than ``MIN_PREFIX_CHARS`` letters, a query ending in a
space, or a query over ``MAX_QUERY_CHARS`` get no completions: never an error, as the
box asks on every keystroke.
"""

import re
from collections import Counter

from indexer.indexing.phrases import runs
from indexer.search.limits import MAX_QUERY_CHARS, MIN_PREFIX_CHARS
from indexer.search.query_language import FIELD_NAMES, QUOTES
from indexer.search.spelling import LONG_WORD, edit_cost, surface_form

MAX_COMPLETIONS = 20
# A spelling this many times rarer than an offered one close to it is taken for a slip.
RARE_FACTOR = 20
# Candidates weighed before the rare spellings are left out.
POOL = 3 * MAX_COMPLETIONS
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
    # An operator on the word (``-``, ``=``, a field) makes it no continuation of the words before.
    following = [] if lead else _continuations(index, head, typed[0], fields)
    candidates = list(dict.fromkeys(following + sorted(frequency, key=lambda t: (-frequency[t], t))))[:POOL]
    return [head + lead + surface_form(index, term) for term in _common_spellings(index, candidates, fields)[:limit]]


def _continuations(index, head, prefix, fields):
    """The indexed words starting with ``prefix`` that follow the last two, then the last
    one, of the words ending ``head`` (none when punctuation ends it), most articles first."""
    found = runs(head + "\n") if head.strip() else []
    if not found or re.search(r"[^\w\s]\s*$", head):
        return []
    before = found[-1]
    out = []
    for size in (2, 1):
        if len(before) >= size:
            out += [word for word, _ in index.phrases.after(tuple(before[-size:]), prefix)
                    if _frequency(index, word, fields)]
    return out


def _frequency(index, term, fields):
    return sum(index.lexicon.doc_frequency(name, term) for name in fields)


def _common_spellings(index, candidates, fields):
    """``candidates`` less each one within an edit (two for long words) of a candidate in
    ``RARE_FACTOR`` times more articles."""
    df = {term: _frequency(index, term, fields) for term in candidates}

    def slip(term):
        edits = 2 if len(term) >= LONG_WORD else 1
        return any(df[other] >= RARE_FACTOR * df[term] and edit_cost(term, other) <= edits
                   for other in candidates if other != term)

    return [term for term in candidates if not slip(term)]
