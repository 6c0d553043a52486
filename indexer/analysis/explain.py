"""What the analysis chain does to a text, step by step (the analogue of Elasticsearch's
``_analyze`` API): ``python -m indexer analyze TEXT`` prints it.

Each token is followed through every step of ``steps()``, keeping its offsets into the
original text, so one can see which step turned ``الكِتَابُ`` into ``كتاب`` or dropped ``في``.
"""

from dataclasses import dataclass

from whoosh.analysis import Token

from indexer.analysis.analyzers import steps


def explain(text, vocabulary=None):
    """One dict per token of ``text``, in order::

        {"start": 0, "end": 9, "original": "الكِتَابُ",
         "steps": {"tokenize": "الكِتَابُ", ..., "StripDiacritics": "الكتاب", ...,
                   "ArabicLightStem": "كتاب", "EnglishStem": "كتاب"},
         "term": "كتاب"}

    ``steps`` maps every step name, in chain order, to the token's text after that step,
    or ``None`` from the step that dropped it as a stop word on; ``term`` is what the index
    stores (``None`` for a stop word). A step that splits a token (the ligature ``ﷺ``
    becomes four words) gives one dict per part, all with the ligature's offsets.
    ``vocabulary`` is an index's collection vocabulary (``Analysis.vocabulary``), which
    decides its clitics (``وزير`` stays whole, ``وقال`` is ``قال``); without it the
    stemmer's plain rules apply.
    """
    (first, tokenize), *filters = steps(vocabulary=vocabulary)
    # removestops=False makes the stop filter mark stop words instead of dropping them,
    # so they can be shown; the real analyzer drops them.
    rows = [
        _Row(t.startchar, t.endchar, t.copy(), {first: t.text})
        for t in tokenize(text, chars=True, positions=True, removestops=False)
    ]
    for name, step in filters:
        rows = [after for row in rows for after in row.through(name, step)]
    return [
        {
            "start": row.start,
            "end": row.end,
            "original": text[row.start : row.end],
            "steps": row.history,
            "term": row.token.text if row.token else None,
        }
        for row in rows
    ]


@dataclass
class _Row:
    """One token on its way through the chain: where it is in the original text, the
    Whoosh token now (``None`` once stopped) and its text after each step so far."""

    start: int
    end: int
    token: Token | None
    history: dict

    def through(self, name, step):
        """The row(s) after ``step``. Tokens go through one at a time so that the parts
        of a split token stay tied to the word they came from; every step of the chain
        looks at one token alone, so the result is what the whole analyzer produces.
        Whoosh filters change and re-yield one Token object, hence the copies."""
        outputs = [t.copy() for t in step(iter([self.token.copy()]))] if self.token else []
        kept = [None if t.stopped else t for t in outputs] or [None]
        return [
            _Row(self.start, self.end, t, {**self.history, name: t.text if t else None})
            for t in kept
        ]
