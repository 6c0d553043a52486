"""Snippets as a reader sees them on the results page: the right passage, every matched
word in ``<mark>`` and written as the article wrote it, everything else escaped."""

import html
import re
from pathlib import Path

import pytest

from indexer import SearchIndex, build_index

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

ARTICLES = {
    "diacritised": ("زيارة", "وصل الضيف الروسي لَافْرُوف إلى العاصمة صباحا."),
    "plain": ("استقبال", "استقبل الرئيس شويغو في القصر الجمهوري."),
    "tatweel_hamza": ("تصريحات", "قال لافـــروف إن المسؤول أكد موعد الزيارة."),
    "all_forms": ("أشكال", "ذكر لافروف ثم ولافروف ثم لَافْرُوف ثم لافـــروف ثم ﻻﻓﺮﻭﻑ."),
    "clitics": ("مدن", "سافر الوفد إلى بكين وموسكو، واهتم بالمدارس."),
    # The bare forms occur too, as they do in any real collection.
    "bare_forms": ("عواصم", "تقع موسكو شمال بكين، وتكثر فيها المدارس."),
    "latin_digits": ("أرقام", "نقلت KCNA أن الخطة تنتهي عام 2025 وتبدأ عام ١٩٩٩ سابقا."),
    "stop_words": ("مؤتمر", "تحدث شويغو في المؤتمر عن الأمن."),
    "html": (
        "مقال فيه وسوم",
        "قال بوتين <script>alert(1)</script> إن <b>الشراكة</b> & التعاون مستمران.",
    ),
    "title_only": (
        "مهرجان الربيع",
        "افتتاح <b>منتجع</b> كبير & جديد على الساحل.",
    ),
    "title_only_long": (
        "مهرجان الخريف",
        " ".join(["تجمع الناس في الساحة الكبيرة وسط المدينة القديمة"] * 12),
    ),
    "two_sentences": (
        "يوم طويل",
        "وصل بوريل صباحا. ثم تناول الغداء مع الأصدقاء في مطعم قديم. وغادر بوريل مساء.",
    ),
    "many_sentences": (
        "أخبار متفرقة",
        " ".join(f"جملة رقم {n} تذكر سوليفان مرة." for n in range(1, 7)),
    ),
    "long_sentence": (
        "سطر طويل",
        " ".join(["كانت الرحلة طويلة والطريق مزدحما بالسيارات"] * 20)
        + " ثم ظهر بلينكن فجأة "
        + " ".join(["وتابع الجميع طريقهم نحو المدينة الساحلية"] * 20),
    ),
    "deep_match": (
        "مقال طويل جدا",
        "كانت الرحلة طويلة والطريق مزدحما بالسيارات القادمة من الشمال.\n" * 700
        + "وفي آخر المقال وصل غوتيريش إلى المدينة.",
    ),
}

