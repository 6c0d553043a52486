"""Properties that must hold for any text, checked on generated input (Hypothesis):
the analysis never raises, its offsets point into the text in order, its one-pass fast
path gives what the chains give, normalizing twice changes nothing, and any query string
gets an answer (never a server error)."""

from contextlib import closing
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import webui
from indexer import QueryError, SearchIndex
from indexer.analysis import exact_analyzer, stemming_analyzer
from indexer.analysis.analyzers import transliteration_analyzer
from indexer.analysis.fields import DocumentAnalyzer
from indexer.analysis.normalize import normalize
from indexer.analysis.tokenizer import ArabicTokenizer
from indexer.indexing.schema import Analysis

# Each example is cheap; these counts keep the file well under a minute on a busy machine.
ANALYSIS = settings(max_examples=300, deadline=None, database=None)
HTTP = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def block(first, last):
    return st.characters(min_codepoint=first, max_codepoint=last, exclude_categories=["Cs"])


# Text as Arabic writers produce it, and worse: the Arabic blocks (letters, marks, digits,
# Quranic signs, supplement, extended-A, presentation forms A and B), Latin, digits and
# punctuation, any combining mark, joiners and direction marks, and now and then any
# character at all (surrogates excluded: they cannot be encoded).
CHARACTERS = st.one_of(
    block(0x0600, 0x06FF),
    block(0x0750, 0x077F),
    block(0x08A0, 0x08FF),
    block(0xFB50, 0xFDFF),
    block(0xFE70, 0xFEFF),
    block(0x20, 0x7E),
    st.characters(categories=["Mn", "Mc", "Me"]),
    st.sampled_from("\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202e\u2066\u2067\u2069 \n\t\u00a0"),
    st.characters(exclude_categories=["Cs"]),
)
# A few letters, accents and the marks, joiners and tatweel the analysis deletes, densely
# mixed: where deleting one character brings two others together.
CLOSE_QUARTERS = st.sampled_from("aeinoucAEIOUC\u0300\u0301\u0302\u0308\u0327\u0610\u064b\u0651\u0653\u0654"
                                 "\u0670\u0640\u200c\u200d\u06e5اأويىةه ")
TEXT = st.one_of(st.text(CHARACTERS, max_size=80), st.text(CLOSE_QUARTERS, max_size=12))
ARABIC_WORDS = st.lists(st.sampled_from(["لافروف", "كيم", "جونغ", "أون", "بيونغ", "يانغ", "وزير", "الخارجية",
                                         "الروسي", "كوريا", "الشمالية", "٢٠٢٥", "KCNA"]), max_size=4).map(" ".join)
QUERY = st.one_of(TEXT, ARABIC_WORDS, st.tuples(ARABIC_WORDS, TEXT).map(" ".join))

ANALYZERS = {
    "stemmed": stemming_analyzer(),
    "exact": exact_analyzer(),
    "transliteration": transliteration_analyzer(),
}


def tokens(analyzer, text, mode="index"):
    # Whoosh reuses one Token object: copy what each one says as it goes by.
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode=mode)]


@ANALYSIS
@given(TEXT)
def test_tokenizer_offsets_are_the_words_of_the_text_in_order(text):
    previous_end = 0
    for word, _, start, end in tokens(ArabicTokenizer(), text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == word
        previous_end = end


@ANALYSIS
@given(TEXT)
def test_analyzers_never_raise_and_keep_offsets_inside_the_text_in_order(text):
    for name, analyzer in ANALYZERS.items():
        for mode in ("index", "query"):
            previous = (0, 0)
            for term, pos, start, end in tokens(analyzer, text, mode):
                assert term, (name, text)
                assert 0 <= start < end <= len(text), (name, text)
                assert (pos, start) >= previous, (name, text)
                previous = (pos, start)


FAST = DocumentAnalyzer(Analysis())


@ANALYSIS
@given(st.one_of(TEXT, QUERY))
@example("والمدارسُ في بيروت وبتلغرام ٢٠٢٥")
def test_the_one_pass_analysis_gives_what_the_chains_give(text):
    """Indexing, the re-ranker and story signatures analyze through ``DocumentAnalyzer``'s
    fast path; queries and highlighting through the chains. They must agree."""
    found = FAST.analyze(text)
    assert found == FAST._by_chains(text)
    assert FAST.terms(text) == {kind: [t[0] for t in tokens] for kind, tokens in found.items()}


@ANALYSIS
@given(TEXT)
@example("e\u0610\u0301")  # a Quranic mark between a letter and its accent
@example("a\u0640\u0301")  # tatweel there
def test_normalizing_twice_changes_nothing(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.fixture(scope="module")
def index(seed_index_dir):
    with closing(SearchIndex(seed_index_dir)) as opened:
        yield opened


@ANALYSIS
@given(QUERY)
def test_any_query_runs_or_says_why_not(index, text):
    try:
        result = index.search(text)
    except QueryError as e:
        assert str(e).strip()
        return
    assert result.total >= len(result.hits)


@pytest.fixture(scope="module")
def client(seed_index_dir):
    # TESTING: a bug raises here, with its traceback, instead of becoming a 500 page.
    return webui.create_app({"TESTING": True}, index_dir=seed_index_dir).test_client()


ANSWERS = (200, 302, 400, 404)


@HTTP
@given(QUERY)
def test_any_query_string_gets_a_page_or_a_clear_error(client, q):
    for route in ("/", "/api/search", "/api/suggest", "/doc/004_2b11dcb59984afc5"):
        response = client.get(route, query_string={"q": q})
        assert response.status_code in ANSWERS, (route, q)
        if route.startswith("/api/search") and response.status_code == 400:
            assert response.get_json()["error"].strip()


@HTTP
@given(TEXT)
def test_any_document_id_gets_the_article_or_not_found(client, doc_id):
    response = client.get("/doc/" + quote(doc_id, safe=""), query_string={"q": "لافروف"})
    assert response.status_code in (200, 308, 404), doc_id
