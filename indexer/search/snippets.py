"""Snippets: the best passages of an article with every matched word in ``<mark>``.

Matching reuses the index's own analyzers: each word of the stored text is analyzed
like the index analyzed it, so a word matches when its exact form, its stem or its
transliteration key is among the query's terms. The text shown is the article's original
spelling (diacritics, hamza, tatweel as written); everything but the tags is HTML-escaped.

Passages read well in Arabic: a passage is a clause, cut at Arabic and Latin sentence and
clause punctuation (``. ، ؛ ؟ !``) or a line end, always between words; a clause too long
to show is cut around its matches, again between words; passages that together are too
short to read on their own (``سجلت أسعار النفط``) go on with the rest of their sentence,
clause by clause, as far as the snippet's length allows; ``…`` stands wherever the article
goes on before, between or after the passages. Runs of Latin letters and digits (``G7``,
``3.5%``, ``2025``, ``USB-C``) are isolated in ``<bdi>`` so that inside right-to-left text
they keep their own left-to-right order and do not pull the neighbouring punctuation
around; ``<mark>`` and ``<bdi>`` always nest properly.
"""

import bisect
import html
import re
from dataclasses import dataclass

from indexer.analysis import needs_vocabulary
from indexer.analysis.fields import tokens
from indexer.analysis.transliteration import TransliterationKeyFilter
from indexer.engine import plan
from indexer.indexing.schema import EXACT_FIELDS, STEMMED_FIELDS, TRANSLITERATION_FIELDS

# Passages end at Arabic and Latin sentence and clause punctuation or a line end.
SENTENCE_CHARS = ".!?؟،؛\n"
# A short passage goes on past a comma, never past these: its sentence ends there.
SENTENCE_END_CHARS = ".!?؟؛\n"
# May stand between a word and the punctuation ending its clause: spaces (Arabic typesetting
# often puts one before "،"), closing quotes and brackets.
CLOSERS = " \t\u00a0\u200f\u200e\"'”’»)]}"
ELLIPSIS = "…"
# Quotes and brackets that belong to the first or last word of a passage («أجواء مليئة بالثقة»).
OPENING_MARKS = "\"'“‘«([{"
CLOSING_MARKS = "\"'”’»)]}"
# A Latin word or number (letters of Latin-1 and Latin Extended-A/B too), with the
# joiners found inside such tokens (3.5, USB-C, 2026-2027, AT&T, 15:30) and a trailing %.
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN_WORD = rf"[{_LATIN}]+(?:[.,:/'’&+_\-–][{_LATIN}]+)*%?"
# Latin words separated by single spaces stay one run: "iPhone 15" must not read "15 iPhone".
LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?: {_LATIN_WORD})*")


def to_html(text, start=0, end=None, marks=()):
    """``text[start:end]`` as safe HTML: escaped, ``marks`` (``(start, end)`` spans, not
    overlapping) in ``<mark>``, Latin runs in ``<bdi>``.

    >>> to_html("قمة G7 في 2025", marks=[(4, 6)])
    'قمة <mark><bdi>G7</bdi></mark> في <bdi>2025</bdi>'
    """
    end = len(text) if end is None else end
    marks = [(s, e) for s, e in marks if s < e]
    spans = [(s, -e, 0, "mark") for s, e in marks]
    for run in LATIN_RUN.finditer(text, start, end):
        for s, e in _split_at_crossing_marks(run.start(), run.end(), marks):
            spans.append((s, -e, 1, "bdi"))
    # Outer spans first: by start, then the longer, then <mark> around an equal <bdi>.
    spans.sort()
    out, pos, open_spans = [], start, []

    def close_until(limit):
        nonlocal pos
        while open_spans and open_spans[-1][0] <= limit:
            closing, tag = open_spans.pop()
            out.append(html.escape(text[pos:closing], quote=False) + f"</{tag}>")
            pos = closing

    for s, negative_end, _, tag in spans:
        close_until(s)
        out.append(html.escape(text[pos:s], quote=False) + f"<{tag}>")
        pos = s
        open_spans.append((-negative_end, tag))
    close_until(end)
    out.append(html.escape(text[pos:end], quote=False))
    return "".join(out)


def _split_at_crossing_marks(start, end, marks):
    """A Latin run cut where a mark begins or ends inside it without lying wholly inside
    it (a mark over "وG7" shares only "G7" with the run), so the tags nest."""
    cuts = sorted({p for s, e in marks if not (start <= s and e <= end) for p in (s, e) if start < p < end})
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:]))


