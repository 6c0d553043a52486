"""Did you mean: a corrected query built from the index's own vocabulary, offered when a
query finds nothing, few articles (``FEW_HITS``) while the correction finds many more, or
only some of its words while the correction finds them all.

Candidates for a typed word are the exact-field terms (normalized surface forms) within one
edit (two for words of six letters or more; ``lexicon.Lexicon.terms_within`` over the
index's vocabulary) frequent enough to outscore it, plus the word re-read as typed on the
Arabic (101) keyboard layout with the Latin one active (``ghtv,t`` -> ``لافروف``). They are
ranked noisy-channel style: document frequency times ``EDIT_PENALTY ** -cost``, where a
dropped or doubled letter and a swap of letters readers confuse (``ذ``/``ز``, ``ض``/``ظ``...)
cost half an edit. The word as typed competes with cost 0, so a word the index knows is
only replaced by a far more frequent one. Hamza seats, ``ة``/``ه`` and ``ى``/``ي`` slips
need no correction: the analyzer already makes them meet.

The suggestion is shown in the spelling most frequent in the stored articles
(``surface_form``), so it reads as a real word and not as its normalized form.
"""

import math
import weakref
from collections import Counter

from indexer.analysis.normalize import StripDiacriticsFilter, StripTatweelFilter
from indexer.search.query_language import AND_WORDS, NOT_WORDS, OR_WORDS, tokenize

# Suggest when the query finds at most this many articles and the correction many more.
FEW_HITS = 3
MORE_HITS_FACTOR = 5
# One edit makes a word this many times less likely than an exact match (noisy channel).
EDIT_PENALTY = 20.0
LONG_WORD = 6

# The Arabic (101) PC layout: the Arabic letter on each QWERTY key, unshifted, and the
# shifted keys that carry letters (hamza forms, lam-alef ligatures).
KEYBOARD = {
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه", "o": "خ",
    "p": "ح", "[": "ج", "]": "د", "a": "ش", "s": "س", "d": "ي", "f": "ب", "g": "ل", "h": "ا",
    "j": "ت", "k": "ن", "l": "م", ";": "ك", "'": "ط", "z": "ئ", "x": "ء", "c": "ؤ", "v": "ر",
    "b": "لا", "n": "ى", "m": "ة", ",": "و", ".": "ز", "/": "ظ", "`": "ذ",
    "H": "أ", "Y": "إ", "N": "آ", "G": "لأ", "T": "لإ", "B": "لآ",
}
# Letter pairs readers confuse (same sound or same shape): substituting one costs half.
CONFUSABLE = {frozenset(p) for p in ("ذز", "ضظ", "طظ", "ثس", "صس", "تط", "دذ", "حه", "قك", "زظ", "دض", "ءا")}
_UNMARK = str.maketrans({**StripDiacriticsFilter.table, **StripTatweelFilter.table})


def from_keyboard(text):
    """``text`` re-read as typed on the Arabic layout, or None when it is not Latin keys.
    ``from_keyboard("ghtv,t")`` -> ``"لافروف"``; ``from_keyboard("hgsbl")`` -> ``"السلام"``."""
    if not any("a" <= ch.lower() <= "z" for ch in text):
        return None
    out = []
    for ch in text:
        arabic = KEYBOARD.get(ch) or KEYBOARD.get(ch.lower())
        if arabic is None:
            return None
        out.append(arabic)
    return "".join(out)


def edit_cost(typed, word):
    """Damerau-Levenshtein distance where a doubled or dropped repeated letter and a
    confusable substitution cost 0.5: ``edit_cost("مدررسه", "مدرسه")`` -> ``0.5``."""
    rows, cols = len(typed) + 1, len(word) + 1
    d = [[0.0] * cols for _ in range(rows)]
    for i in range(rows):
        d[i][0] = float(i)
    for j in range(cols):
        d[0][j] = float(j)
    for i in range(1, rows):
        for j in range(1, cols):
            a, b = typed[i - 1], word[j - 1]
            delete = 0.5 if i > 1 and typed[i - 2] == a else 1.0
            insert = 0.5 if j > 1 and word[j - 2] == b else 1.0
            swap = 0.0 if a == b else (0.5 if frozenset((a, b)) in CONFUSABLE else 1.0)
            d[i][j] = min(d[i - 1][j] + delete, d[i][j - 1] + insert, d[i - 1][j - 1] + swap)
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1.0)
    return d[-1][-1]


