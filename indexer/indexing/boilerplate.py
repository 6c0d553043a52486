"""Outlet boilerplate: the lines of an article's body that are not the article, left out
of what is searched (scoring, snippets, re-ranking, story signatures, autocomplete) and
kept in the stored text (the article page and downloads show the article as published:
an attribution such as «*نقلاً عن الرؤية الإماراتية» or «فرانس24/ أ ف ب» is the reader's
business, not the query's).

Two kinds of line are left out:

* **Repeated lines.** A line (spaces collapsed) that one outlet (``source``; the whole
  collection is one outlet when its articles name none) puts in at least
  ``MIN_ARTICLES`` different articles. Different: their longest other line differs, so
  an article republished under several ids counts once and its lines stay content.
  A line is counted where it stands, as an article's opening line or elsewhere: outlets
  end articles with other articles' leads (CNN's «تراهن شركة المشروبات العالمية
  "كوكاكولا"…» closes five other economy articles), which is another story's words
  there and the lead, content, in the article it opens. A «للمزيد: <headline>» link
  is treated like any line: left out once the outlet repeats it in ``MIN_ARTICLES``
  articles, kept when it is one article's pointer to related coverage.
* **Headline wrappers.** A line holding the article's whole headline (at least
  ``MIN_HEADLINE_WORDS`` words) in quotation marks with at most ``WRAPPER_WORDS`` other
  words: «نترككم مع خبر “<headline>» and «نشكركم على قراءة خبر “<headline>», which
  count the headline words twice. A lead that restates its headline does not quote it:
  of the 64 ANT lines that hold their article's whole headline, one quotes it, with 16
  other words (a tweet quoted in a sentence).

Repeated lines are counted by a build over the whole collection (``LineCounter``) and
the table is kept in the generation with the analysis (``schema.Analysis``). ``update``
judges the articles it writes against that table and counts nothing: a line that only
updated articles repeat is left out from the next build on.

Left-out lines are blanked (spaces, line ends kept), so what is searched has the stored
text's offsets: ``Boilerplate(...).searched(title, body, source)``.
"""

import re

# Different articles of one outlet a line must appear in to be its boilerplate. On ANT
# (31,523 articles) 5 finds the disclaimers, app notices, bylines and teaser leads; the
# 557 more lines found in 3 or 4 mix teasers with sentences a story's follow-up reports
# repeat (a quote, its background), which are content.
MIN_ARTICLES = 5
# Words a wrapper may add to the headline: «اشراق العالم 24- متابعات الأخبار العالمية .
# نترككم مع خبر» adds 9.
WRAPPER_WORDS = 12
# Shorter headlines ("مصر") are quoted in ordinary sentences.
MIN_HEADLINE_WORDS = 3
OPENING_QUOTES = "\"'“‘«„"
_WORD = re.compile(r"\w+")


def lines(body):
    """``(start, end, line)`` of each line of ``body`` holding more than spaces, ``line``
    with its spaces collapsed: ``lines("أ  ب\\n\\nج")`` -> ``[(0, 4, "أ ب"), (6, 7, "ج")]``."""
    found, start = [], 0
    for raw in body.split("\n"):
        line = " ".join(raw.split())
        if line:
            found.append((start, start + len(raw), line))
        start += len(raw) + 1
    return found


def _places(found):
    """``(opening, line)`` of each line, each once: a line is counted apart as an
    article's opening line (``Boilerplate.left_out`` judges it so too)."""
    return {(number == 0, line) for number, (_, _, line) in enumerate(found)}


def wraps_headline(line, headline, headline_words):
    """Whether ``line`` is ``headline`` (spaces collapsed, ``headline_words`` words long)
    quoted, with at most ``WRAPPER_WORDS`` other words."""
    if headline_words < MIN_HEADLINE_WORDS:
        return False
    at = line.find(headline)
    if at <= 0 or line[:at].rstrip()[-1:] not in OPENING_QUOTES:
        return False
    return len(_WORD.findall(line)) - headline_words <= WRAPPER_WORDS


class Boilerplate:
    """The repeated lines of a collection, as ``(source, opening, line)``."""

    def __init__(self, repeated=()):
        self.repeated = frozenset(repeated)

    def __len__(self):
        return len(self.repeated)

    def left_out(self, title, body, source=""):
        """``(start, end)`` of the lines of ``body`` that are not the article."""
        found = lines(body or "")
        headline = " ".join((title or "").split())
        headline_words = len(_WORD.findall(headline))
        source = source or ""
        return [(start, end) for number, (start, end, line) in enumerate(found)
                if (source, number == 0, line) in self.repeated or wraps_headline(line, headline, headline_words)]

    def searched(self, title, body, source=""):
        """``body`` with its left-out lines blanked, line ends kept: with «اقرأ أيضا:»
        repeated, ``"نص\\nاقرأ أيضا:"`` -> ``"نص\\n          "``."""
        body = body or ""
        spans = self.left_out(title, body, source)
        if not spans:
            return body
        parts, at = [], 0
        for start, end in spans:
            parts += [body[at:start], " " * (end - start)]
            at = end
        parts.append(body[at:])
        return "".join(parts)


class LineCounter:
    """Counts the lines of a collection's articles (``add``) into its ``Boilerplate``."""

    def __init__(self, min_articles=MIN_ARTICLES):
        self.min_articles = min_articles
        # hash of (source, opening, line) -> the fingerprints of the articles holding it
        # (one int, then a set once there are two): hashes, not the lines, so the 240,118
        # places of ANT's 31,523 articles take about 40 MB.
        self._seen = {}
        self._repeated = set()

    def add(self, body, source=""):
        found = lines(body or "")
        longest = sorted({line for _, _, line in found}, key=lambda line: (-len(line), line))[:2]
        for opening, line in _places(found):
            # The article's longest line other than this one: the same for its copies.
            others = [other for other in longest if other != line]
            fingerprint = hash(others[0] if others else "")
            key = (source or "", opening, line)
            self._count(hash(key), fingerprint, key)

    def _count(self, slot, fingerprint, key):
        seen = self._seen.get(slot)
        if seen is None:
            self._seen[slot] = fingerprint
            return
        if not isinstance(seen, set):
            if seen == fingerprint:
                return
            seen = self._seen[slot] = {seen}
        if len(seen) < self.min_articles:
            seen.add(fingerprint)
            if len(seen) >= self.min_articles:
                self._repeated.add(key)

    def boilerplate(self):
        return Boilerplate(self._repeated)