@dataclass
class Word:
    """A word of the text: its offsets, its normalized form, whether it matches the query."""

    start: int
    end: int
    form: str
    matched: bool


@dataclass
class Passage:
    """A stretch ``text[start:end]`` and the matched words in it."""

    text: str
    matches: list
    start: int
    end: int

    def score(self):
        """More distinct query words, then more matches: ``matches * distinct * 100``."""
        return len(self.matches) * (len({w.form for w in self.matches}) * 100 or 1)

    def to_html(self):
        return to_html(self.text, self.start, self.end, [(w.start, w.end) for w in self.matches])


def passages(text, words, maxchars=220, surround=60):
    """One passage per clause that has a match, from its first word to its last (the
    closing punctuation left out); a clause longer than ``maxchars`` gives passages of
    the words within ``surround`` characters of its matches instead."""
    clause = []
    for word in words:
        clause.append(word)
        if ends_clause(text, word.end):
            yield from _clause_passages(text, clause, maxchars, surround)
            clause = []
    yield from _clause_passages(text, clause, maxchars, surround)


def _clause_passages(text, clause, maxchars, surround):
    matched = [w for w in clause if w.matched]
    if not matched:
        return
    if clause[-1].end - clause[0].start <= maxchars:
        yield _passage(text, matched, clause[0].start, clause[-1].end)
        return
    i = 0
    while i < len(matched):
        j = i
        while j + 1 < len(matched) and matched[j + 1].end - matched[i].start <= maxchars - 2 * surround:
            j += 1
        low, high = matched[i].start - surround, matched[j].end + surround
        start = min(w.start for w in clause if w.start >= low)
        end = max(w.end for w in clause if w.end <= high)
        yield _passage(text, matched[i : j + 1], start, end)
        i = j + 1


def _passage(text, matched, start, end):
    """A passage widened to the quotes and brackets touching its first and last words."""
    while start > 0 and text[start - 1] in OPENING_MARKS:
        start -= 1
    while end < len(text) and text[end] in CLOSING_MARKS:
        end += 1
    return Passage(text, matched, start, end)


def ends_clause(text, position, marks=SENTENCE_CHARS):
    """Whether the word ending at ``position`` ends its clause: the next character past
    spaces, closing quotes and brackets is one of ``marks`` (clause punctuation) or a line
    end. A point between digits (``3.5``) ends nothing."""
    while position < len(text) and text[position] in CLOSERS:
        position += 1
    if position >= len(text):
        return True
    char = text[position]
    if char == "." and position + 1 < len(text) and text[position + 1].isdigit() and text[position - 1].isdigit():
        return False
    return char in marks


class QueryTerms:
    """The terms a query searched, by kind: stems (stemmed fields) and exact forms."""

    def __init__(self, query, analysis):
        terms = plan.terms(query)
        self.stems = {text for field, text in terms if field in STEMMED_FIELDS}
        self.exact = {text for field, text in terms if field in EXACT_FIELDS}
        self.keys = {text for field, text in terms if field in TRANSLITERATION_FIELDS}
        self._stem_analyzer = analysis.analyzer("body")
        # Profiles without exact fields tokenize with the main analyzer.
        self._exact_analyzer = analysis.analyzer(analysis.exact_field)
        # The one-pass analysis where the profile has it: same words, a fraction of the time,
        # and its stems and keys cached per word for as long as the index is open.
        fast = analysis.document_analyzer
        self._fast = fast if fast.fast and "body_exact" in analysis.fields else None
        # Keys are of the word without its clitics, as the collection attests them.
        self._key = self._fast.key if self._fast is not None else TransliterationKeyFilter(
            analysis.vocabulary if needs_vocabulary(analysis.profile) else None).key
        # Verdict per exact form, for every article of this query: words repeat (Zipf), and
        # stemming and transliterating each occurrence again was most of a snippet's cost.
        self._verdicts = {}

    def matches(self, exact_form):
        """Whether a word of this exact (normalized) form matches the query."""
        verdict = self._verdicts.get(exact_form)
        if verdict is None:
            verdict = self._verdicts[exact_form] = (
                exact_form in self.exact
                or (self._may_stem_to_a_query_stem(exact_form) and self._stems_of(exact_form) & self.stems)
                or (bool(self.keys) and self._key(exact_form) in self.keys)
            )
        return verdict

    def _stems_of(self, exact_form):
        if self._fast is not None:
            return {self._fast.stem(exact_form)}
        return {t.text for t in self._stem_analyzer(exact_form)}

    def _tokens(self, text):
        """``(form, start, end, stopped)`` of every word of ``text``."""
        if self._fast is not None:
            return tokens(text)
        return ((t.text, t.startchar, t.endchar, t.stopped)
                for t in self._exact_analyzer(text, chars=True, removestops=False))

    def _may_stem_to_a_query_stem(self, exact_form):
        """Arabic light stemming only strips affixes, so an Arabic word's stem lies inside
        it: a word that contains no query stem need not be stemmed. Latin stems may not
        (Snowball: ``family`` -> ``famili``), so Latin words are always stemmed."""
        return exact_form.isascii() or any(stem in exact_form for stem in self.stems)

    def words(self, text):
        """The text's words (stop words too: they bound passages), each marked as
        matched or not. A ligature that spells several words (``ﷺ``) is one word here,
        matched when any of them matches."""
        word = None
        for form, start, end, stopped in self._tokens(text):
            matched = not stopped and bool(self.matches(form))
            if word is not None and start == word.start:
                if matched and not word.matched:
                    word = Word(word.start, word.end, form, True)
                continue
            if word is not None:
                yield word
            word = Word(start, end, form, matched)
        if word is not None:
            yield word

    def __bool__(self):
        return bool(self.stems or self.exact or self.keys)


