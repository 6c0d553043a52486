"""The query language as readers write it: phrases, exclusions, alternatives, fields,
prefixes, fuzzy and exact forms, in Latin or Arabic operator words; how the query was
understood; and the limits that keep one query from holding the server.

Indexes: the 26 news articles of ``tests/data/news.jsonl`` (five outlets), the five seed
reports, and small collections written here, one article per behaviour.
"""

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import QueryError, SearchResult
from indexer.cli import cli
from indexer.search import limits
from indexer.search.query_language import exact_query


def ids(result):
    """Every article found, those folded under another report of their story included."""
    return {hit.id for hit in result.hits} | {d["id"] for hit in result.hits for d in hit.duplicates}


def all_ids(index, query):
    return ids(index.search(query, page_size=limits.MAX_PAGE_SIZE, group_duplicates=False))


WORDS = {
    "adjacent": ("لقاء", "التقى وزير الخارجية الروسي نظيره الصيني في بكين."),
    "apart": ("تصريحات", "نفت الخارجية أن يكون الوزير قد التقى وزير الدفاع."),
    "clitic_phrase": ("زيارة", "وصل ووزير الخارجية إلى موسكو صباحا."),
    "stop_between": ("معاهدة", "وقع البلدان اتفاق في الدفاع المشترك."),
    "coffee_sugar": ("مقهى", "يقدم المقهى قهوة بدون سكر لزبائنه."),
    "coffee_milk": ("إفطار", "شرب الضيف قهوة بالحليب."),
    "al_madaris": ("عطلة", "أغلقت المدارس أبوابها للعطلة."),
    "madaris": ("بناء", "بنيت مدارس كثيرة في الجنوب."),
    "hamza": ("مؤتمر", "أكد المتحدث أن الاجتماع كان ناجحا."),
}


@pytest.fixture(scope="module")
def words(open_collection):
    ix = open_collection("words", WORDS)
    yield ix
    ix.close()


# --- Phrases ------------------------------------------------------------------------------


def test_phrase_finds_the_words_side_by_side_only(words):
    assert {"adjacent", "apart", "clitic_phrase"} <= all_ids(words, "وزير الخارجية")
    assert all_ids(words, '"وزير الخارجية"') == {"adjacent", "clitic_phrase"}
    # Arabic quotation marks work the same way.
    assert all_ids(words, "«وزير الخارجية»") == {"adjacent", "clitic_phrase"}


def test_phrase_matches_through_stems_and_skips_stop_words(words):
    # "ووزير الخارجية" in the article, "وزير خارجية" in the query: the stems meet.
    assert "clitic_phrase" in all_ids(words, '"وزير خارجية"')
    # Stop words are not indexed, in the article or in the phrase.
    assert all_ids(words, '"اتفاق في الدفاع"') == {"stop_between"}
    assert all_ids(words, '"اتفاق الدفاع"') == {"stop_between"}
    assert all_ids(words, '"الدفاع اتفاق"') == set()


def test_phrase_is_highlighted_in_the_article(words):
    doc = words.document("adjacent", '"وزير الخارجية"')
    assert "<mark>وزير</mark> <mark>الخارجية</mark>" in doc["body_html"]


def test_phrase_understood(words):
    result = words.search('"وزير الخارجية"')
    assert result.understood == [
        {"word": "وزير الخارجية", "forms": ["وزير خارجيه", "وزير الخارجيه"], "exact": False,
         "field": None, "operator": "phrase"},
    ]


def test_unbalanced_quote_is_ignored(seeds):
    assert ids(seeds.search('"لافروف')) == ids(seeds.search("لافروف"))
    assert ids(seeds.search('لافروف "')) == ids(seeds.search("لافروف"))


# --- Exclusion ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["كيم -موسكو", "كيم بدون موسكو", "كيم ليس موسكو", "كيم NOT موسكو"])
def test_excluded_word_keeps_its_articles_out(news, query):
    with_kim = all_ids(news, "كيم")
    with_moscow = all_ids(news, "موسكو")
    assert with_kim & with_moscow  # the exclusion has something to remove
    assert all_ids(news, query) == with_kim - with_moscow


def test_excluded_word_is_not_highlighted_and_is_understood_as_not(seeds, news):
    doc = seeds.document("004_2b11dcb59984afc5", "كوريا -لافروف")
    assert "<mark>كوريا</mark>" in doc["body_html"] and "لافروف" in doc["body"]
    assert "<mark>لافروف" not in doc["body_html"]
    result = news.search("كوريا -لافروف")
    assert [(u["word"], u["operator"]) for u in result.understood] == [("كوريا", None), ("لافروف", "not")]


