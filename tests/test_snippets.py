"""Snippets as a reader sees them on the results page: the right passage, every matched
word in ``<mark>`` and written as the article wrote it, everything else escaped."""

import html
import re
from html.parser import HTMLParser
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

ARTICLES.update({
    # Arabic typesetting often puts a space before the comma, and quotes around a clause.
    "spaced_comma": ("تصريحات", "وصل الوفد صباحا ، وقال هاليبرتون إن «المحادثات مثمرة» ، ثم غادر الجميع"),
    "percent": ("اقتصاد", "قدّر البنك نمو الاقتصاد بنحو 3.5% في العام المالي 2025 وفق مجموعة G7 وشركة iPhone 15 Pro."),
    "mixed_mark": ("هواتف", "أطلقت آبل هاتف iPhone 15 Pro بمنفذ جديد."),
    "latin_stems": ("عائلات", "شارك برنامج Happy Family في المهرجان."),
    # As Sky News Arabia writes its oil reports: the match is in a three-word clause.
    "oil_report": (
        "سوق الخام",
        ("سجلت أسعار النفط، الاثنين، ارتفاعا مع صعود خام غرب تكساس الوسيط الأميركي، بعد خسائر على مدى "
         "أربعة أسابيع.\nوارتفعت العقود الآجلة لخام القياس العالمي مزيج برنت 13 سنتا."),
    ),
    "short_then_long": (
        "زيارة",
        "وصل ماكرون، " + " ".join(["وكانت الرحلة طويلة والطريق مزدحما بالسيارات"] * 8) + ".",
    ),
})

# A sentence with the match between two that have none, for each punctuation mark.
SENTENCE_ENDS = {".": "dot", "؛": "semicolon", "؟": "question", "!": "bang"}
PUNCTUATION = {**SENTENCE_ENDS, "،": "comma"}
for mark, name in PUNCTUATION.items():
    ARTICLES[f"cut_{name}"] = (
        "جمل قصيرة",
        f"افتتحت البلدية حديقة عامة جديدة في الحي القديم{mark} "
        f"زار ستولتنبرغ المدينة{mark} "
        f"ثم عاد المسؤولون إلى مكاتبهم بعد الظهر",
    )


@pytest.fixture(scope="module")
def ix(tmp_path_factory, engine_name):
    src = tmp_path_factory.mktemp("snippet-articles")
    for doc_id, (title, body) in ARTICLES.items():
        (src / f"{doc_id}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    root = tmp_path_factory.mktemp("snippet-index") / "index"
    report = build_index([src], root, engine_name=engine_name)
    assert report.documents == len(ARTICLES)
    index = SearchIndex(root)
    yield index
    index.close()


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory, engine_name):
    root = tmp_path_factory.mktemp("snippet-seeds") / "index"
    build_index([SEEDS], root, engine_name=engine_name)
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
    return re.findall(r"<mark>(.*?)</mark>", re.sub(r"</?bdi>", "", snippet))


def tags(snippet):
    return set(re.findall(r"<[^>]*>", snippet))


def plain(snippet):
    return html.unescape(re.sub(r"</?(mark|bdi)>", "", snippet))


def passages(snippet):
    """The article's text shown, passage by passage (ellipses left out)."""
    return [p.strip() for p in plain(snippet).split("…") if p.strip()]


OUR_TAGS = {"<mark>", "</mark>", "<bdi>", "</bdi>"}


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


def test_latin_words_whose_stem_is_not_inside_them_are_marked(ix):
    # Snowball stems "families" and "family" to "famili", which neither word contains.
    assert marked(snippet_of(ix, "families", "latin_stems")) == ["Family"]


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
        "قال <mark>بوتين</mark> &lt;<bdi>script</bdi>&gt;<bdi>alert</bdi>(<bdi>1</bdi>)&lt;/<bdi>script</bdi>&gt; إن "
        "&lt;<bdi>b</bdi>&gt;الشراكة&lt;/<bdi>b</bdi>&gt; &amp; التعاون مستمران"
    )
    assert tags(snippet) == OUR_TAGS


def test_query_word_inside_markup_is_marked_but_markup_stays_escaped(ix):
    snippet = snippet_of(ix, "script", "html")
    assert "&lt;<mark><bdi>script</bdi></mark>&gt;<bdi>alert</bdi>(<bdi>1</bdi>)&lt;/<mark><bdi>script</bdi></mark>&gt;" in snippet
    assert "<script" not in snippet
    assert tags(snippet) == OUR_TAGS


def test_query_with_markup_does_not_inject_markup(ix):
    result = ix.search("<b>الشراكة</b>")
    snippet = {h.id: h.snippet for h in result.hits}["html"]
    assert "<mark>الشراكة</mark>" in snippet
    assert tags(snippet) <= OUR_TAGS


# --- Where the snippet is cut ----------------------------------------------------------


@pytest.mark.parametrize("mark, name", list(SENTENCE_ENDS.items()))
def test_snippet_is_the_sentence_with_the_match(ix, mark, name):
    # The article goes on before and after the sentence: the ellipses say so.
    assert snippet_of(ix, "ستولتنبرغ", f"cut_{name}") == "… زار <mark>ستولتنبرغ</mark> المدينة …"


def test_short_clause_goes_on_to_the_end_of_its_sentence(ix):
    assert snippet_of(ix, "ستولتنبرغ", "cut_comma") == (
        "… زار <mark>ستولتنبرغ</mark> المدينة، ثم عاد المسؤولون إلى مكاتبهم بعد الظهر")


