"""Autocomplete: the word being typed completed from the index's words, most frequent
first, in the spelling the articles use, as whole queries."""

from contextlib import closing

import pytest

from indexer import SearchIndex, build_index
from indexer.indexing.updating import update_index
from indexer.search.limits import MAX_QUERY_CHARS

# "مدرسة" in three articles, "مدرج" in two, "مدير" in one; "المدينة" starts otherwise.
SCHOOLS = {
    "a": ("خبر", "افتتحت مدرسة جديدة ومدرج كبير."),
    "b": ("خبر", "زار الوزير مدرسة القرية والمدرج."),
    "c": ("خبر", "أغلقت مدرسة الحي أبوابها."),
    "d": ("خبر", "عاد مدرج الجامعة إلى العمل."),
    "e": ("خبر", "قال مدير المدرسة إن المدينة هادئة."),
}


@pytest.fixture(scope="module")
def schools(open_collection):
    with closing(open_collection("schools", SCHOOLS)) as ix:
        yield ix


def test_most_frequent_words_first_in_their_written_spelling(schools):
    # "مدرسة" is held as "مدرسه" in the index and shown as the articles write it.
    assert schools.complete("مد") == ["مدرسة", "مدرج", "مدير"]


def test_limit(schools):
    assert schools.complete("مد", limit=2) == ["مدرسة", "مدرج"]
    assert schools.complete("مد", limit=0) == []


def test_previous_words_are_kept(news):
    assert news.complete("كيم لاف") == ["كيم لافروف"]


def test_typed_word_is_normalized_and_completions_keep_their_hamza(news):
    completions = news.complete("اس")
    assert "آسيا" in completions and "أسعار" in completions
    assert "اسيا" not in completions
    # Diacritics and tatweel in what is typed do not matter.
    assert news.complete("لَافـ") == ["لافروف"]


def test_operators_before_the_word_are_kept(news):
    assert news.complete("عنوان:لافر") == ["عنوان:لافروف"]
    assert news.complete("كوريا -لافر") == ["كوريا -لافروف"]
    assert news.complete('"كيم جونغ') == ['"كيم جونغ']


@pytest.mark.parametrize("typed", ["", "   ", "ل", "لافروف ", "-", "*", "!!", "ل" * (MAX_QUERY_CHARS + 1), None])
def test_nothing_to_complete_is_an_empty_list(news, typed):
    assert news.complete(typed) == []


def test_unknown_beginning_has_no_completion(news):
    assert news.complete("ظظظ") == []


# Words typed before the last one: "العالم" and "العام" are the commonest words starting
# with "الع", but after "ولي" the collection writes "العهد"; "خاشقجي" is written 20 times,
# its slip "خاشجقي" once.
PHRASES = {
    **{f"w{i}": ("خبر", f"قال ولي العهد إن الزيارة ناجحة. رقم {i}") for i in range(3)},
    **{f"x{i}": ("خبر", f"تحدث العالم عن العام الجديد ومدرسته {i}") for i in range(6)},
    **{f"s{i}": ("خبر", f"زار وفد المملكة العربية السعودية العاصمة {i}") for i in range(3)},
    **{f"u{i}": ("خبر", f"وقعت الإمارات العربية المتحدة اتفاقا {i}") for i in range(3)},
    **{f"k{i}": ("خبر", f"قضية خاشقجي تتفاعل {i}") for i in range(20)},
    "slip": ("خبر", "قضية خاشجقي تتفاعل"),
}


def write_articles(folder, articles):
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (title, body) in articles.items():
        (folder / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def phrases(open_collection):
    with closing(open_collection("phrases", PHRASES)) as ix:
        yield ix


def test_the_words_before_choose_the_completion(phrases):
    assert phrases.complete("الع")[:2] == ["العالم", "العام"]
    assert phrases.complete("ولي الع")[0] == "ولي العهد"
    # The single-word completions still follow.
    assert "ولي العالم" in phrases.complete("ولي الع")


def test_two_words_before_choose_between_continuations_of_the_last(phrases):
    assert phrases.complete("الإمارات العربية ال")[0] == "الإمارات العربية المتحدة"
    assert phrases.complete("المملكة العربية ال")[0] == "المملكة العربية السعودية"
    # Typed without hamza or with a different alef, the context still matches.
    assert phrases.complete("الامارات العربيه ال")[0] == "الامارات العربيه المتحدة"


def test_punctuation_ends_the_context(phrases):
    assert phrases.complete("ولي. الع")[:2] == ["ولي. العالم", "ولي. العام"]


def test_a_rare_spelling_is_not_offered_beside_the_common_one(phrases):
    assert phrases.complete("خاش") == ["خاشقجي"]
    # Alone, the rare spelling is offered.
    assert phrases.complete("خاشج") == ["خاشجقي"]


def test_an_update_counts_the_sequences_again(tmp_path, engine_name):
    src = tmp_path / "articles"
    write_articles(src, {f"x{i}": ("خبر", f"تحدث العالم عن العام {i}") for i in range(4)})
    root = tmp_path / "index"
    build_index([src], root, engine_name=engine_name)
    write_articles(src, {f"w{i}": ("خبر", f"قال ولي العهد {i}") for i in range(3)})
    update_index([src], root)
    with closing(SearchIndex(root)) as ix:
        assert ix.complete("ولي الع")[0] == "ولي العهد"
    for i in range(2):
        (src / f"w{i}.txt").unlink()
    update_index([src], root)
    with closing(SearchIndex(root)) as ix:
        # One article left says "ولي العهد": too few for a sequence.
        assert ix.complete("ولي الع")[0] == "ولي العالم"