def test_only_excluded_words_get_a_message(news):
    with pytest.raises(QueryError, match="أضف كلمة"):
        news.search("-موسكو")
    with pytest.raises(QueryError, match="أضف كلمة"):
        news.search("NOT موسكو")


def test_arabic_not_words_are_words_where_they_cannot_be_operators(words, news):
    # Inside quotes: the phrase, not an exclusion.
    assert all_ids(words, '"قهوة بدون سكر"') == {"coffee_sugar"}
    # Unquoted between two terms: an exclusion.
    assert all_ids(words, "قهوة بدون سكر") == {"coffee_milk"}
    # Opening the query: a word (a stop word), so "ليس موسكو" is "موسكو".
    assert all_ids(news, "ليس موسكو") == all_ids(news, "موسكو")
    # Last in the query: nothing to exclude, a word.
    assert all_ids(news, "موسكو بدون") == all_ids(news, "موسكو")


def test_hyphen_inside_a_word_or_alone_excludes_nothing(news):
    assert all_ids(news, "USB-C") == all_ids(news, "USB C")
    assert all_ids(news, "آيفون - USB") == all_ids(news, "آيفون USB")


# --- Alternatives and grouping ------------------------------------------------------------


@pytest.mark.parametrize("operator", ["OR", "أو", "او"])
def test_either_word(news, operator):
    result = news.search(f"الهلال {operator} الملاريا", page_size=50, group_duplicates=False)
    assert ids(result) == all_ids(news, "الهلال") | all_ids(news, "الملاريا")
    assert result.mode == "all"


def test_lowercase_or_is_a_word_and_or_at_the_start_is_a_word(news):
    # "or" is a word, so both words (then either) are searched, never an error.
    assert news.search("الهلال or").understood[1]["word"] == "or"
    assert all_ids(news, "أو الهلال") == all_ids(news, "الهلال")


def test_grouping(news):
    expected = (all_ids(news, "موسكو") | all_ids(news, "بيونغ")) & all_ids(news, "لافروف")
    assert expected
    assert all_ids(news, "(موسكو أو بيونغ) لافروف") == expected
    assert all_ids(news, "لافروف (موسكو OR بيونغ)") == expected


def test_unbalanced_parentheses_are_ignored(news):
    assert all_ids(news, "((لافروف") == all_ids(news, "لافروف")
    assert all_ids(news, "لافروف))") == all_ids(news, "لافروف")


# --- Fields -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["عنوان:", "title:", "العنوان:", "TITLE:"])
def test_title_field(seeds, prefix):
    titled = {hit.id for hit in seeds.search("لافروف", group_duplicates=False).hits
              if "لافروف" in hit.title}
    assert titled and titled != all_ids(seeds, "لافروف")
    assert all_ids(seeds, prefix + "لافروف") == titled


def test_body_field(words):
    assert all_ids(words, "إفطار") == {"coffee_milk"}  # a title word
    assert all_ids(words, "نص:إفطار") == all_ids(words, "body:إفطار") == set()
    assert all_ids(words, "النص:قهوة") == {"coffee_sugar", "coffee_milk"}


@pytest.mark.parametrize("query", ["مصدر:الجزيرة", "source:الجزيرة", 'مصدر:"الجزيرة نت"', "المصدر:الجزيرة"])
def test_source_field_matches_an_outlet_by_its_words(news, query):
    result = news.search(f"{query} النفط", group_duplicates=False)
    assert result.hits
    assert {h.source for h in result.hits} == {"الجزيرة نت"}
    assert result.understood[0]["field"] == "source"
    assert result.understood[0]["forms"] == ["الجزيرة نت"]


def test_unknown_field_is_plain_text(seeds):
    # "path:" is not a field readers can search: the words are searched as text.
    result = seeds.search("path:seeds")
    assert result.total == 0
    assert result.understood[0]["forms"][:2] == ["path", "seed"]


# --- Prefix, fuzzy, exact -----------------------------------------------------------------


def test_prefix_finds_words_starting_so_normalized(news):
    assert all_ids(news, "مانش*") == all_ids(news, "مانشستر")
    # "آسي*" is normalized like the index ("اسي"), so the article's "آسيا" is found.
    result = news.search("آسي*")
    assert result.total > 0
    assert "اسيا" in result.understood[0]["forms"]
    assert result.understood[0]["operator"] == "prefix"


