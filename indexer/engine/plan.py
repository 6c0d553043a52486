"""The neutral query plan: what to match, in terms our analysis produced.

The query language compiles to these nodes; each engine turns them into its own query
(``whoosh_engine``, ``tantivy_engine``). Terms are index terms already (stemmed, exact or
transliteration keys), so an engine never analyzes anything: our analysis stays ours.

| node | matches |
| --- | --- |
| ``Term(field, text, boost)`` | documents holding the term in the field |
| ``Phrase(field, words, boost)`` | the words at consecutive positions (stop words were dropped and positions renumbered at index and query time alike) |
| ``AnyOf(children)`` | any child; scores add up |
| ``AllOf(children)`` | every child |
| ``Exclude(positive, excluded)`` | ``positive`` without what ``excluded`` matches |
| ``NOTHING`` | no document |
| ``EVERYTHING`` | every document (the collection at a glance) |
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    field: str
    words: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    children: tuple


@dataclass(frozen=True)
class AllOf:
    children: tuple


@dataclass(frozen=True)
class Exclude:
    positive: object
    excluded: object


class _Nothing:
    def __repr__(self):
        return "NOTHING"


NOTHING = _Nothing()


class _Everything:
    def __repr__(self):
        return "EVERYTHING"


EVERYTHING = _Everything()


def _flat(kind, children):
    """The children with nested nodes of the same kind spliced in and repeats dropped
    (as Whoosh's and Lucene's query rewriting do: a repeated clause would count twice)."""
    out = []
    for child in children:
        for c in (child.children if isinstance(child, kind) else (child,)):
            if c is not NOTHING and c not in out:
                out.append(c)
    return tuple(out)


def any_of(children):
    """``AnyOf`` of the children that can match; one child is itself."""
    children = _flat(AnyOf, children)
    if not children:
        return NOTHING
    return children[0] if len(children) == 1 else AnyOf(children)


def all_of(children):
    """``AllOf`` of the children; one child is itself. A child that can match nothing (a
    prefix no word starts with) is left out, as Whoosh and Lucene drop empty clauses."""
    children = _flat(AllOf, children)
    if not children:
        return NOTHING
    return children[0] if len(children) == 1 else AllOf(children)


def exclude(positive, excluded):
    excluded = any_of(excluded)
    if positive is NOTHING or excluded is NOTHING:
        return positive
    return Exclude(positive, excluded)


def positive_part(node):
    """``node`` without what it excludes: the terms to highlight (``-موسكو`` marks nothing)."""
    if isinstance(node, Exclude):
        return positive_part(node.positive)
    if isinstance(node, AnyOf):
        return any_of(positive_part(c) for c in node.children)
    if isinstance(node, AllOf):
        return all_of(positive_part(c) for c in node.children)
    return node


def terms(node):
    """Every ``(field, text)`` the plan searches, excluded ones too."""
    if isinstance(node, Term):
        return {(node.field, node.text)}
    if isinstance(node, Phrase):
        return {(node.field, word) for word in node.words}
    if isinstance(node, (AnyOf, AllOf)):
        return set().union(*(terms(c) for c in node.children))
    if isinstance(node, Exclude):
        return terms(node.positive) | terms(node.excluded)
    return set()


def has_several_parts(node):
    """Whether the plan joins several words (or groups), so "any of them" differs from
    "all of them"; excluded words stay excluded either way."""
    if isinstance(node, Exclude):
        node = node.positive
    return isinstance(node, AllOf) and len(node.children) > 1
