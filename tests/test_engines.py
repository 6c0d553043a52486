"""The engine boundary's contract: the same articles, built by each engine, answer every
kind of query alike. Whoosh and tantivy score BM25 alike but not to the last digit, so
rankings are compared as the stories a reader sees on the page and their totals, not as
scores."""

from datetime import date
from pathlib import Path

import pytest

from indexer import SearchIndex, build_index
from indexer.engine import ENGINES

NEWS = Path(__file__).resolve().parent / "data" / "news.jsonl"

QUERIES = [
    "كيم جونغ",                       # two words, both transliterations
    "كيم جونج",
    "لافروف",
    '"كوريا الشمالية"',               # phrase
    "النفط -أوبك",                    # exclusion
    "موسكو أو بكين",                  # either word
    "عنوان:العراق",                   # one field
    "مصدر:الجزيرة",                   # outlet
    "دبلوماس*",                       # prefix
    "البصره~",                        # fuzzy
    "=العراق",                        # exact form
    "والمدارس",                       # clitics
    "حرارة العراق البصرة",
    "الهلال مانشستر",
    "قال",                            # a frequent word: long result list
    "في",                             # only a stop word
]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    opened = {}
    for name in ENGINES:
        root = tmp_path_factory.mktemp(f"contract-{name}") / "index"
        build_index([NEWS], root, engine_name=name)
        opened[name] = SearchIndex(root)
    yield opened
    for index in opened.values():
        index.close()


def answer(index, query, **options):
    result = index.search(query, page_size=10, **options)
    return {
        "total": result.total,
        "mode": result.mode,
        # Which report of a story leads may differ: tantivy stores field lengths in one
        # byte, so near-equal scores can swap. The stories a reader sees may not.
        "stories": {frozenset({hit.id, *(d["id"] for d in hit.duplicates)}) for hit in result.hits},
        "facets": result.facets,
        "understood": result.understood,
        "suggestion": result.suggestion,
    }


@pytest.mark.parametrize("query", QUERIES)
def test_every_engine_answers_a_query_alike(indexes, query):
    answers = {name: answer(index, query) for name, index in indexes.items()}
    whoosh = answers.pop("whoosh")
    for name, other in answers.items():
        assert other == whoosh, name


@pytest.mark.parametrize("options", [
    {"source": "الجزيرة نت"},
    {"date_from": date(2025, 7, 1), "date_to": date(2025, 7, 31)},
    {"sort": "newest"},
])
def test_filters_and_sort_agree(indexes, options):
    answers = {name: answer(index, "العراق OR كيم OR النفط", **options) for name, index in indexes.items()}
    whoosh = answers.pop("whoosh")
    for name, other in answers.items():
        assert other == whoosh, name


def test_newest_first_orders_alike(indexes):
    orders = {name: [hit.id for hit in index.search("في OR قال OR العراق", page_size=30, sort="newest",
                                                    group_duplicates=False).hits]
              for name, index in indexes.items()}
    dates = {name: [index.document(i)["published"] for i in order] for (name, order), index in
             zip(orders.items(), indexes.values())}
    whoosh = dates.pop("whoosh")
    for name, other in dates.items():
        assert other == whoosh, name
    assert whoosh == sorted((d for d in whoosh if d), reverse=True) + [None] * whoosh.count(None)


def test_documents_completions_and_related_articles_agree(indexes):
    for doc_id in ("003_58cafd3a0bd33588", "opec-cut-bbc", "iraq-heat-aawsat"):
        documents = {name: index.document(doc_id, "العراق كيم") for name, index in indexes.items()}
        related = {name: [frozenset({hit.id, *(d["id"] for d in hit.duplicates)}) for hit in index.more_like_this(doc_id)]
                   for name, index in indexes.items()}
        whoosh_doc, whoosh_related = documents.pop("whoosh"), related.pop("whoosh")
        for name in documents:
            assert documents[name] == whoosh_doc, (name, doc_id)
            assert set(related[name]) == set(whoosh_related), (name, doc_id)
    completions = {name: index.complete("كيم لاف") for name, index in indexes.items()}
    assert len(set(map(tuple, completions.values()))) == 1 and completions["whoosh"] == ["كيم لافروف"]