def snippet(text, terms, top=3, maxchars=220):
    """The ``top`` best passages of ``text`` with matches marked, as safe HTML; the
    opening of the text when nothing in it matched. ``text`` is what was searched of a
    body (``Analysis.searched``): its boilerplate lines blanked, so never shown."""
    words = list(terms.words(text)) if terms else []
    chosen = _filled(text, words, _best(list(passages(text, words, maxchars)), top), maxchars)
    if not chosen:
        text = text.lstrip()
        opening = _opening(text, maxchars)
        return to_html(opening) + (f" {ELLIPSIS}" if _goes_on(text, len(opening)) else "")
    shown = f" {ELLIPSIS} ".join(p.to_html() for p in chosen)
    before = f"{ELLIPSIS} " if _goes_back(text, chosen[0].start) else ""
    after = f" {ELLIPSIS}" if _goes_on(text, chosen[-1].end) else ""
    return before + shown + after


def _best(found, top):
    """The ``top`` passages with the most matches, in the article's order. On a tie the
    earlier passage wins: news put what matters first."""
    chosen = sorted(found, key=lambda p: (-p.score(), p.start))[:top]
    return sorted(chosen, key=lambda p: p.start)


def _filled(text, words, chosen, maxchars):
    """``chosen`` as they are when together they fill half of ``maxchars``; else each in
    turn goes on with the next clauses of its sentence (and marks their matches) while
    all of them fit in ``maxchars``, up to the next passage."""
    total = sum(p.end - p.start for p in chosen)
    if total >= maxchars // 2:
        return chosen
    starts = [w.start for w in words]
    out = []
    for k, passage in enumerate(chosen):
        limit = chosen[k + 1].start if k + 1 < len(chosen) else len(text)
        end, matches, clause = passage.end, list(passage.matches), []
        if not ends_clause(text, end, SENTENCE_END_CHARS):
            for word in words[bisect.bisect_left(starts, passage.end):]:
                if word.end > limit:
                    break
                clause.append(word)
                if not ends_clause(text, word.end):
                    continue
                if total + word.end - end > maxchars:
                    break
                total += word.end - end
                end, matches, clause = word.end, matches + [w for w in clause if w.matched], []
                if ends_clause(text, end, SENTENCE_END_CHARS):
                    break
        out.append(_passage(text, matches, passage.start, end))
    return out


def highlight_all(text, terms, searched=None):
    """The whole text with every match marked, as safe HTML; given ``searched`` (what was
    searched of ``text``, ``Analysis.searched``: the same offsets), only its matches."""
    if not terms:
        return to_html(text)
    found = terms.words(text if searched is None else searched)
    return Passage(text, [w for w in found if w.matched], 0, len(text)).to_html()


def _goes_on(text, position):
    """Whether words follow ``position`` (not just closing punctuation and spaces)."""
    return any(ch.isalnum() for ch in text[position:])


def _goes_back(text, position):
    return any(ch.isalnum() for ch in text[:position])


def _opening(text, maxchars):
    """The text's first clauses that fit in ``maxchars`` or, when the first clause is longer,
    its words that fit: never cut inside a word."""
    if len(text) <= maxchars:
        return text
    cut = max((i for i in range(maxchars // 2, maxchars) if text[i] in SENTENCE_CHARS), default=-1)
    if cut < 0:
        cut = text.rfind(" ", 0, maxchars)
    return text[: cut if cut > 0 else maxchars].rstrip()
