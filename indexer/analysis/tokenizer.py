"""Tokenization: Arabic words (with their diacritics, tatweel and joiners inside),
Latin words and numbers, each with its character offsets in the original text."""

from whoosh.analysis import RegexTokenizer

# A word is a run of letters or digits (any script, presentation forms included) that
# may carry combining marks (harakat, Quranic signs), tatweel or zero-width joiners.
# Digits joined by a decimal or thousands separator stay one number (``2,5``, ``١٬٠٠٠``).
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_WORD = rf"(?:[^\W_]|[{_MARKS}])+"
_NUMBER_JOIN = r"(?:(?<=\d)[.,\u066b\u066c](?=\d)(?:[^\W_])+)*"
TOKEN_PATTERN = _WORD + _NUMBER_JOIN


class ArabicTokenizer(RegexTokenizer):
    """``[(t.text, t.startchar) for t in ArabicTokenizer()("قال: KCNA ٢٠٢٥", chars=True)]``
    -> ``[("قال", 0), ("KCNA", 5), ("٢٠٢٥", 10)]``.

    Whoosh's query parser splits queries on spaces only and hands each piece over with
    ``tokenize=False``; we tokenize anyway, so ``خاشقجي؟`` in a query is the word
    ``خاشقجي`` and not a term no document has."""

    def __init__(self):
        super().__init__(TOKEN_PATTERN)

    def __call__(self, value, tokenize=True, **kwargs):
        return super().__call__(value, tokenize=True, **kwargs)
