"""Filtering by outlet and date, facet counts per outlet and year, and newest-first order,
on a collection of Arabic news from five outlets (tests/data/news.jsonl)."""

import json
import time
from collections import Counter
from contextlib import closing
from datetime import date

import pytest

from indexer import QueryError, SearchIndex, build_index
from indexer.engine.base import DeadlinePassed
from indexer.search.facets import Filters, facet_counts

ALJAZEERA, AAWSAT, BBC = "الجزيرة نت", "الشرق الأوسط", "بي بي سي عربي"


def every_report(index, query, **filters):
    return index.search(query, page_size=100, group_duplicates=False, **filters).hits


def counts(facet):
    return {entry["value"]: entry["count"] for entry in facet}


@pytest.mark.parametrize("query", ["بعد", "الرئيس", "درجة الحرارة", "كأس", "وزارة"])
def test_source_counts_equal_matching_articles_per_outlet(news, query):
    expected = Counter(hit.source for hit in every_report(news, query))
    assert counts(news.search(query).facets["source"]) == expected


def test_year_month_and_day_counts_cover_the_whole_result_not_the_page(news):
    result = news.search("بعد", page_size=1)
    reports = every_report(news, "بعد")
    assert counts(result.facets["year"]) == Counter(hit.published[:4] for hit in reports)
    assert counts(result.facets["month"]) == Counter(hit.published[:7] for hit in reports)
    assert counts(result.facets["day"]) == Counter(hit.published for hit in reports)
    assert sum(counts(result.facets["source"]).values()) == result.total == len(reports)
    # Newest years first, so a reader sees this year's coverage at the top.
    assert [entry["value"] for entry in result.facets["year"]] == ["2025", "2024", "2023"]


def test_filter_by_one_source_keeps_only_its_articles(news):
    result = news.search("بعد", source=ALJAZEERA, page_size=100)
    assert result.hits and {hit.source for hit in every_report(news, "بعد", source=ALJAZEERA)} == {ALJAZEERA}
    assert result.total == counts(news.search("بعد").facets["source"])[ALJAZEERA]
    assert result.filters == {"source": [ALJAZEERA], "date_from": None, "date_to": None}


def test_several_sources_are_alternatives(news):
    both = every_report(news, "الحرارة", source=[ALJAZEERA, AAWSAT])
    assert {hit.id for hit in both} == {"iraq-heat-aljazeera", "iraq-heat-aawsat"}


def test_source_facet_still_lists_other_outlets_while_one_is_ticked(news):
    result = news.search("الحرارة", source=[ALJAZEERA])
    assert counts(result.facets["source"]) == {ALJAZEERA: 1, AAWSAT: 1, "سكاي نيوز عربية": 1}
    assert result.total == 1


def test_date_range_is_inclusive_at_both_ends(news):
    day = date(2025, 7, 20)
    assert {h.id for h in every_report(news, "الحرارة", date_from=day, date_to=day)} == {
        "iraq-heat-skynews", "iraq-heat-aljazeera"}
    assert {h.id for h in every_report(news, "الحرارة", date_from=date(2025, 7, 21))} == {"iraq-heat-aawsat"}
    assert {h.id for h in every_report(news, "الحرارة", date_to=date(2025, 7, 20))} == {
        "iraq-heat-skynews", "iraq-heat-aljazeera"}


def test_source_and_date_filters_narrow_each_other(news):
    hits = every_report(news, "العام", source=[BBC], date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert [(h.source, h.published[:4]) for h in hits] == [(BBC, "2024")]
    assert hits[0].id == "mpox-emergency"


def test_newest_sort_orders_by_publication_date(news):
    hits = news.search("بعد", sort="newest", page_size=100, group_duplicates=False).hits
    dates = [hit.published for hit in hits]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 15
    # By relevance the same hits come in another order, so the sort did the work.
    by_relevance = [hit.published for hit in every_report(news, "بعد")]
    assert by_relevance != dates and sorted(by_relevance) == sorted(dates)


def test_relevance_is_the_default_order(news):
    hits = news.search("لافروف", group_duplicates=False).hits
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert news.search("لافروف").sort == "relevance"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, engine_name):
    """Reports of one event, some undated (a scraped page without a date)."""
    records = [
        {"id": "old", "title": "زلزال في المغرب", "text": "ضرب زلزال قوي إقليم الحوز.", "published": "2023-09-08"},
        {"id": "undated", "title": "زلزال الحوز", "text": "زلزال زلزال زلزال في الحوز وإقليم مراكش."},
        {"id": "new", "title": "ذكرى الزلزال", "text": "مرت سنة على زلزال الحوز.", "published": "2024-09-08"},
        {"id": "same_day_weak", "title": "أخبار", "text": "أعيد فتح مدارس الحوز بعد الزلزال.", "published": "2024-09-08"},
    ]
    src = tmp_path_factory.mktemp("mixed") / "mixed.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    root = tmp_path_factory.mktemp("mixed-index") / "index"
    build_index([src], root, engine_name=engine_name)
    index = SearchIndex(root)
    yield index
    index.close()


