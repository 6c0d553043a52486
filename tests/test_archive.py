"""The news archive around the results, through Flask's test client over the news articles
(tests/data/news.jsonl: five outlets, 2023-2025, stories told by several outlets):
coverage over time, story timelines, following a search, taking results away."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from indexer.search import export
from webui.archive import atom_time, lead, timeline
from webui.coverage import coverage

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A story of the Iraqi heat wave as the story model groups it: two outlets, 20 and 21 July
# 2025 (Sky News's report of the 20th stands apart: the model is chosen for precision).
HEAT_STORY = {"iraq-heat-aljazeera": "2025-07-20", "iraq-heat-aawsat": "2025-07-21"}


def text(response):
    return response.get_data(as_text=True)


def query_of(url):
    return parse_qs(urlsplit(url.replace("&amp;", "&")).query)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Structure(HTMLParser):
    """What a page's markup gets wrong: tags closed out of order or left open, ids used
    twice, labels and ARIA references to ids that do not exist, links without a name."""

    def __init__(self):
        super().__init__()
        self.open, self.ids, self.references, self.problems = [], [], [], []
        self.link_text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            self.references += (attrs.get(name) or "").split()
        if tag == "a":
            self.link_text = attrs.get("aria-label") or ""
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        """``<rect .../>``: a complete element (SVG), nothing left open."""
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag == "a" and self.link_text is not None and not self.link_text.strip():
            self.problems.append("a link without a name")
        if tag == "a":
            self.link_text = None
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()

    def handle_data(self, data):
        if self.link_text is not None:
            self.link_text += data

    def check(self, html):
        self.feed(html)
        self.close()
        self.problems += [f"<{tag}> left open" for tag in self.open]
        self.problems += [f"id {i!r} used twice" for i in set(self.ids) if self.ids.count(i) > 1]
        self.problems += [f"reference to a missing id {r!r}" for r in self.references if r not in self.ids]
        return self.problems


def well_formed(html):
    return Structure().check(html) == []


# --- coverage over time ----------------------------------------------------------------

def facet(counts):
    return [{"value": value, "count": n} for value, n in counts.items()]


def test_chart_has_a_bar_per_month_with_empty_months_between():
    chart = coverage({"month": facet({"2025-03": 4, "2025-01": 2}),
                      "day": facet({"2025-01-05": 2, "2025-03-10": 3, "2025-03-31": 1})})
    assert chart.unit == "month"
    assert [(bar.start, bar.end, bar.count, bar.height) for bar in chart.bars] == [
        (date(2025, 1, 1), date(2025, 1, 31), 2, 50),
        (date(2025, 2, 1), date(2025, 2, 28), 0, 0),
        (date(2025, 3, 1), date(2025, 3, 31), 4, 100),
    ]


def test_chart_has_a_bar_per_day_when_the_results_span_less_than_two_months():
    chart = coverage({"day": facet({"2025-07-20": 3, "2025-07-22": 1})})
    assert chart.unit == "day"
    assert [(bar.start, bar.count) for bar in chart.bars] == [
        (date(2025, 7, 20), 3), (date(2025, 7, 21), 0), (date(2025, 7, 22), 1)]
    assert chart.bars[2].height == 33


def test_chart_keeps_to_the_chosen_range_so_a_month_opens_into_days():
    days = facet({"2024-12-31": 5, "2025-01-02": 1, "2025-01-20": 2, "2025-02-01": 7})
    chart = coverage({"day": days}, date(2025, 1, 1), date(2025, 1, 31))
    assert chart.unit == "day" and chart.bars[0].start == date(2025, 1, 2) and chart.bars[-1].start == date(2025, 1, 20)
    assert sum(bar.count for bar in chart.bars) == 3
    # A range cutting months: the first bar starts where the range does.
    chart = coverage({"day": days + facet({"2025-04-01": 1})}, date(2025, 1, 15), None)
    assert chart.unit == "month" and (chart.bars[0].start, chart.bars[0].end) == (date(2025, 1, 15), date(2025, 1, 31))


def test_no_chart_for_one_period_or_no_dates():
    assert coverage({"day": facet({"2025-07-20": 3})}) is None
    assert coverage({"day": [], "month": []}) is None
    assert coverage({"source": facet({"الجزيرة نت": 2})}) is None


def test_chart_without_day_counts_uses_the_months():
    chart = coverage({"month": facet({"2023-04": 3, "2025-07": 6})})
    assert chart.unit == "month" and len(chart.bars) == 28 and chart.bars[-1].height == 100


def chart_bars(html):
    """(accessible label, link or None) of each bar of the results page's chart."""
    section = re.search(r'<section class="coverage".*?</section>', html, re.S).group()
    return re.findall(r'<li[^>]*>\s*(?:<a href="([^"]+)"[^>]*>|<span class="empty-bar">)\s*<svg.*?'
                      r'<span class="visually-hidden">([^<]+)</span>', section, re.S)


