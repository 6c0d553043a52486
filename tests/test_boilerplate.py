"""Outlet boilerplate as a reader meets it: a disclaimer an outlet puts under every
article, another article's lead appended as a teaser, a line that only wraps the headline
(«نترككم مع خبر …») are not searched and never shown in a snippet; an article
republished under several ids, and a lead that restates its headline, still are."""

import json
from contextlib import closing

import pytest

from indexer import SearchIndex, build_index
from indexer.indexing.updating import update_index

OUTLET = "الرأي اليوم"
DISCLAIMER = "** جميع المقالات المنشورة تمثل رأي كتابها فقط."
TOPICS = ["أزمة المياه في حوض النيل", "مستقبل التعليم عن بعد", "أسعار القمح في الأسواق",
          "الطاقة الشمسية في الصحراء", "حماية التراث في المدن القديمة", "هجرة الكفاءات الشابة"]
# The lead of one report, which the outlet also appends under five other articles.
TEASER = "افتتحت بلدية الرياض مهرجان التمور في حي الملز بمشاركة مئتي مزارع."


def record(doc_id, title, lines, source=OUTLET):
    return {"id": doc_id, "title": title, "text": "\n".join(lines), "source": source}


def opinion(n, topic, teaser=False):
    lines = [f"يرى الكاتب أن {topic} قضية تستحق نقاشا واسعا.",
             f"ويقول إن الحلول المطروحة بشأن {topic} ما زالت ناقصة، وفي رأيه أن الحوار مفتاحها."]
    return record(f"opinion-{n}", f"مقال عن {topic}", lines + ([TEASER] if teaser else []) + [DISCLAIMER])


ARTICLES = [
    *(opinion(n, topic, teaser=n < 5) for n, topic in enumerate(TOPICS)),
    record("dates-festival", "مهرجان التمور يفتتح في الرياض",
           [TEASER, "ويستمر المهرجان أسبوعا، وتعرض فيه أصناف السكري والخلاص."]),
    # Another outlet reports on the very words of the disclaimer: that is its story.
    record("press-law", "قانون جديد للصحافة", [
        "قال وزير الإعلام إن المقالات المنشورة تمثل رأي كتابها، وإن الصحف لا تحاسب عليها.",
        "ويأتي القانون بعد نقاش طويل في البرلمان."], source="وكالة الأنباء"),
    # One report republished under six ids: its lines are in six articles, all alike.
    *(record(f"camels-{n}", "سباق الهجن في الطائف", [
        "انطلق سباق الهجن السنوي في الطائف بمشاركة ألف مطية.",
        "وتبلغ جوائز السباق عشرة ملايين ريال."]) for n in range(6)),
    # A lead that restates its headline, unquoted: the article's own words.
    record("porsche", "بورش أول شركة ألمانية تتوقف عن استخدام محركات الديزل", [
        "وبذلك ستكون بورش أول شركة ألمانية تتوقف عن استخدام محركات الديزل.",
        "وقالت الشركة إنها ستركز على السيارات الهجينة."], source="وكالة الأنباء"),
]


def write_collection(folder, articles):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.jsonl").write_text(
        "\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def outlets_dir(tmp_path_factory, engine_name):
    base = tmp_path_factory.mktemp(f"boilerplate-{engine_name}")
    build_index([write_collection(base / "articles", ARTICLES)], base / "index", engine_name=engine_name)
    return base


@pytest.fixture(scope="module")
def outlets(outlets_dir):
    with closing(SearchIndex(outlets_dir / "index")) as index:
        yield index


def found(index, query):
    return {hit.id for hit in index.search(query, page_size=50, group_duplicates=False).hits}


def test_a_disclaimer_the_outlet_repeats_does_not_find_its_articles(outlets):
    assert found(outlets, "المقالات المنشورة تمثل رأي كتابها") == {"press-law"}


def test_a_snippet_never_shows_the_disclaimer(outlets):
    hits = outlets.search("رأي", page_size=50, group_duplicates=False).hits
    assert {hit.id for hit in hits} >= {f"opinion-{n}" for n in range(len(TOPICS))}
    assert all("جميع" not in hit.snippet for hit in hits)


def test_another_reports_lead_appended_as_a_teaser_finds_only_that_report(outlets):
    assert found(outlets, "مهرجان التمور في حي الملز") == {"dates-festival"}


def test_the_article_page_still_shows_the_disclaimer_unmarked(outlets):
    body = outlets.document("opinion-0", "المقالات")["body_html"]
    assert "جميع المقالات المنشورة تمثل رأي كتابها فقط." in body
    assert "<mark>" not in body


def test_a_republished_article_is_still_found_by_its_words(outlets):
    assert found(outlets, "سباق الهجن في الطائف") == {f"camels-{n}" for n in range(6)}
    assert found(outlets, "جوائز السباق") == {f"camels-{n}" for n in range(6)}


def test_a_lead_that_restates_its_headline_is_still_searched(outlets):
    assert found(outlets, "نص:الديزل") == {"porsche"}


def test_an_article_added_by_update_is_judged_by_the_lines_its_build_counted(tmp_path, engine_name):
    folder, root = write_collection(tmp_path / "articles", ARTICLES), tmp_path / "index"
    build_index([folder], root, engine_name=engine_name)
    write_collection(folder, [*ARTICLES, opinion(9, "مستقبل الزراعة في الواحات")])
    assert update_index([folder], root).added == ["opinion-9"]
    with closing(SearchIndex(root)) as index:
        assert found(index, "مستقبل الزراعة في الواحات") == {"opinion-9"}
        assert found(index, "المقالات المنشورة تمثل رأي كتابها") == {"press-law"}


# --- a line that only wraps the headline (seed 003) --------------------------------------

WRAPPED = "003_58cafd3a0bd33588"


def test_a_headline_wrapper_is_not_searched_as_body(seeds):
    # «المقدمة» is in the headline and in the lines that wrap it, nowhere else.
    assert WRAPPED in found(seeds, "عنوان:المقدمة")
    assert WRAPPED not in found(seeds, "نص:المقدمة")


def test_a_snippet_never_shows_the_headline_wrapper(seeds):
    hits = seeds.search("لافروف كيم كوريا الشمالية", page_size=10, group_duplicates=False).hits
    snippet = next(hit.snippet for hit in hits if hit.id == WRAPPED)
    assert "نترككم" not in snippet and "نشكركم" not in snippet
