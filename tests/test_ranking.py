"""Ranking as readers meet it: foreign names behind a clitic, questions typed as
questions, and the re-ranker's order among the engine's candidates."""

from contextlib import closing

import numpy as np
import pytest

from indexer.indexing.forward_index import term_hash
from indexer.search import rerank
from indexer.search.rerank import Ranking, Reranker, occurrences, proximity

NAMES = {
    # Each outlet's spelling of Telegram and Pyongyang, bare and behind و، ب، ل، وب، لل.
    "bare-gh": ("قيود على التطبيق", "قال مسؤول إن تلغرام سيبقى متاحا في بيونغ يانغ."),
    "bare-j": ("تطبيق جديد", "أطلقت الشركة نسخة من تيليجرام وقالت بيونج يانج إنها تراقبه."),
    "wa": ("محادثات", "التقى وفدا سيول وبيونغ يانغ على الحدود."),
    "bi": ("اشتراكات", "اشترك الملايين بتيليجرام هذا العام."),
    "li": ("انتقال", "انتقل المستخدمون لتلغرام بعد الحظر."),
    "wabi": ("رسائل", "وصلت الرسائل عبر البريد وبتلغرام أيضا."),
    "lil": ("قانون", "أعلنت الحكومة قانونا للتيليجرام والتطبيقات الأخرى."),
    "other": ("طقس", "أمطار غزيرة على العاصمة."),
}

QUESTIONS = {
    "paris": ("فرنسا", "باريس عاصمة فرنسا وأكبر مدنها."),
    "why": ("مقال رأي", "لماذا نكتب؟ لماذا نقرأ؟ لماذا نسأل؟ أسئلة بلا أجوبة عن الكتابة."),
    "oil": ("النفط", "ارتفعت أسعار النفط بعد قرار أوبك خفض الإنتاج."),
}

RANKING = {
    "near": ("تقرير", "اجتمع وزير الخارجية مع نظيره في العاصمة اليوم لبحث الأزمة."),
    "far": ("تقرير", "اجتمع وزير مع المسؤولين في العاصمة لبحث الأزمة، وقالت الخارجية لاحقا إن اللقاء مثمر."),
}

# Text as outlets write it: harakat, tatweel, hamza seats, ى/ي, ة, Arabic-Indic digits,
# presentation forms, Latin words, a name in two spellings behind clitics.
MESSY = {
    "summit": ("قِمّة سيـــول وبيونغ يانغ", ("التقى الزعيمانِ في ٢٧ أبريل، وقال مسؤولٌ إنّ بيونج يانج "
                                           "مستعدة للحوار مع Washington. ﻭﺯﺍﺭﺓ الخارجية رحّبت بالمبادرة الأولى.")),
    "market": ("أسعار النفط", "ارتفعت أسعار خام برنت إلى ٧٥ دولارا للبرميل وسط مخاوف على الإمدادات من إيران."),
}


@pytest.fixture(scope="module")
def names(open_collection):
    with closing(open_collection("names", NAMES)) as index:
        yield index


@pytest.fixture(scope="module")
def questions(open_collection):
    with closing(open_collection("questions", QUESTIONS)) as index:
        yield index


def found(index, query):
    return {hit.id for hit in index.search(query, page_size=50, group_duplicates=False).hits}


@pytest.mark.parametrize("query", ["تلغرام", "تيليجرام", "تلجرام", "وتلغرام", "بتيليجرام", "للتلغرام", "وبتيليجرام"])
def test_telegram_in_any_spelling_finds_it_behind_any_clitic(names, query):
    assert found(names, query) == {"bare-gh", "bare-j", "bi", "li", "wabi", "lil"}


@pytest.mark.parametrize("query", ["بيونغ", "بيونج", "وبيونج", "لبيونغ"])
def test_pyongyang_after_a_conjunction_is_found_in_the_other_spelling(names, query):
    assert found(names, query) == {"bare-gh", "bare-j", "wa"}


def test_snippet_marks_a_name_behind_a_clitic_in_the_other_spelling(names):
    hit = next(h for h in names.search("تيليجرام", page_size=50, group_duplicates=False).hits if h.id == "wabi")
    assert "<mark>وبتلغرام</mark>" in hit.snippet


