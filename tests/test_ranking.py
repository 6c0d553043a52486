"""Ranking as readers meet it: foreign names behind a clitic, questions typed as
questions, and the re-ranker's order among the engine's candidates."""

from contextlib import closing

import pytest

from indexer.analysis.fields import DocumentAnalyzer
from indexer.indexing.schema import TERMS_FIELD
from indexer.search.rerank import Ranking, Reranker, _count, _Document, proximity

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


def test_proximity_is_words_over_their_smallest_window():
    assert proximity([[3], [4], [5, 9]]) == 1.0
    assert proximity([[0, 20], [10, 22]]) == 2 / 3
    assert proximity([[7]]) == 0.0


def test_reranker_reads_the_terms_the_index_stored_as_its_text_gives_them(open_collection):
    """The index stores each article's terms, so re-ranking a page analyzes no text; what
    it reads is what analyzing the text would give."""
    with closing(open_collection("messy", MESSY)) as index:
        s = index.snapshot
        analyzer = DocumentAnalyzer(s.analysis)
        for doc_id in MESSY:
            stored = s.reader.stored(s.reader.key(doc_id))
            assert stored[TERMS_FIELD].strip()
            from_text = {name: value for name, value in stored.items() if name != TERMS_FIELD}
            read, analyzed = _Document(analyzer, stored), _Document(analyzer, from_text)
            assert {name: getattr(read, name) for name in _Document.__slots__} == \
                   {name: getattr(analyzed, name) for name in _Document.__slots__}


def test_a_word_repeated_side_by_side_is_counted_each_time():
    doc = _Document(None, {TERMS_FIELD: "نفط\nنفط نفط سعر نفط\nالنفط النفط سعر النفط\n"})
    assert doc.positions("نفط") == [0, 1, 3]
    assert doc.positions("سعر") == [2]
    assert doc.positions("نف") == []
    assert (_count(doc.exact, "النفط"), _count(doc.title, "نفط"), _count(doc.keys, "نفط")) == (3, 1, 0)
    assert (doc.title_length, doc.body_length) == (1, 4)


def test_a_search_reranks_without_analyzing_stored_text(open_collection, monkeypatch):
    with closing(open_collection("messy-search", MESSY)) as index:
        def analyzing(self, text):
            raise AssertionError("a stored text was analyzed")

        monkeypatch.setattr(DocumentAnalyzer, "terms", analyzing)
        assert [hit.id for hit in index.search("بيونغ يانغ والخارجية").hits] == ["summit"]


def test_reranker_puts_the_words_side_by_side_first_on_every_engine(open_collection):
    with closing(open_collection("ranking", RANKING)) as index:
        s = index.snapshot
        q = index.compile("وزير الخارجية")[1]
        hits = s.reader.search(q, 10).hits
        by_proximity = Reranker(s.reader, s.analysis, Ranking(1.2, 0.75, {"body": 1.0, "proximity": 1.0}))
        assert [s.reader.stored(key)["id"] for key, _ in by_proximity.rerank(q, hits)] == ["near", "far"]