# A sentence with the match between two that have none, for each punctuation mark.
PUNCTUATION = {".": "dot", "،": "comma", "؛": "semicolon", "؟": "question", "!": "bang"}
for mark, name in PUNCTUATION.items():
    ARTICLES[f"cut_{name}"] = (
        "جمل قصيرة",
        f"افتتحت البلدية حديقة عامة جديدة في الحي القديم{mark} "
        f"زار ستولتنبرغ المدينة{mark} "
        f"ثم عاد المسؤولون إلى مكاتبهم بعد الظهر",
    )


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    src = tmp_path_factory.mktemp("snippet-articles")
    for doc_id, (title, body) in ARTICLES.items():
        (src / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    root = tmp_path_factory.mktemp("snippet-index") / "index"
    report = build_index([src], root)
    assert report.documents == len(ARTICLES)
    index = SearchIndex(root)
    yield index
    index.close()


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("snippet-seeds") / "index"
    build_index([SEEDS], root)
    index = SearchIndex(root)
    yield index
    index.close()


def snippet_of(index, query, doc_id):
    """The snippet shown for ``doc_id`` among the results of ``query`` (each report of a
    story as a hit of its own: a folded report shows no snippet)."""
    for page in range(1, 5):
        result = index.search(query, page=page, page_size=100, group_duplicates=False)
        for hit in result.hits:
            if hit.id == doc_id:
                return hit.snippet
    raise AssertionError(f"{doc_id} not found for {query!r}")


def marked(snippet):
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def tags(snippet):
    return set(re.findall(r"<[^>]*>", snippet))


def plain(snippet):
    return html.unescape(re.sub(r"</?mark>", "", snippet))


# --- What is marked, and how it is written --------------------------------------------


def test_plain_query_marks_the_diacritised_word_as_written(ix):
    assert snippet_of(ix, "لافروف", "diacritised") == (
        "وصل الضيف الروسي <mark>لَافْرُوف</mark> إلى العاصمة صباحا"
    )


def test_diacritised_query_marks_the_plain_word(ix):
    assert snippet_of(ix, "شُويْغُو", "plain") == "استقبل الرئيس <mark>شويغو</mark> في القصر الجمهوري"


def test_tatweel_and_hamza_are_shown_as_written(ix):
    snippet = snippet_of(ix, "لافروف اكد مسئول", "tatweel_hamza")
    assert snippet == "قال <mark>لافـــروف</mark> إن <mark>المسؤول</mark> <mark>أكد</mark> موعد الزيارة"


def test_every_spelling_of_the_word_is_marked(ix):
    snippet = snippet_of(ix, "لافروف", "all_forms")
    assert marked(snippet) == ["لافروف", "ولافروف", "لَافْرُوف", "لافـــروف", "ﻻﻓﺮﻭﻑ"]
    assert plain(snippet) == ARTICLES["all_forms"][1].rstrip(".")


def test_query_in_presentation_forms_marks_plain_letters(ix):
    snippet = snippet_of(ix, "ﻻﻓﺮﻭﻑ", "diacritised")
    assert marked(snippet) == ["لَافْرُوف"]


def test_whole_word_with_its_clitics_is_marked(ix):
    assert marked(snippet_of(ix, "موسكو", "clitics")) == ["وموسكو"]
    assert marked(snippet_of(ix, "المدارس", "clitics")) == ["بالمدارس"]


def test_latin_case_and_digits_are_marked_as_written(ix):
    assert marked(snippet_of(ix, "kcna", "latin_digits")) == ["KCNA"]
    assert marked(snippet_of(ix, "٢٠٢٥", "latin_digits")) == ["2025"]
    assert marked(snippet_of(ix, "1999", "latin_digits")) == ["١٩٩٩"]


def test_each_query_word_is_marked_and_nothing_else(ix):
    snippet = snippet_of(ix, "لافروف المسؤول", "tatweel_hamza")
    assert marked(snippet) == ["لافـــروف", "المسؤول"]


def test_stop_words_are_not_marked(ix):
    snippet = snippet_of(ix, "شويغو في عن المؤتمر", "stop_words")
    assert snippet == "تحدث <mark>شويغو</mark> في <mark>المؤتمر</mark> عن الأمن"
    assert "في" not in marked(snippet) and "عن" not in marked(snippet)


def test_seed_snippet_marks_name_with_conjunction(seed_index):
    snippet = snippet_of(seed_index, "لافروف", "001_0da1ffbe29b36b8b")
    assert "كيم <mark>ولافروف</mark>" in snippet
    assert set(marked(snippet)) == {"لافروف", "ولافروف"}


def test_seed_snippets_mark_hamza_variants(seed_index):
    # 004 writes "أكد لافروف"; a query without hamza marks the hamza spelling.
    snippet = snippet_of(seed_index, "اكد لافروف", "004_2b11dcb59984afc5")
    assert "<mark>أكد</mark> <mark>لافروف</mark>" in snippet


# --- Escaping ---------------------------------------------------------------------------


def test_html_in_the_article_is_escaped(ix):
    snippet = snippet_of(ix, "بوتين", "html")
    assert snippet == (
        "قال <mark>بوتين</mark> &lt;script&gt;alert(1)&lt;/script&gt; إن "
        "&lt;b&gt;الشراكة&lt;/b&gt; &amp; التعاون مستمران"
    )
    assert tags(snippet) == {"<mark>", "</mark>"}


def test_query_word_inside_markup_is_marked_but_markup_stays_escaped(ix):
    snippet = snippet_of(ix, "script", "html")
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in snippet
    assert "<script" not in snippet
    assert tags(snippet) == {"<mark>", "</mark>"}


def test_query_with_markup_does_not_inject_markup(ix):
    result = ix.search("<b>الشراكة</b>")
    snippet = {h.id: h.snippet for h in result.hits}["html"]
    assert "<mark>الشراكة</mark>" in snippet
    assert tags(snippet) == {"<mark>", "</mark>"}


# --- Where the snippet is cut ----------------------------------------------------------


@pytest.mark.parametrize("mark, name", list(PUNCTUATION.items()))
def test_snippet_is_the_sentence_with_the_match(ix, mark, name):
    assert snippet_of(ix, "ستولتنبرغ", f"cut_{name}") == "زار <mark>ستولتنبرغ</mark> المدينة"


def test_sentences_without_a_match_are_left_out(ix):
    assert snippet_of(ix, "بوريل", "two_sentences") == (
        "وصل <mark>بوريل</mark> صباحا … وغادر <mark>بوريل</mark> مساء"
    )


def test_at_most_three_passages(ix):
    snippet = snippet_of(ix, "سوليفان", "many_sentences")
    assert snippet.count(" … ") == 2
    assert marked(snippet) == ["سوليفان"] * 3


def test_long_sentence_is_cut_around_the_match(ix):
    body = ARTICLES["long_sentence"][1]
    snippet = snippet_of(ix, "بلينكن", "long_sentence")
    assert marked(snippet) == ["بلينكن"]
    assert len(plain(snippet)) < 300 < len(body)
    assert plain(snippet) in body


def test_match_deep_in_a_long_article_is_shown(ix):
    # The match is 44,000 characters in; the reader must still see it marked.
    snippet = snippet_of(ix, "غوتيريش", "deep_match")
    assert marked(snippet) == ["غوتيريش"]
    assert "وصل <mark>غوتيريش</mark> إلى المدينة" in snippet


# --- Articles that matched on the title only -------------------------------------------


def test_title_only_match_shows_the_escaped_opening(ix):
    snippet = snippet_of(ix, "مهرجان", "title_only")
    assert snippet == "افتتاح &lt;b&gt;منتجع&lt;/b&gt; كبير &amp; جديد على الساحل."
    assert "<mark>" not in snippet
    assert not tags(snippet)


def test_title_only_match_opening_of_a_long_body_ends_at_a_word(ix):
    body = ARTICLES["title_only_long"][1]
    snippet = snippet_of(ix, "الخريف", "title_only_long")
    assert "<mark>" not in snippet
    assert snippet.endswith(" …")
    opening = snippet.removesuffix(" …")
    assert body.startswith(opening)
    assert body[len(opening)] == " "
    assert 100 < len(opening) <= 220
