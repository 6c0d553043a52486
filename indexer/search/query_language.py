"""The query language readers type, shared by the page, the JSON API and the command line.

| syntax | meaning |
| --- | --- |
| ``كيم لافروف`` | all words (then any of them when no article has them all) |
| ``"كيم جونج"`` / ``«كيم جونج»`` | the words next to each other, in this order |
| ``-موسكو``, ``بدون موسكو``, ``ليس موسكو``, ``NOT موسكو`` | articles without the word |
| ``موسكو OR بكين``, ``موسكو أو بكين`` | either word |
| ``(موسكو أو بكين) لافروف`` | grouping |
| ``عنوان:لافروف``, ``title:``, ``نص:``/``body:``, ``مصدر:``/``source:`` | one field |
| ``مدرس*``, ``المدر*`` | words starting so (two letters before ``*`` besides an article ``ال``) |
| ``لافرف~``, ``لافرف~2`` | words one (two) letter edits away |
| ``=كتاب``, ``="كيم جونج"`` | this form only: no stemming, still normalized |

Arabic operator words are ordinary words too, so they act as operators only outside
quotes and in operator position: ``أو`` between two terms, ``ليس``/``بدون`` after a term
and before another (``قهوة بدون سكر``; a query starting with ``ليس`` searches the word).
Latin ``OR``, ``NOT``, ``AND`` act only in capitals. Anything else is text: an unmatched
quote or parenthesis is ignored, ``path:x`` is the words ``path`` and ``x``, a lone ``-``
is punctuation. ``parse`` never fails on what a reader can type; ``Compiler`` raises
``QueryError`` only for a query over a limit or one that only excludes words.
"""

import re
from dataclasses import dataclass, field

from indexer.analysis.chars import arabic_digits
from indexer.analysis.questions import question_positions
from indexer.engine import plan
from indexer.indexing.schema import EXACT_FIELDS, STEMMED_FIELDS, TRANSLITERATION_FIELDS
from indexer.search import limits
from indexer.search.limits import QueryError

QUOTES = '"“”«»„'
FIELD_NAMES = {
    "title": "title", "عنوان": "title", "العنوان": "title",
    "body": "body", "نص": "body", "النص": "body",
    "source": "source", "مصدر": "source", "المصدر": "source",
}
# Latin operators count in capitals only (as in Whoosh and Lucene): "or" is a word.
OR_WORDS = {"OR", "أو", "او"}
NOT_WORDS = {"NOT", "ليس", "بدون"}
AND_WORDS = {"AND"}
ARABIC_OPERATORS = {"أو", "او", "ليس", "بدون"}
# ``word*``, ``word~``, ``word~2``; a trailing "?" or "؟" stays punctuation.
_SUFFIX = re.compile(r"(?P<text>.*?)(?:(?P<star>\*+)|~(?P<dist>\d?))$", re.S)
MAX_FUZZY_EDITS = 2
# Groups and operators nested deeper than this are read as plain text.
MAX_NESTING = 20


@dataclass
class Token:
    kind: str  # "(", ")", "-", "=", "field", "phrase", "word"
    value: str
    start: int


@dataclass
class Word:
    typed: str
    text: str
    field: str | None = None
    exact: bool = False
    prefix: bool = False
    fuzzy: int = 0


@dataclass
class Phrase:
    typed: str
    text: str
    field: str | None = None
    exact: bool = False


@dataclass
class Not:
    child: object


@dataclass
class AnyOf:
    children: list


@dataclass
class AllOf:
    children: list = field(default_factory=list)


