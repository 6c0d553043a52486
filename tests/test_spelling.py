"""Did you mean: when a query finds little, a corrected query from the index's own words,
in the spelling the articles use, and only when the correction finds more."""

from array import array

import pytest

from indexer import SearchIndex, build_index
from indexer.indexing.lexicon import Lexicon
from indexer.search.spelling import edit_cost, from_keyboard

# Thirty articles write "الاقتصاد", one swaps two letters: "الاقصتاد".
ECONOMY = {f"economy_{n}": (f"تقرير {n}", f"نما الاقتصاد في الربع رقم {n} من العام.") for n in range(30)}
ECONOMY["slip"] = ("مقال", "تراجع الاقصتاد المحلي هذا العام.")


@pytest.fixture(scope="module")
def economy(tmp_path_factory, engine_name):
    src = tmp_path_factory.mktemp("economy")
    for doc_id, (title, body) in ECONOMY.items():
        (src / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    root = tmp_path_factory.mktemp("economy-index") / "index"
    build_index([src], root, engine_name=engine_name)
    ix = SearchIndex(root)
    yield ix
    ix.close()


# --- The Arabic keyboard layout typed with the Latin one active ---------------------------


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("ghtv,t", "لافروف"),
        ("hgsbl", "السلام"),
        ("fb", "بلا"),  # the "b" key is lam-alef
        ("lwv", "مصر"),
        ("Hp]", "أحد"),  # shift+h is alef with hamza above
    ],
)
def test_latin_keys_read_on_the_arabic_layout(typed, meant):
    assert from_keyboard(typed) == meant


@pytest.mark.parametrize("typed", ["لافروف", "123", "ghtv!t", ""])
def test_text_that_is_not_latin_keys_has_no_keyboard_reading(typed):
    assert from_keyboard(typed) is None


def test_query_typed_on_the_wrong_layout_is_corrected(news):
    result = news.search("ghtv,t")
    assert result.total == 0
    assert result.suggestion == "لافروف"
    assert news.search(result.suggestion).total > 0


# --- Edit costs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, word, cost",
    [
        ("مدرسه", "مدرسه", 0.0),
        ("مدررسه", "مدرسه", 0.5),  # a doubled letter
        ("مدسه", "مدرسه", 1.0),  # a dropped letter
        ("مردسه", "مدرسه", 1.0),  # two neighbours swapped
        ("النفظ", "النفط", 0.5),  # letters readers confuse
        ("الذهب", "الزهب", 0.5),
        ("النفك", "النفط", 1.0),  # an unrelated letter
    ],
)
def test_edit_cost(typed, word, cost):
    assert edit_cost(typed, word) == cost


# --- Suggestions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("النفظ", "النفط"),  # ظ for ط
        ("مانشسر", "مانشستر"),  # a dropped letter
        ("السعوددية", "السعودية"),  # a doubled letter
        ("السعودبة", "السعودية"),  # a wrong letter; shown with its ة, not as the index's ه
        ("الملاريل", "الملاريا"),  # a wrong last letter
    ],
)
def test_misspelled_word_gets_the_word_the_articles_use(news, typed, meant):
    result = news.search(typed)
    assert result.total == 0
    assert result.suggestion == meant
    assert news.search(meant).total > 0


def test_suggestion_keeps_the_rest_of_the_query(news):
    result = news.search("عنوان:النفظ -روسيا")
    assert result.suggestion == "عنوان:النفط -روسيا"


def test_query_found_only_in_part_gets_the_correction_that_finds_all_words(news):
    result = news.search("أسعار النفظ")
    assert result.mode == "any" and result.total > 3
    assert result.suggestion == "أسعار النفط"
    assert news.search("أسعار النفط").mode == "all"


def test_few_hits_when_a_correction_finds_many_more(economy):
    slip = economy.search("الاقصتاد")
    assert slip.total == 1
    assert slip.suggestion == "الاقتصاد"
    assert economy.search("الاقتصاد", group_duplicates=False).total == 30


def test_words_found_together_are_taken_as_typed(economy):
    """The slip's own sentence finds its article: its words attest one another, however
    rare one of them is."""
    found = economy.search("تراجع الاقصتاد المحلي")
    assert [hit.id for hit in found.hits] == ["slip"]
    assert found.suggestion is None


def test_numbers_are_not_corrected(economy):
    assert economy.search("رقم 28", group_duplicates=False).total == 1
    assert economy.search("418").suggestion is None
    assert economy.search("٤١٨").suggestion is None


def test_no_suggestion_for_a_query_that_finds_enough(seeds, economy):
    assert seeds.search("لافروف").suggestion is None
    assert economy.search("الاقتصاد").suggestion is None


def test_no_suggestion_when_nothing_in_the_index_is_close(news):
    result = news.search("زرافة")
    assert result.total == 0 and result.suggestion is None


def test_no_suggestion_when_the_correction_finds_nothing_either(news):
    # No Sky News Arabia article is about oil: correcting the word would not help there.
    assert news.search("النفط", source="سكاي نيوز عربية").total == 0
    assert news.search("النفظ", source="سكاي نيوز عربية").suggestion is None
    assert news.search("النفظ").suggestion == "النفط"


def test_outlet_names_are_not_corrected(news):
    assert news.search("مصدر:الجزيره كيم").suggestion is None


def test_suggestion_is_in_the_json(news):
    assert news.search("النفظ").to_dict()["suggestion"] == "النفط"


# --- The vocabulary a correction looks in -------------------------------------------------

# Document frequencies in the body and the title of words near "مدرسه" (one edit unless
# said), and one far word.
NEAR = {"مدرسه": (3, 0), "مدرسي": (4, 2), "مدرسا": (5, 0), "مدرسو": (16, 0), "مدرس": (17, 0),
        "مدارس": (50, 0),  # two edits
        "كتاب": (1000, 0)}


def near_lexicon():
    words = sorted(NEAR)
    return Lexicon(words, {"body_exact": array("I", (NEAR[w][0] for w in words)),
                           "title_exact": array("I", (NEAR[w][1] for w in words))})


def test_a_lookup_finds_every_close_word_frequent_enough_to_matter_and_no_other():
    lexicon = near_lexicon()
    assert lexicon.terms_within(("body_exact",), "مدرسه", 1) == ["مدرس", "مدرسا", "مدرسه", "مدرسو", "مدرسي"]
    assert lexicon.terms_within(("body_exact",), "مدرسه", 1, least=5) == ["مدرس", "مدرسا", "مدرسو"]
    # Frequencies add up over the fields: 4 in bodies and 2 in titles clear 5.
    assert lexicon.terms_within(("body_exact", "title_exact"), "مدرسه", 1, least=5) == ["مدرس", "مدرسا", "مدرسو",
                                                                                       "مدرسي"]
    assert lexicon.terms_within(("body_exact",), "مدرسه", 2, least=17) == ["مدارس", "مدرس"]
    assert lexicon.terms_within(("stems",), "مدرسه", 1) == []