def test_results_page_charts_coverage_per_month_with_links_that_narrow_the_dates(news_client):
    html = text(news_client.get("/", query_string={"q": "بعد"}))
    assert well_formed(html)
    assert "التغطية عبر الزمن" in html and "(المقالات في كل شهر)" in html
    bars = chart_bars(html)
    assert len(bars) == 28  # April 2023 to July 2025, months without a result included
    link, label = bars[0]
    assert label == "أبريل ٢٠٢٣: مقال واحد"  # Arabic-Indic digits and the count's own noun
    assert query_of(link) == {"q": ["بعد"], "from": ["2023-04-01"], "to": ["2023-04-30"]}
    assert bars[1] == ("", "مايو ٢٠٢٣: لا مقالات")  # nothing to narrow to: no link
    july = bars[-1]
    assert july[1].startswith("يوليو ٢٠٢٥") and query_of(july[0])["to"] == ["2025-07-31"]


def test_a_month_bar_leads_to_that_months_days(news_client):
    html = text(news_client.get("/", query_string={"q": "بعد"}))
    july = chart_bars(html)[-1][0]
    narrowed = text(news_client.get(july.replace("&amp;", "&")))
    assert "(المقالات في كل يوم)" in narrowed
    bars = chart_bars(narrowed)
    assert [label for _, label in bars][:2] == ["١ يوليو ٢٠٢٥: مقالان", "٢ يوليو ٢٠٢٥: لا مقالات"]
    day = next(link for link, label in bars if label.startswith("١٢ يوليو"))
    assert query_of(day) == {"q": ["بعد"], "from": ["2025-07-12"], "to": ["2025-07-12"]}
    one_day = text(news_client.get(day.replace("&amp;", "&")))
    assert 'class="coverage"' not in one_day and "<time datetime=\"2025-07-12\">" in one_day  # one bar: no chart


def test_chart_bars_keep_the_chosen_outlets(news_client):
    html = text(news_client.get("/", query_string={"q": "بعد", "source": "بي بي سي عربي"}))
    links = [link for link, _ in chart_bars(html) if link]
    assert links and all(query_of(link)["source"] == ["بي بي سي عربي"] for link in links)


def test_api_search_carries_the_day_counts_of_the_chart(news_client):
    data = news_client.get("/api/search", query_string={"q": "كيم"}).get_json()
    days = {entry["value"]: entry["count"] for entry in data["facets"]["day"]}
    assert days == {"2025-07-11": 1, "2025-07-12": 2, "2025-07-13": 2}


# --- story pages ----------------------------------------------------------------------

def timeline_ids(html):
    return [unquote(m) for m in re.findall(r'<h2 class="hit-title"><a href="/doc/([^"?]+)', html)]


def test_story_page_lists_every_outlets_report_oldest_first(news_client):
    response = news_client.get("/story/iraq-heat-aawsat")
    html = text(response)
    assert response.status_code == 200 and well_formed(html)
    assert timeline_ids(html) == ["iraq-heat-aljazeera", "iraq-heat-aawsat"]
    days = re.findall(r'<time datetime="([^"]+)"', html)
    assert days == sorted(days) == sorted(HEAT_STORY.values())
    assert "تقريران من مصدرين، من ٢٠ يوليو ٢٠٢٥ إلى ٢١ يوليو ٢٠٢٥." in html
    # Outlet, headline and the first lines of each report; the one opened is marked.
    assert html.count('<span class="source"><bdi>') == 2
    assert re.search(r'<p class="snippet">[^<]{100,}…</p>', html)
    assert re.search(r'class="report opened">.*?المقال الذي فتحته.*?iraq-heat-aawsat', html, re.S)