class Speller:
    """Corrections of single words against one open index's exact-form vocabulary
    (``lexicon.Lexicon``); ``index`` is a ``searching.Snapshot``."""

    def __init__(self, index):
        self.lexicon = index.lexicon
        self.analysis = index.analysis
        self.fields = [f for f in ("title_exact", "body_exact") if f in index.analysis.fields] or ["title", "body"]
        self.analyzer = index.analysis.analyzer(self.fields[-1])

    def normalized(self, text):
        """The word's terms as the vocabulary holds them (stop words dropped)."""
        return [t.text for t in self.analyzer(text, mode="query")]

    def frequency(self, term):
        return sum(self.lexicon.doc_frequency(f, term) for f in self.fields)

    def correct(self, term, keyboard_term=None):
        """The most probable intended vocabulary term for the normalized ``term``
        (possibly ``term`` itself), or None when nothing is close."""
        scores = {}

        def consider(candidate, cost):
            df = self.frequency(candidate)
            if df:
                score = math.log(df) - cost * math.log(EDIT_PENALTY)
                scores[candidate] = max(score, scores.get(candidate, -math.inf))

        consider(term, 0.0)
        if keyboard_term is not None:
            # Typing with the wrong layout active is one slip, cheaper than any edit.
            consider(keyboard_term, 0.5)
        # An edit costs at least half: a word less frequent than this cannot outscore the
        # word as typed, so the lexicon need not walk the many rarer ones.
        least = self.frequency(term) * math.sqrt(EDIT_PENALTY)
        for maxdist in (1, 2) if len(term) >= LONG_WORD else (1,):
            found = set(self.lexicon.terms_within(self.fields, term, maxdist, least))
            for candidate in found - {term}:
                consider(candidate, edit_cost(term, candidate))
            if len(scores) > 1 or (scores and term not in scores):
                break
        return max(scores, key=lambda c: (scores[c], c)) if scores else None


def corrected_query(index, text):
    """``text`` with each misspelled plain word replaced by its correction in its common
    surface spelling, or None when no word changes. Operators, fields and phrases are
    kept as typed."""
    speller = Speller(index)
    pieces, changed, last = [], False, 0
    for token in correctable(text):
        terms = speller.normalized(token.value)
        keyboard = from_keyboard(token.value)
        keyboard_terms = speller.normalized(keyboard) if keyboard else []
        keyboard_term = keyboard_terms[0] if len(keyboard_terms) == 1 else None
        if len(terms) == 1:
            term = terms[0]
        elif keyboard_term is not None:
            # "ghtv,t" reads as two Latin words; on the Arabic layout it is one word.
            term = keyboard_term
        else:
            continue
        best = speller.correct(term, keyboard_term)
        if best is None or best == term:
            continue
        pieces.append(text[last:token.start] + surface_form(index, best))
        last = token.start + len(token.value)
        changed = True
    return "".join(pieces) + text[last:] if changed else None


def correctable(text):
    """The tokens of query ``text`` a correction may change: its plain words, not
    operators, outlet names, prefix or fuzzy words, or numbers (``418`` is not a slip of
    ``18``)."""
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.value in OR_WORDS | NOT_WORDS | AND_WORDS:
            continue
        if i and tokens[i - 1].kind == "field" and tokens[i - 1].value == "source":
            continue  # an outlet's name, matched against the outlets, not the vocabulary
        if token.value[-1:] in "*~" or "~" in token.value or token.value.isdigit():
            continue
        yield token


def suggest(index, text, total, all_words, count):
    """The corrected query when ``text`` found little (``total`` hits) or not all its
    words (``all_words`` false), and the correction finds more, or all of its words
    (``count(query) -> (hits, all_words)``); else None. Words found together in an
    article attest one another: a query of several words that found articles holding
    all of them is taken as typed (a headline typed whole finds its article, and its
    rare words are not "corrected" into common ones)."""
    if all_words and (total > FEW_HITS or (total and len(list(correctable(text))) > 1)):
        return None
    corrected = corrected_query(index, text)
    if corrected is None:
        return None
    found, found_all = count(corrected)
    if not found:
        return None
    if total == 0 or found >= MORE_HITS_FACTOR * total or (found_all and not all_words):
        return corrected
    return None


_surface_cache = weakref.WeakKeyDictionary()


def surface_form(index, term, max_docs=3):
    """The spelling of the normalized ``term`` most often written in the first
    ``max_docs`` articles holding it (diacritics and tatweel removed): ``مدرسه`` ->
    ``مدرسة``, ``اسرائيل`` -> ``إسرائيل``; ``term`` itself when no stored text shows it.
    ``index`` is a ``searching.Snapshot``."""
    cache = _surface_cache.setdefault(index, {})
    if term not in cache:
        cache[term] = _surface_form(index, term, max_docs)
    return cache[term]


def _surface_form(index, term, max_docs):
    spellings = Counter()
    for exact_field, stored_field in (("title_exact", "title"), ("body_exact", "body")):
        if exact_field not in index.analysis.fields or not index.lexicon.doc_frequency(exact_field, term):
            continue
        analyzer = index.analysis.analyzer(exact_field)
        for key in index.reader.keys_with(exact_field, term, max_docs):
            text = index.reader.stored(key).get(stored_field, "")
            for t in analyzer(text, chars=True, removestops=False):
                if t.text == term:
                    spellings[text[t.startchar:t.endchar].translate(_UNMARK)] += 1
        if spellings:
            break
    return spellings.most_common(1)[0][0] if spellings else term