def test_news_report_snippet_reads_past_the_three_word_clause(ix):
    assert snippet_of(ix, "أسعار النفط", "oil_report") == (
        "سجلت <mark>أسعار</mark> <mark>النفط</mark>، الاثنين، ارتفاعا مع صعود خام غرب تكساس الوسيط "
        "الأميركي، بعد خسائر على مدى أربعة أسابيع …")


def test_short_clause_does_not_go_on_past_the_snippet_length(ix):
    # The next clause alone is longer than a snippet: the short clause is shown alone.
    assert snippet_of(ix, "ماكرون", "short_then_long") == "وصل <mark>ماكرون</mark> …"


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
    assert plain(snippet).startswith("… ") and plain(snippet).endswith(" …")
    assert all(passage in body for passage in passages(snippet))


def test_match_deep_in_a_long_article_is_shown(ix):
    # The match is 44,000 characters in; the reader must still see it marked.
    snippet = snippet_of(ix, "غوتيريش", "deep_match")
    assert marked(snippet) == ["غوتيريش"]
    assert "وصل <mark>غوتيريش</mark> إلى المدينة" in snippet


# --- Articles that matched on the title only -------------------------------------------


def test_title_only_match_shows_the_escaped_opening(ix):
    snippet = snippet_of(ix, "مهرجان", "title_only")
    assert snippet == "افتتاح &lt;<bdi>b</bdi>&gt;منتجع&lt;/<bdi>b</bdi>&gt; كبير &amp; جديد على الساحل."
    assert "<mark>" not in snippet
    assert tags(snippet) == {"<bdi>", "</bdi>"}


def test_title_only_match_opening_of_a_long_body_ends_at_a_word(ix):
    body = ARTICLES["title_only_long"][1]
    snippet = snippet_of(ix, "الخريف", "title_only_long")
    assert "<mark>" not in snippet
    assert snippet.endswith(" …")
    opening = snippet.removesuffix(" …")
    assert body.startswith(opening)
    assert body[len(opening)] == " "
    assert 100 < len(opening) <= 220


# --- Arabic clauses and Latin runs -----------------------------------------------------


def test_clause_begins_after_a_comma_after_a_space_and_keeps_its_quotes(ix):
    assert snippet_of(ix, "هاليبرتون", "spaced_comma") == (
        "… وقال <mark>هاليبرتون</mark> إن «المحادثات مثمرة» ، ثم غادر الجميع")


def test_latin_words_and_numbers_are_isolated_from_the_right_to_left_text(ix):
    snippet = snippet_of(ix, "الاقتصاد", "percent")
    assert "<bdi>3.5%</bdi>" in snippet and "<bdi>2025</bdi>" in snippet and "<bdi>G7</bdi>" in snippet
    # A Latin phrase is one run, so "15 Pro" cannot be shown as "Pro 15".
    assert "<bdi>iPhone 15 Pro</bdi>" in snippet
    # The point inside 3.5 does not end the clause.
    assert passages(snippet) == [ARTICLES["percent"][1].rstrip(".")]


def test_mark_nests_inside_a_latin_run(ix):
    snippet = snippet_of(ix, "pro", "mixed_mark")
    assert "<bdi>iPhone 15 <mark>Pro</mark></bdi>" in snippet
    assert marked(snippet_of(ix, "g7", "percent")) == ["G7"]
    assert "<mark><bdi>G7</bdi></mark>" in snippet_of(ix, "g7", "percent")


def test_g7_and_year_are_isolated_in_title_and_snippet(news):
    hit = news.search("قمة مجموعة السبع").hits[0]
    assert hit.id == "g7-summit"
    assert hit.title_html == (
        "<mark>قمة</mark> <mark>مجموعة</mark> <mark>السبع</mark> <bdi>G7</bdi> في كندا تختتم أعمالها وسط خلافات حول التجارة")
    assert "<bdi>2025</bdi>" in news.search("الحوار بين الحلفاء").hits[0].snippet


def test_script_in_a_news_article_stays_escaped(news):
    hit = news.search("ثغرات حقن السكربت").hits[0]
    assert hit.id == "xss-websites"
    document = news.document("xss-websites", "السكربت")
    for shown in (hit.snippet, hit.title_html, document["body_html"]):
        assert "<script" not in shown and tags(shown) <= OUR_TAGS
    assert "&lt;<bdi>script</bdi>&gt;" in document["body_html"]


class _Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(tag)


@pytest.mark.parametrize("query", ["لافروف", "النفط", "الحرارة", "مباراة", "الذكاء الاصطناعي", "آبل", "2025", "usb"])
def test_every_passage_is_whole_words_and_tags_nest(news, query):
    hits = news.search(query, page_size=100, group_duplicates=False).hits
    assert hits
    for hit in hits:
        body = news.document(hit.id)["body"]
        for shown in (hit.snippet, hit.title_html):
            checker = _Nesting()
            checker.feed(shown)
            assert not checker.problems and not checker.open, shown
            assert tags(shown) <= OUR_TAGS
        for passage in passages(hit.snippet):
            at = body.find(passage)
            assert at >= 0, passage
            before = body[at - 1] if at else " "
            after = body[at + len(passage)] if at + len(passage) < len(body) else " "
            assert not before.isalnum() and not after.isalnum(), (hit.id, passage)