def test_story_page_newest_first(news_client):
    html = text(news_client.get("/story/iraq-heat-aawsat?sort=newest"))
    days = re.findall(r'<time datetime="([^"]+)"', html)
    assert days == sorted(days, reverse=True)
    assert re.search(r'aria-current="true">الأحدث أولًا</a>', html)


def test_story_page_of_an_article_told_once_says_so(news_client):
    html = text(news_client.get("/story/walking-study"))
    assert timeline_ids(html) == ["walking-study"]
    assert "لم نجد تقارير أخرى" in html


def test_story_page_errors(news_client):
    assert news_client.get("/story/unknown").status_code == 404
    bad = news_client.get("/story/walking-study?sort=random")
    assert bad.status_code == 400 and "رتّب التقارير" in text(bad)


def test_story_is_linked_from_the_folded_reports_and_from_the_article(news_client):
    results = text(news_client.get("/", query_string={"q": "العراق"}))
    story = re.search(r'<details class="duplicates">.*?<a href="(/story/[^"]+)">الخبر في كل المصادر', results, re.S)
    assert story and query_of(story.group(1)) == {"q": ["العراق"]}
    page = text(news_client.get(story.group(1)))
    assert set(timeline_ids(page)) == set(HEAT_STORY)
    assert "→ العودة إلى نتائج «العراق»" in page
    article = text(news_client.get("/doc/iraq-heat-aawsat"))
    assert '<a href="/story/iraq-heat-aawsat">الخبر في كل المصادر على خط زمني</a>' in article


def test_timeline_puts_undated_reports_last_and_leads_are_cut_at_a_word():
    reports = [{"id": "b", "published": None, "source": "", "searched_body": "نص"},
               {"id": "a", "published": "2025-07-02", "source": "س", "searched_body": "نص"},
               {"id": "c", "published": "2025-07-01", "source": "س", "searched_body": "نص"}]
    assert [r["id"] for r in timeline(reports)] == ["c", "a", "b"]
    assert [r["id"] for r in timeline(reports, newest_first=True)] == ["a", "c", "b"]
    assert lead("أول سطر\nثاني سطر", 8) == "أول سطر…"
    assert lead("قصير") == "قصير"


# --- following a search -----------------------------------------------------------------

def parse_feed(response):
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())


def test_feed_is_valid_atom_of_the_newest_matching_articles(news_client):
    feed = parse_feed(news_client.get("/feed", query_string={"q": "كأس"}))
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "ar"
    for required in ("id", "title", "updated", "author/"):
        assert feed.find(ATOM + required.replace("/", f"/{ATOM}name")) is not None, required
    assert feed.find(f"{ATOM}title").text == "«كأس» – بحث عربي"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feed.find(f"{ATOM}updated").text)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://localhost/feed?q=")
    entries = feed.findall(f"{ATOM}entry")
    searched = news_client.get("/api/search", query_string={"q": "كأس", "sort": "newest", "page_size": 20}).get_json()
    assert len(entries) == searched["total"] >= 3
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(ATOM + required).text, required
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith("http://localhost/doc/") and "q=" in link
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "xhtml"
        div = summary.find(f"{XHTML}div")
        assert div.get("dir") == "rtl" and "كأس" in "".join(div.itertext())
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert {entry.find(f"{ATOM}author/{ATOM}name").text for entry in entries} >= {"العربية نت"}


def test_feed_keeps_the_filters(news_client):
    feed = parse_feed(news_client.get("/feed", query_string={"q": "كأس", "source": "العربية نت", "from": "2025-01-01"}))
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}author/{ATOM}name").text == "العربية نت" for e in entries)
    assert all(e.find(f"{ATOM}updated").text >= "2025-01-01" for e in entries)