def test_question_frame_words_are_not_required(questions):
    result = questions.search("ما اسم عاصمة فرنسا؟")
    assert result.mode == "all" and [hit.id for hit in result.hits] == ["paris"]
    assert [item["forms"] for item in result.understood if item["word"] == "اسم"] == [[]]


def test_why_does_not_outrank_the_topic(questions):
    assert [doc for doc, _ in questions.ranked_ids("لماذا ارتفعت أسعار النفط")][:1] == ["oil"]


def test_a_question_word_alone_is_still_searched(questions):
    assert found(questions, "لماذا") == {"why"}


def windows(*candidates):
    """``proximity`` of candidates given as the body positions of each query stem."""
    m = max(len(stems) for stems in candidates)
    found = sorted((row, position, column) for row, stems in enumerate(candidates)
                   for column, positions in enumerate(stems) for position in positions)
    row, position, column = (np.array(values, dtype=np.int64) for values in zip(*found))
    held = np.zeros((len(candidates), m), dtype=bool)
    held[row, column] = True
    return proximity((row, column, position), held).tolist()


def test_proximity_is_words_over_their_smallest_window():
    assert windows([[3], [4], [5, 9]], [[0, 20], [10, 22]], [[7], []]) == [1.0, 2 / 3, 0.0]
    # One candidate's positions never make a window with another's.
    assert windows([[1], []], [[], [2]]) == [0.0, 0.0]


def test_proximity_is_the_same_when_taken_a_few_candidates_at_a_time(monkeypatch):
    candidates = [[[i, 40 + i], [i + 7 * (i % 3)], [30]] for i in range(12)]
    whole = windows(*candidates)
    monkeypatch.setattr(rerank, "PROXIMITY_CELLS", 9)
    assert windows(*candidates) == whole


def test_reranker_counts_the_terms_the_index_keeps_as_their_text_gives_them(open_collection):
    """The forward index holds each article's terms, so re-ranking a page analyzes no
    text; what it reads is what analyzing the text gives."""
    with closing(open_collection("messy", MESSY)) as index:
        s = index.snapshot
        keys = [s.reader.key(doc_id) for doc_id in MESSY]
        from_text = Reranker(s.reader, s.analysis, forward=None)
        for (kept, kept_lengths), (analyzed, lengths) in zip(s.reranker._terms_of(keys), from_text._terms_of(keys)):
            assert kept.tolist() == analyzed.tolist()
            assert kept_lengths.tolist() == lengths.tolist()
        assert all(len(terms) for terms, _ in s.reranker._terms_of(keys))


def test_a_word_repeated_side_by_side_is_counted_each_time():
    body = ["نفط", "نفط", "سعر", "نفط", "طاقة", "نفط"]
    terms = np.array([term_hash(term) for term in body], dtype=np.uint32)
    tf, (row, column, position) = occurrences(("سعر", "نف", "نفط"), terms, np.array([4, 2]))
    assert tf.tolist() == [[1, 0, 3], [0, 0, 1]]
    assert list(zip(row.tolist(), column.tolist(), position.tolist())) == [
        (0, 2, 0), (0, 2, 1), (0, 0, 2), (0, 2, 3), (1, 2, 1)]


def test_a_search_reranks_without_analyzing_stored_text(open_collection, monkeypatch):
    with closing(open_collection("messy-search", MESSY)) as index:
        def analyzing(analyzer, document):
            raise AssertionError("a stored text was analyzed")

        monkeypatch.setattr(rerank, "analyzed_fields", analyzing)
        assert [hit.id for hit in index.search("بيونغ يانغ والخارجية").hits] == ["summit"]


def test_reranker_puts_the_words_side_by_side_first_on_every_engine(open_collection):
    with closing(open_collection("ranking", RANKING)) as index:
        s = index.snapshot
        q = index.compile("وزير الخارجية")[1]
        hits = s.reader.search(q, 10).hits
        by_proximity = Reranker(s.reader, s.analysis, s.reranker.forward,
                                Ranking(1.2, 0.75, {"body": 1.0, "proximity": 1.0}))
        assert [s.reader.stored(key)["id"] for key, _ in by_proximity.rerank(q, hits)] == ["near", "far"]
