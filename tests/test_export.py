"""Every article a search matches, page after page, as rows to keep (indexer.search.export), over
the news articles (tests/data/news.jsonl)."""

import csv
import io
import json

from indexer.search import export


def test_pages_of_a_search_add_up_to_every_matching_report(news):
    every = news.search("بعد", page_size=100, group_duplicates=False).hits
    rows = list(export.rows(export.pages(news.search, "بعد", page_size=4)))
    assert len(every) > 8  # several pages of four
    assert [row["id"] for row in rows] == [hit.id for hit in every]


def test_an_export_keeps_the_filters_and_the_newest_first_order(news):
    rows = list(export.rows(export.pages(news.search, "بعد", page_size=3, sort="newest", source="الجزيرة نت")))
    assert rows and {row["outlet"] for row in rows} == {"الجزيرة نت"}
    assert [row["date"] for row in rows] == sorted((row["date"] for row in rows), reverse=True)


def test_an_export_stops_at_the_deepest_page_a_search_ranks(news, monkeypatch):
    monkeypatch.setattr(export, "MAX_PAGE", 2)
    rows = list(export.rows(export.pages(news.search, "بعد", page_size=3)))
    assert len(rows) == 6


def test_csv_has_a_byte_order_mark_a_header_and_quotes_what_needs_it():
    article = {"id": "a1", "title": 'قال: "نعم، غدًا"', "outlet": "الجزيرة نت", "date": "2025-07-20",
               "url": "https://example.com/a?b=1,2", "score": 3.5}
    text = "".join(export.lines([article], "csv"))
    assert text.startswith("\ufeffid,title,outlet,date,url,score\r\n")
    assert list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))) == [{**article, "score": "3.5"}]


def test_json_lines_are_readable_arabic_one_article_a_line():
    articles = [{"id": "a1", "title": "خبر", "outlet": "", "date": "", "url": "", "score": 1.0},
                {"id": "a2", "title": "سطر\nثان", "outlet": "", "date": "", "url": "", "score": 0.5}]
    lines = list(export.lines(articles, "jsonl"))
    assert lines[0] == '{"id": "a1", "title": "خبر", "outlet": "", "date": "", "url": "", "score": 1.0}\n'
    assert [json.loads(line) for line in lines] == articles