def tokenize(text):
    """The query's tokens with their offsets; unmatched quotes are dropped."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(Token(c, c, i))
            i += 1
        elif c in QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in QUOTES), None)
            if end is not None:
                tokens.append(Token("phrase", text[i + 1:end], i))
                i = end + 1
            else:
                i += 1
        elif c in "-=" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-":
            tokens.append(Token(c, c, i))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()" and text[j] not in QUOTES:
                j += 1
            piece = text[i:j]
            name, colon, rest = piece.partition(":")
            followed = rest or (j < n and (text[j] in QUOTES or text[j] == "("))
            if colon and name.lower() in FIELD_NAMES and followed:
                tokens.append(Token("field", FIELD_NAMES[name.lower()], i))
                i += len(name) + 1
            else:
                tokens.append(Token("word", piece, i))
                i = j
    return tokens


class _Parser:
    def __init__(self, tokens, operator_words):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.operator_words = operator_words

    def peek(self, offset=0):
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def _word_in(self, token, words):
        if token is None or token.kind != "word" or token.value not in words:
            return False
        return self.operator_words or token.value not in ARABIC_OPERATORS

    def _starts_term(self, offset):
        token = self.peek(offset)
        if token is None or token.kind == ")":
            return False
        return not self._word_in(token, OR_WORDS | AND_WORDS)

    def parse(self):
        items = []
        while self.peek() is not None:
            if self.peek().kind == ")":
                self.pos += 1  # unmatched ")": ignored
                continue
            items.append(self.or_expr())
        return items[0] if len(items) == 1 else AllOf(items)

    def or_expr(self):
        branches = [self.and_expr()]
        while self._word_in(self.peek(), OR_WORDS) and branches[-1].children and self._starts_term(1):
            self.pos += 1
            branches.append(self.and_expr())
        return branches[0] if len(branches) == 1 else AnyOf(branches)

    def and_expr(self):
        items = []
        while (token := self.peek()) is not None and token.kind != ")":
            if items and self._word_in(token, OR_WORDS) and self._starts_term(1):
                break
            if items and self._word_in(token, AND_WORDS) and self._starts_term(1):
                self.pos += 1
                continue
            items.append(self.unary(has_term_before=bool(items)))
        return AllOf(items)

    def unary(self, has_term_before):
        negated = False
        while (token := self.peek()) is not None:
            if token.kind == "-":
                negated = not negated
            elif self._word_in(token, NOT_WORDS) and self._starts_term(1) and (
                # ليس/بدون open a query as words ("ليس من ..."); NOT may (and then excludes).
                token.value == "NOT" or has_term_before
            ):
                negated = not negated
            else:
                break
            self.pos += 1
        node = self.atom()
        return Not(node) if negated else node

    def atom(self, field=None, exact=False):
        self.depth += 1
        try:
            return self._atom(field, exact)
        finally:
            self.depth -= 1

    def _atom(self, field, exact):
        token = self.peek()
        if token is None or token.kind == ")":
            return AllOf()
        self.pos += 1
        # Past this depth operators are dropped, so no typed string exhausts the stack.
        while self.depth > MAX_NESTING and token.kind in ("(", "-", "=", "field"):
            token = self.peek()
            if token is None or token.kind == ")":
                return AllOf()
            self.pos += 1
        if token.kind == "(":
            node = self.or_expr()
            if self.peek() is not None and self.peek().kind == ")":
                self.pos += 1
            return _apply(node, field, exact)
        if token.kind == "field":
            return self.atom(token.value, exact)
        if token.kind == "=":
            return self.atom(field, True)
        if token.kind == "phrase":
            return Phrase(token.value, token.value, field, exact)
        if token.kind == "-":
            return Not(self.atom(field, exact))
        return _word(token.value, field, exact)


def _word(piece, field, exact):
    m = _SUFFIX.match(piece)
    if m is None:
        return Word(piece, piece, field, exact)
    if m.group("star"):
        return Word(piece, m.group("text"), field, exact, prefix=True)
    edits = min(int(m.group("dist") or 1), MAX_FUZZY_EDITS)
    return Word(piece, m.group("text"), field, exact, fuzzy=max(edits, 1))


def _apply(node, field, exact):
    """A field or ``=`` written before a group applies to every term in it."""
    if field is None and not exact:
        return node
    if isinstance(node, (Word, Phrase)):
        node.field = node.field or field
        node.exact = node.exact or exact
    elif isinstance(node, Not):
        _apply(node.child, field, exact)
    else:
        for child in node.children:
            _apply(child, field, exact)
    return node


def parse(text, operator_words=True):
    """The query's syntax tree. ``operator_words=False`` reads the Arabic operator words
    as words (natural-language questions, where ``ليس`` is a negation in the sentence)."""
    return _Parser(tokenize(text), operator_words).parse()


def leaves(node):
    if isinstance(node, (Word, Phrase)):
        yield node
    elif isinstance(node, Not):
        yield from leaves(node.child)
    else:
        for child in node.children:
            yield from leaves(child)


def word_count(node):
    return sum(len(leaf.text.split()) if isinstance(leaf, Phrase) else 1 for leaf in leaves(node))


def exact_query(text):
    """``text`` with each plain word and phrase asked for in its exact form (``=word``):
    ``exact_query('الكتب -عنوان:روسيا "كيم جونج"')`` -> ``'=الكتب -عنوان:=روسيا ="كيم جونج"'``.
    Operator words, ``word*``, ``word~`` and words already exact are left as typed."""
    tokens = tokenize(text)
    out, last = [], 0
    for i, token in enumerate(tokens):
        already = i > 0 and tokens[i - 1].kind == "="
        if token.kind == "word":
            plain = (_SUFFIX.match(token.value) is None and token.value not in OR_WORDS | NOT_WORDS | AND_WORDS)
        else:
            plain = token.kind == "phrase"
        if plain and not already:
            out.append(text[last:token.start] + "=")
            last = token.start
    return "".join(out) + text[last:]


# --- From syntax tree to a query plan ------------------------------------------------------


def _family(fields, field):
    """The searchable fields of one reader-facing field ("title" -> title, title_exact, ...)."""
    return [name for name in fields if field is None or name == field or name.startswith(field + "_")]


class Compiler:
    """Turns a syntax tree into an engine-neutral query plan (``engine.plan``) for one
    index, recording what each term was searched as (``understood``) and where a limit
    cut an expansion (``notices``). ``analysis`` analyzes the words as the documents
    were; ``lexicon`` (the index's vocabulary) expands ``word*``, ``word~`` and outlets.

    ``group`` joins juxtaposed terms: ``plan.all_of`` (all words) or ``plan.any_of``."""

    def __init__(self, analysis, lexicon, group=plan.all_of):
        self.analysis = analysis
        self.lexicon = lexicon
        self.boosts = analysis.fields
        self.group = group
        self.understood = []
        self.notices = []
        self._questions = set()

    def compile(self, tree):
        limits.check_terms(word_count(tree))
        self._questions = self._question_words(tree)
        positive, negatives = self._node(tree, negated=False)
        if positive is None:
            if negatives:
                raise QueryError("أضف كلمة تبحث عنها مع الكلمات المستبعدة.")
            return plan.NOTHING
        return plan.exclude(positive, negatives)

    def _node(self, node, negated):
        """``(plan or None, [excluded plans])``."""
        if isinstance(node, Not):
            excluded, _ = self._node(node.child, negated=True)
            return None, [excluded] if excluded is not None else []
        if isinstance(node, Word):
            return self._word(node, negated), []
        if isinstance(node, Phrase):
            return self._phrase(node, negated), []
        parts = [self._node(child, negated) for child in node.children]
        if isinstance(node, AnyOf):
            branches = [plan.exclude(positive, negatives) for positive, negatives in parts if positive is not None]
            return (plan.any_of(branches) if branches else None), []
        positives = [p for p, _ in parts if p is not None]
        negatives = [n for _, ns in parts for n in ns]
        if not positives:
            return None, negatives
        return self.group(positives), negatives

    def _question_words(self, tree):
        """The plain words of ``tree`` that only ask (``analysis.questions``), unless
        they are all it has: ``ما اسم عاصمة فرنسا`` searches ``عاصمة فرنسا``."""
        plain = [leaf for leaf in leaves(tree)
                 if isinstance(leaf, Word) and not (leaf.exact or leaf.field or leaf.prefix or leaf.fuzzy)]
        asking = {id(plain[i]) for i in question_positions(["".join(self.analysis.words(leaf.text)) for leaf in plain])}
        searched = [leaf for leaf in leaves(tree) if id(leaf) not in asking and self._searchable(leaf)]
        return asking if searched else set()

    def _searchable(self, leaf):
        return not isinstance(leaf, Word) or leaf.prefix or leaf.fuzzy or leaf.field == "source" or any(
            self.analysis.terms(name, leaf.text) for name in self._fields(leaf))

    def _note(self, leaf, forms, negated, operator):
        self.understood.append({
            "word": leaf.typed,
            "forms": list(dict.fromkeys(forms)),
            "exact": leaf.exact,
            "field": leaf.field,
            "operator": "not" if negated else operator,
        })

    def _fields(self, leaf, kinds=None):
        names = _family(self.boosts, leaf.field)
        if leaf.exact and any(name in EXACT_FIELDS for name in names):
            names = [name for name in names if name in EXACT_FIELDS]
        if kinds is not None:
            names = [name for name in names if name in kinds]
        return names

    def _word(self, leaf, negated):
        if leaf.field == "source":
            return self._source(leaf, negated)
        if leaf.prefix or leaf.fuzzy:
            return self._expansion(leaf, negated)
        if id(leaf) in self._questions:
            self._note(leaf, [], negated, None)
            return None
        per_field, forms = [], []
        for name in self._fields(leaf):
            texts = self.analysis.terms(name, leaf.text)
            if not texts:
                continue
            per_field.append(self.group([plan.Term(name, t, self.boosts[name]) for t in texts]))
            if name not in TRANSLITERATION_FIELDS:
                forms.extend(texts)
        self._note(leaf, forms, negated, None)
        return plan.any_of(per_field) if per_field else None

    def _phrase(self, leaf, negated):
        if leaf.field == "source":
            return self._source(leaf, negated)
        per_field, forms = [], []
        for name in self._fields(leaf, kinds=STEMMED_FIELDS + EXACT_FIELDS):
            # Stop words are dropped and positions renumbered at index and query time
            # alike, so "اتفاق في الدفاع" and "اتفاق الدفاع" are the same phrase.
            words = self.analysis.terms(name, leaf.text)
            if not words:
                continue
            forms.append(" ".join(words))
            if len(words) == 1:
                per_field.append(plan.Term(name, words[0], self.boosts[name]))
            else:
                per_field.append(plan.Phrase(name, tuple(words), self.boosts[name]))
        self._note(leaf, forms, negated, "phrase")
        return plan.any_of(per_field) if per_field else None

    def _expansion(self, leaf, negated):
        words = self.analysis.words(leaf.text)
        if len(words) > 1:
            # "الأمم-المتح*" is not one word: its words are searched as typed.
            return self._word(Word(leaf.typed, leaf.text, leaf.field, leaf.exact), negated)
        text = words[0] if words else ""
        if leaf.prefix:
            limits.check_prefix(text)
        elif not text:
            self._note(leaf, [], negated, "fuzzy")
            return None
        found = {}
        for name in self._fields(leaf, kinds=STEMMED_FIELDS + EXACT_FIELDS):
            field_text = text
            if name in STEMMED_FIELDS:
                # Stems have lost the article: "المانش*" is "مانش*" there.
                field_text = text.removeprefix(limits.ARTICLE) if leaf.prefix else _single(
                    self.analysis.terms(name, leaf.text), text)
            if leaf.prefix:
                terms = self.lexicon.expand_prefix(name, field_text)
            else:
                terms = self.lexicon.terms_within((name,), field_text, leaf.fuzzy)
            for term in terms:
                found.setdefault(term, {})[name] = self.lexicon.doc_frequency(name, term)
        ranked = sorted(found, key=lambda t: (-sum(found[t].values()), t))
        if len(ranked) > limits.MAX_EXPANSIONS:
            self.notices.append(
                f"«{leaf.typed}» تطابق كلمات كثيرة؛ بحثنا عن أكثر {arabic_digits(limits.MAX_EXPANSIONS)} منها شيوعًا."
            )
            ranked = ranked[: limits.MAX_EXPANSIONS]
        self._note(leaf, ranked, negated, "prefix" if leaf.prefix else "fuzzy")
        return plan.any_of(plan.Term(name, term, self.boosts[name]) for term in ranked for name in found[term])

    def _source(self, leaf, negated):
        """Sources whose name contains the typed words (``مصدر:الجزيرة`` is "الجزيرة نت")."""
        wanted = set(self.analysis.words(leaf.text))
        names = [name for name in self.lexicon.expand_prefix("source", "")
                 if wanted and wanted <= set(self.analysis.words(name))]
        self._note(leaf, names, negated, None)
        return plan.any_of(plan.Term("source", name) for name in names)


def _single(words, default):
    return words[0] if len(words) == 1 else default