@pytest.mark.parametrize("params, message", [
    ({"q": ""}, "اكتب كلمة"),
    ({"q": "كأس", "from": "أمس"}, "تاريخ البداية غير صالح"),
    ({"q": "ك*"}, "النجمة"),
])
def test_feed_errors_are_short_arabic_400s(news_client, params, message):
    response = news_client.get("/feed", query_string=params)
    assert response.status_code == 400 and message in text(response)


def test_results_page_announces_the_feed_and_links_it(news_client):
    html = text(news_client.get("/", query_string={"q": "كأس", "sort": "newest", "page": 1}))
    announced = re.search(r'<link rel="alternate" type="application/atom\+xml" title="أحدث نتائج «كأس»" href="([^"]+)">', html)
    visible = re.search(r'<a class="feed-link" href="([^"]+)"[^>]*>تابع هذا البحث', html)
    assert announced and visible and announced.group(1) == visible.group(1)
    assert query_of(announced.group(1)) == {"q": ["كأس"]}  # the feed is newest first anyway
    assert "application/atom+xml" not in text(news_client.get("/"))


def test_atom_times_are_utc():
    assert atom_time("2025-07-20") == "2025-07-20T00:00:00Z"
    assert atom_time("2025-07-20T13:00:00+0300") == "2025-07-20T10:00:00Z"
    assert atom_time(None) is None


# --- taking results away -----------------------------------------------------------------

def test_csv_download_has_every_matching_report_with_a_bom_and_a_file_name(news_client):
    response = news_client.get("/api/search", query_string={"q": "بعد", "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="search.csv"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''")[1]) == "بحث-بعد.csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbfid,title,outlet,date,url,score\r\n")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    every = news_client.get("/api/search", query_string={"q": "بعد", "page_size": 100}).get_json()
    reports = sum(1 + len(hit["duplicates"]) for hit in every["hits"])
    assert len(rows) == every["total"] == reports == int(response.headers["X-Result-Count"])
    assert {row["outlet"] for row in rows} >= {"الجزيرة نت", "بي بي سي عربي"}
    assert response.headers["Cache-Control"] == "no-store"


def test_jsonl_download_keeps_the_filters_and_order(news_client):
    response = news_client.get("/api/search", query_string={"q": "بعد", "format": "jsonl", "sort": "newest",
                                                            "source": "الشرق الأوسط"})
    assert response.mimetype == "application/x-ndjson"
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert rows and {row["outlet"] for row in rows} == {"الشرق الأوسط"}
    assert [row["date"] for row in rows] == sorted((row["date"] for row in rows), reverse=True)
    assert list(rows[0]) == list(export.COLUMNS)


@pytest.mark.parametrize("params, message", [
    ({"format": "xlsx"}, "format must be one of csv, jsonl"),
    ({"format": "csv", "page": "2"}, "page does not apply with format=csv"),
    ({"format": "csv", "q": "ك*"}, "النجمة"),
    ({"format": "csv", "from": "أمس"}, "from must be a date"),
])
def test_bad_downloads_are_400_json(news_client, params, message):
    response = news_client.get("/api/search", query_string={"q": "بعد", **params})
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_results_page_links_the_downloads_with_its_filters(news_client):
    html = text(news_client.get("/", query_string={"q": "بعد", "source": "الجزيرة نت"}))
    links = re.findall(r'<a href="(/api/search\?[^"]+)" download>(CSV|JSON Lines)</a>', html)
    assert [name for _, name in links] == ["CSV", "JSON Lines"]
    assert [query_of(link) for link, _ in links] == [
        {"format": [fmt], "q": ["بعد"], "source": ["الجزيرة نت"]} for fmt in ("csv", "jsonl")]


# --- Arabic dates in the filter ---------------------------------------------------------

def test_date_filter_is_text_showing_arabic_dates_with_a_hint(news_client):
    html = text(news_client.get("/", query_string={"q": "كيم", "from": "2025-07-12"}))
    assert 'type="date"' not in html and well_formed(html)
    assert '<input id="from" name="from" type="text" value="١٢ يوليو ٢٠٢٥"' in html
    assert '<input id="to" name="to" type="text" value=""' in html
    assert 'aria-describedby="dates-hint"' in html and "مثل ٢٠ يوليو ٢٠٢٥" in html