@pytest.mark.parametrize("query", ["*", "م*", "لافروف *", "-ك*", "ال*", "أل*", "الم*"])
def test_prefix_needs_two_letters(news, query):
    with pytest.raises(QueryError, match="النجمة"):
        news.search(query)


def test_prefix_after_the_article_needs_two_letters_too(news):
    assert all_ids(news, "المانش*") == all_ids(news, "المانشستر") != set()


def test_prefix_expansion_is_cut_to_the_most_frequent_words(news, monkeypatch):
    unlimited = news.search("كو*")
    assert len(unlimited.understood[0]["forms"]) > 3 and not unlimited.notices
    monkeypatch.setattr(limits, "MAX_EXPANSIONS", 3)
    result = news.search("كو*")
    forms = result.understood[0]["forms"]
    assert forms == unlimited.understood[0]["forms"][:3]
    assert result.notices and "كو*" in result.notices[0]


def test_fuzzy_finds_words_one_edit_away(news):
    assert all_ids(news, "النفظ") == set()
    assert all_ids(news, "النفظ~") == all_ids(news, "النفط")
    result = news.search("النفظ~")
    assert result.understood[0]["operator"] == "fuzzy"
    assert "النفط" in result.understood[0]["forms"]


def test_fuzzy_expansion_is_limited_too(news, monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANSIONS", 1)
    result = news.search("السعوديه~2")
    assert len(result.understood[0]["forms"]) == 1
    assert result.notices


def test_exact_form_switches_off_stemming(words):
    assert all_ids(words, "مدارس") == {"al_madaris", "madaris"}
    assert all_ids(words, "=مدارس") == {"madaris"}
    assert all_ids(words, "=المدارس") == {"al_madaris"}


def test_exact_form_still_normalizes(words):
    # Diacritics, tatweel and the hamza seat are spelling, not form.
    assert all_ids(words, "=مَدارِس") == {"madaris"}
    assert all_ids(words, "=مـدارس") == {"madaris"}
    assert all_ids(words, "=اكد") == {"hamza"}
    assert words.search("=مَدارِس").understood == [
        {"word": "مَدارِس", "forms": ["مدارس"], "exact": True, "field": None, "operator": None}
    ]


def test_exact_phrase(words):
    assert all_ids(words, '="وزير خارجية"') == set()
    assert all_ids(words, '="وزير الخارجية"') == {"adjacent"}


def test_exact_query_rewrites_plain_words():
    assert exact_query("الكتب") == "=الكتب"
    assert exact_query('الكتب -عنوان:روسيا "كيم جونج" أو مدرس* =كتاب') == (
        '=الكتب -عنوان:=روسيا ="كيم جونج" أو مدرس* =كتاب')
    assert exact_query("=كتاب") == "=كتاب"


def test_exact_query_of_a_query_finds_its_exact_forms(words):
    assert all_ids(words, exact_query("المدارس")) == {"al_madaris"}


# --- How the query was understood ---------------------------------------------------------


def test_understood_lists_stem_and_exact_form_of_each_word(words):
    result = words.search("بالمدارس في الجنوب")
    assert result.understood == [
        {"word": "بالمدارس", "forms": ["مدارس", "بالمدارس"], "exact": False, "field": None, "operator": None},
        {"word": "في", "forms": [], "exact": False, "field": None, "operator": None},
        {"word": "الجنوب", "forms": ["جنوب", "الجنوب"], "exact": False, "field": None, "operator": None},
    ]
    assert json.loads(json.dumps(result.to_dict()))["understood"] == result.understood


# --- Any string a reader can type ---------------------------------------------------------

ODD_QUERIES = [
    '"', '""', '"""', "«", "-", "--", "- -", "=", "==", "~", "*~", "()", ")(", "((((", "))))",
    ":", "عنوان:", "title:", "مصدر:", "OR", "NOT", "AND", "أو", "ليس", "بدون", "أو أو أو",
    "NOT NOT", "-(", "=(", '="', "لافروف~9", "لافروف~~", "ل~", "=-=-=-", "(" * 400, "-(" * 300,
    "؟؟", "...", "في من", "the of", "Lavrov لافروف", "kim كيم جونج un", "ﻻﻓﺮﻭﻑ", "١٢٣", "\u200f\u200e",
    "\t\n", "عنوان:(كيم أو لافروف)", "-=لافروف كيم", "مصدر:\"\"", "لافروف OR", "OR لافروف",
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_any_typed_string_gives_results_or_a_message(seeds, query):
    try:
        result = seeds.search(query)
    except QueryError as e:
        assert re.search("[\u0621-\u064a]", str(e)), "messages are Arabic"
        return
    assert isinstance(result, SearchResult)
    json.dumps(result.to_dict())


# Operators, quotes, field names and letters, in any order: what a reader could type.
QUERY_PIECES = st.lists(
    st.sampled_from(['"', "«", "»", "(", ")", "-", "=", "*", "~", "~2", ":", " ", "OR", "NOT", "AND",
                     "أو", "ليس", "بدون", "عنوان:", "مصدر:", "title:", "لافروف", "كيم", "ال", "م",
                     "في", "kcna", "٢٠٢٥", "؟", "ـ", "َ"]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, database=None)
@given(QUERY_PIECES)
def test_property_any_mix_of_operators_gives_results_or_an_arabic_message(seeds, query):
    try:
        result = seeds.search(query)
    except QueryError as e:
        assert re.search("[\u0621-\u064a]", str(e))
        return
    json.dumps(result.to_dict())
    assert result.total == 0 or result.hits


def test_mixed_arabic_and_latin_words(seeds):
    assert all_ids(seeds, "KCNA لافروف") == all_ids(seeds, "kcna") & all_ids(seeds, "لافروف")


def test_deep_nesting_is_read_as_text(seeds):
    assert all_ids(seeds, "(" * 400 + "لافروف" + ")" * 400) == all_ids(seeds, "لافروف")


# --- Limits -------------------------------------------------------------------------------


def test_number_of_words_is_limited(seeds):
    assert seeds.search(" ".join(["لافروف"] * limits.MAX_TERMS)).total > 0
    with pytest.raises(QueryError, match="كلمات الاستعلام كثيرة"):
        seeds.search(" ".join(["لافروف"] * (limits.MAX_TERMS + 1)))
    # Words inside a phrase count too.
    with pytest.raises(QueryError, match="كلمات الاستعلام كثيرة"):
        seeds.search('"' + " ".join(["لافروف"] * (limits.MAX_TERMS + 1)) + '"')


def test_page_depth_is_limited(seeds):
    assert seeds.search("لافروف", page=limits.MAX_PAGE).hits == []
    with pytest.raises(QueryError, match="الصفحة"):
        seeds.search("لافروف", page=limits.MAX_PAGE + 1)


def test_page_size_is_limited(seeds):
    assert seeds.search("لافروف", page_size=limits.MAX_PAGE_SIZE).total == 5
    with pytest.raises(QueryError, match="نتيجة في الصفحة"):
        seeds.search("لافروف", page_size=limits.MAX_PAGE_SIZE + 1)


def test_search_past_its_time_budget_is_stopped_with_a_message(seeds, monkeypatch):
    assert seeds.search("لافروف").total == 5
    monkeypatch.setattr(limits, "SEARCH_TIME_BUDGET_S", 0.0)
    with pytest.raises(QueryError, match="وقتًا أطول"):
        seeds.search("لافروف")


# --- Batch mode and command line ----------------------------------------------------------


def test_batch_questions_read_arabic_not_words_as_words(news):
    # "كيم بدون موسكو" typed in the box excludes موسكو; as a question in a batch run
    # (all words optional) "بدون" is part of the sentence.
    ranked = {doc for doc, _ in news.ranked_ids("كيم بدون موسكو", limit=50)}
    assert all_ids(news, "موسكو") <= ranked
    assert not all_ids(news, "كيم بدون موسكو") & all_ids(news, "موسكو")


def test_command_line_search_speaks_the_same_language(seed_index_dir, seeds):
    query = 'عنوان:لافروف -"بيونغ يانغ"'
    out = CliRunner().invoke(cli, ["search", query, "--index", str(seed_index_dir), "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    expected = seeds.search(query)
    assert [h["id"] for h in printed["hits"]] == [h.id for h in expected.hits]
    assert printed["understood"] == expected.understood


def test_command_line_prints_the_arabic_message_for_a_refused_query(seed_index_dir):
    out = CliRunner().invoke(cli, ["search", "*", "--index", str(seed_index_dir)])
    assert out.exit_code == 2
    assert "النجمة" in out.output
