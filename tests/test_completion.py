"""Autocomplete: the word being typed completed from the index's words, most frequent
first, in the spelling the articles use, as whole queries."""

import pytest

from indexer import SearchIndex, build_index
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
def schools(tmp_path_factory, engine_name):
    src = tmp_path_factory.mktemp("schools")
    for doc_id, (title, body) in SCHOOLS.items():
        (src / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    root = tmp_path_factory.mktemp("schools-index") / "index"
    build_index([src], root, engine_name=engine_name)
    ix = SearchIndex(root)
    yield ix
    ix.close()


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