def test_newest_puts_undated_last_and_breaks_date_ties_by_score(mixed):
    hits = mixed.search("زلزال", sort="newest", group_duplicates=False).hits
    assert [h.id for h in hits][-1] == "undated"
    same_day = [h for h in hits if h.published == "2024-09-08"]
    assert [h.score for h in same_day] == sorted((h.score for h in same_day), reverse=True)
    assert [h.published for h in hits] == ["2024-09-08", "2024-09-08", "2023-09-08", None]


def test_undated_articles_are_counted_under_no_year(mixed):
    result = mixed.search("زلزال")
    assert counts(result.facets["year"]) == {"2024": 2, "2023": 1}
    assert result.total == 4


@pytest.mark.parametrize("kwargs, message", [
    ({"sort": "oldest"}, "ترتيب غير معروف"),
    ({"date_from": date(2025, 1, 2), "date_to": date(2025, 1, 1)}, "تاريخ البداية بعد تاريخ النهاية"),
    ({"date_from": "2025-01-01"}, "YYYY-MM-DD"),
    ({"source": [7]}, "المصدر"),
])
def test_bad_filters_are_refused_with_a_message(news, kwargs, message):
    with pytest.raises(QueryError, match=message):
        news.search("لافروف", **kwargs)


def test_json_carries_facets_filters_and_sort(news):
    data = news.search("لافروف", sort="newest", source="الجزيرة نت").to_dict()
    assert data["sort"] == "newest"
    assert data["filters"]["source"] == ["الجزيرة نت"]
    assert {"source", "year", "month", "day"} <= set(data["facets"])
    assert data["hits"][0]["published"] == "2025-07-13" and data["hits"][0]["source"] == "الجزيرة نت"


def test_counting_past_the_search_deadline_is_refused(news):
    q = news.parse("بعد")
    reader = news.snapshot.reader
    assert counts(facet_counts(reader, q, Filters(), deadline=time.monotonic() + 60)["source"])
    with pytest.raises(DeadlinePassed):
        facet_counts(reader, q, Filters(), deadline=time.monotonic() - 1)


def test_a_filtered_search_of_a_large_result_answers_with_the_outlets_best(tmp_path, engine_name):
    """600 articles: the word's postings span several blocks, so the engine skips blocks
    that cannot reach the page (Whoosh's block-quality pruning, which Whoosh's own
    ``Require`` broke with an assertion: every filtered search of a large collection
    failed). The filtered page holds the outlet's articles that use the word most (within
    a use or two: longer articles weigh each use less)."""
    records = [{"id": f"n{i}", "title": f"خبر رقم {i}", "text": " ".join(["الاقتصاد"] * (1 + i * 7 % 13)) + " والنمو",
                "source": "الجزيرة نت" if i % 3 else "العربية نت"} for i in range(600)]
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    build_index([src], tmp_path / "index", engine_name=engine_name)
    uses = {r["id"]: r["text"].count("الاقتصاد") for r in records}
    with closing(SearchIndex(tmp_path / "index")) as index:
        for outlet, count in (("الجزيرة نت", 400), ("العربية نت", 200)):
            page = index.search("الاقتصاد", page_size=10, source=outlet, group_duplicates=False)
            assert page.total == count and len(page.hits) == 10
            assert {h.source for h in page.hits} == {outlet}
            most = max(uses[r["id"]] for r in records if r["source"] == outlet)
            assert min(uses[h.id] for h in page.hits) >= most - 2
