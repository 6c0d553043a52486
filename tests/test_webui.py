"""The web UI through Flask's test client, over real indexes built in tmp_path."""

import json
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

import webui
from indexer import build_index
from webui import arabic
from webui.pages import page_links

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_COUNT = 5

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# Articles whose text is hostile HTML, and an id that needs escaping in a URL.
EXTRA_ARTICLES = [
    {"id": "xss/مقال 1", "title": f"<b>تجربة</b> عنوان {SCRIPT}",
     "text": f"هذه تجربة أولى {SCRIPT} ثم صورة {IMG} في نص المقال.\nوفي السطر الثاني تجربة أخرى."},
    {"id": "plain", "title": "مقال عادي", "text": "نص قصير عن السفر والتجارب."},
]


def write_extra_articles(folder):
    folder.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(article, ensure_ascii=False) for article in EXTRA_ARTICLES)
    (folder / "extra.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def extra_client(tmp_path_factory):
    base = tmp_path_factory.mktemp("extra")
    build_index([write_extra_articles(base / "articles")], base / "index")
    return webui.create_app({"TESTING": True}, index_dir=base / "index").test_client()


@pytest.fixture
def paged_client(seed_index_dir):
    """Two results a page, so the seeds give several pages."""
    return webui.create_app({"TESTING": True, "PAGE_SIZE": 2}, index_dir=seed_index_dir).test_client()


def text(response):
    return response.get_data(as_text=True)


def hit_ids(html):
    """The article ids the results page links to, in order."""
    return [unquote(m) for m in re.findall(r'class="hit-title"><a href="/doc/([^"?]+)\?', html)]


def links(html, rel):
    return re.findall(rf'<a rel="{rel}" href="([^"]+)"', html)


def query_of(url):
    """The query parameters of a link found in a page (its ``&amp;`` unescaped)."""
    return parse_qs(urlsplit(url.replace("&amp;", "&")).query)


# --- the search page ---------------------------------------------------------------

def test_home_page_is_arabic_rtl_with_a_labelled_search_box(client):
    response = client.get("/")
    html = text(response)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r'<label[^>]* for="q"', html)
    assert re.search(r'<input id="q" name="q" type="search" value=""', html)
    assert '<form class="search-form" action="/" method="get"' in html


def test_search_finds_the_articles_and_marks_the_word(client):
    html = text(client.get("/", query_string={"q": "لافروف"}))
    ids = hit_ids(html)
    assert len(ids) == SEED_COUNT
    assert len(re.findall(r'<p class="snippet">.*?<mark>لافروف</mark>', html, re.S)) >= 3
    assert "٥ نتائج" in html  # Arabic digits, and the plural Arabic uses for 3 to 10
    assert "ثانية" in html
    assert 'value="لافروف"' in html  # the query stays in the box
    assert f'href="/doc/{ids[0]}?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in html


def test_diacritised_query_finds_the_same_articles(client):
    plain = hit_ids(text(client.get("/?q=لافروف")))
    diacritised = hit_ids(text(client.get("/?q=لَافْرُوف")))
    assert diacritised == plain


def test_empty_query_asks_for_words(client):
    for q in ("", "   "):
        response = client.get("/", query_string={"q": q})
        assert response.status_code == 200
        assert "لم تكتب شيئًا للبحث عنه" in text(response)


def test_no_results_says_so(client):
    html = text(client.get("/?q=زرافة"))
    assert "لا نتائج لـ«زرافة»" in html
    assert hit_ids(html) == []


def test_any_word_fallback_is_explained(client):
    html = text(client.get("/?q=لافروف زرافة"))
    assert "لا يحوي أيُّ مقال كلَّ كلمات البحث" in html
    assert len(hit_ids(html)) == SEED_COUNT
    assert "كلَّ كلمات" not in text(client.get("/?q=لافروف كيم"))


def test_query_error_is_shown_with_400(client):
    response = client.get("/", query_string={"q": "ك" * 1001})
    assert response.status_code == 400
    assert "تعذّر تنفيذ هذا البحث" in text(response)
    assert "query too long" in text(response)


def test_query_html_is_escaped(client):
    response = client.get("/", query_string={"q": f'{SCRIPT} "><b>'})
    html = text(response)
    assert response.status_code == 200
    assert "<script" not in html.lower()
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;b&gt;"' in html


# --- pagination ----------------------------------------------------------------------

def test_pages_link_to_each_other_with_stable_urls(paged_client):
    first = text(paged_client.get("/?q=كيم"))
    assert "الصفحة ١ من ٣" in first
    assert links(first, "prev") == []
    [next_url] = links(first, "next")
    assert query_of(next_url) == {"q": ["كيم"], "page": ["2"]}

    second = text(paged_client.get(next_url.replace("&amp;", "&")))
    [prev_url] = links(second, "prev")
    assert query_of(prev_url) == {"q": ["كيم"]}  # page 1 has one address, without page=
    assert 'aria-current="page"' in second and ">٢</a>" in second
    third = text(paged_client.get("/?q=كيم&page=3"))
    assert links(third, "next") == []

    ids = hit_ids(first) + hit_ids(second) + hit_ids(third)
    assert len(ids) == SEED_COUNT == len(set(ids))
    assert re.search(r'<ol class="hits" start="3">', second)


@pytest.mark.parametrize("page", ["abc", "-1", "0", "", "1.5", "٣x"])
def test_invalid_page_number_shows_the_first_page(paged_client, page):
    response = paged_client.get("/", query_string={"q": "كيم", "page": page})
    assert response.status_code == 200
    assert hit_ids(text(response)) == hit_ids(text(paged_client.get("/?q=كيم")))


@pytest.mark.parametrize("page", ["4", "99999999999", "9" * 5000])
def test_page_past_the_end_redirects_to_the_last(paged_client, page):
    response = paged_client.get("/", query_string={"q": "كيم", "page": page})
    if page == "9" * 5000:  # too many digits to be a number: the first page
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert query_of(response.headers["Location"]) == {"q": ["كيم"], "page": ["3"]}


def test_page_links_leave_out_distant_pages():
    assert page_links(1, 1) == [1]
    assert page_links(1, 3) == [1, 2, 3]
    assert page_links(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert page_links(4, 20) == [1, 2, 3, 4, 5, 6, None, 20]  # no "…" for a single page


# --- one article ---------------------------------------------------------------------

def test_document_shows_the_whole_article_highlighted(client):
    doc_id = hit_ids(text(client.get("/?q=لافروف")))[0]
    html = text(client.get(f"/doc/{doc_id}", query_string={"q": "لافروف"}))
    last_line = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert re.search(r"<h1>.*<mark>لافروف</mark>", html)
    assert html.count("<mark>") > 3
    assert last_line.split()[-1] in html  # the body to its end, not a snippet
    assert 'href="/?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81"' in html  # back to the results


def test_document_without_query_has_no_marks(client):
    html = text(client.get("/doc/003_58cafd3a0bd33588"))
    assert "<mark>" not in html
    assert "لافروف روسيا يلتقي كيم جونغ أون" in html


def test_document_with_overlong_query_is_shown_unmarked(client):
    response = client.get("/doc/003_58cafd3a0bd33588", query_string={"q": "ك" * 1001})
    assert response.status_code == 200
    assert "<mark>" not in text(response)


@pytest.mark.parametrize("path", [
    "/doc/unknown",
    "/doc/../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc/..%2f..%2fetc%2fpasswd",
    "/doc/",
    "/nothing-here",
])
def test_unknown_pages_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in text(response)


# --- hostile article text --------------------------------------------------------------

def test_article_html_is_escaped_in_results(extra_client):
    html = text(extra_client.get("/?q=تجربة"))
    assert hit_ids(html) == ["xss/مقال 1"]
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>" not in html
    # The title is shown escaped, with the query's word marked inside it.
    assert "&lt;b&gt;<mark>تجربة</mark>&lt;/b&gt; عنوان &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # snippet
    assert "<mark>تجربة</mark>" in html


def test_article_html_is_escaped_in_document_view(extra_client):
    response = extra_client.get("/doc/xss/%D9%85%D9%82%D8%A7%D9%84%201?q=تجربة")
    html = text(response)
    assert response.status_code == 200
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>" not in html
    assert "&lt;b&gt;<mark>تجربة</mark>&lt;/b&gt;" in html
    assert f"&lt;script&gt;alert(1)&lt;/script&gt; ثم صورة &lt;img src=x onerror=alert(1)&gt;" in html


def test_article_html_is_escaped_in_api(extra_client):
    [hit] = extra_client.get("/api/search?q=تجربة").get_json()["hits"]
    assert hit["title"] == EXTRA_ARTICLES[0]["title"]  # JSON carries the text as written
    assert "&lt;script&gt;" in hit["snippet"] and "<script" not in hit["snippet"]


# --- JSON API ------------------------------------------------------------------------

def test_api_search(client):
    response = client.get("/api/search", query_string={"q": "لافروف", "page_size": 2, "page": 2})
    data = response.get_json()
    assert response.status_code == 200
    assert "لافروف" in response.get_data(as_text=True)  # not \u escapes
    assert data["total"] == SEED_COUNT and data["page"] == 2 and data["page_size"] == 2
    assert data["mode"] == "all" and isinstance(data["took_ms"], float)
    assert [sorted(hit) for hit in data["hits"]] == [["id", "score", "snippet", "title", "title_html"]] * 2
    assert all("<mark>" in hit["snippet"] for hit in data["hits"])


def test_api_diacritised_query_matches_plain(client):
    def ids(q):
        return [hit["id"] for hit in client.get("/api/search", query_string={"q": q}).get_json()["hits"]]
    assert ids("لَافْرُوف") == ids("لافروف") != []


@pytest.mark.parametrize("params, message", [
    ({}, "empty query"),
    ({"q": "  "}, "empty query"),
    ({"q": "ك" * 1001}, "query too long"),
    ({"q": "كيم", "page": "abc"}, "page must be a whole number"),
    ({"q": "كيم", "page": "0"}, "page must be 1 or more"),
    ({"q": "كيم", "page": "-1"}, "page must be 1 or more"),
    ({"q": "كيم", "page": "99999999999"}, "past the last page (1)"),
    ({"q": "كيم", "page_size": "0"}, "page_size must be from 1 to 100"),
    ({"q": "كيم", "page_size": "1000"}, "page_size must be from 1 to 100"),
    ({"q": "كيم", "page_size": "ten"}, "page_size must be a whole number"),
])
def test_api_bad_requests_are_400_json(client, params, message):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "documents": SEED_COUNT}


# --- the index on disk -----------------------------------------------------------------

def test_missing_index_is_503_until_one_is_built(tmp_path):
    root = tmp_path / "index"
    client = webui.create_app({"TESTING": True, "REFRESH_SECONDS": 0}, index_dir=root).test_client()
    for path in ("/", "/?q=كيم", "/doc/003_58cafd3a0bd33588"):
        response = client.get(path)
        assert response.status_code == 503
        assert "لم يُبنَ فهرس البحث بعد" in text(response)
        assert str(tmp_path) not in text(response)
    for path in ("/api/search?q=كيم", "/healthz"):
        response = client.get(path)
        assert response.status_code == 503
        assert response.get_json()["status"] == "unavailable"

    build_index([SEEDS], root)
    assert client.get("/healthz").get_json() == {"status": "ok", "documents": SEED_COUNT}
    assert len(hit_ids(text(client.get("/?q=كيم")))) == SEED_COUNT


def rebuild_with_extra(root, tmp_path):
    build_index([SEEDS, write_extra_articles(tmp_path / "extra")], root)


def test_rebuilt_index_is_served_without_restart(tmp_path):
    root = tmp_path / "index"
    build_index([SEEDS], root)
    client = webui.create_app({"TESTING": True, "REFRESH_SECONDS": 0}, index_dir=root).test_client()
    assert client.get("/healthz").get_json()["documents"] == SEED_COUNT
    rebuild_with_extra(root, tmp_path)
    assert client.get("/healthz").get_json()["documents"] == SEED_COUNT + len(EXTRA_ARTICLES)
    assert hit_ids(text(client.get("/?q=تجربة"))) == ["xss/مقال 1"]


def test_index_is_checked_for_a_rebuild_only_every_few_seconds(tmp_path):
    root = tmp_path / "index"
    build_index([SEEDS], root)
    now = [0.0]
    app = webui.create_app({"TESTING": True}, index_dir=root)
    app.extensions["live_index"]._clock = lambda: now[0]
    client = app.test_client()
    assert client.get("/healthz").get_json()["documents"] == SEED_COUNT
    rebuild_with_extra(root, tmp_path)
    now[0] = 1.9
    assert client.get("/healthz").get_json()["documents"] == SEED_COUNT
    now[0] = 2.0
    assert client.get("/healthz").get_json()["documents"] == SEED_COUNT + len(EXTRA_ARTICLES)


def test_concurrent_searches_during_rebuilds(tmp_path):
    root = tmp_path / "index"
    build_index([SEEDS], root)
    app = webui.create_app({"TESTING": True, "REFRESH_SECONDS": 0}, index_dir=root)
    statuses, totals = [], []

    def search():
        client = app.test_client()
        for _ in range(10):
            response = client.get("/api/search?q=كيم")
            statuses.append(response.status_code)
            totals.append(response.get_json()["total"])

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(2):
        rebuild_with_extra(root, tmp_path)
    for thread in threads:
        thread.join()
    assert set(statuses) == {200}
    assert set(totals) == {SEED_COUNT}  # the extra articles do not mention Kim


# --- app set-up ------------------------------------------------------------------------

def test_index_dir_comes_from_argument_then_config_then_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARABIC_SEARCH_INDEX", raising=False)
    assert webui.create_app().config["INDEX_DIR"] == str(tmp_path / "index")
    monkeypatch.setenv("ARABIC_SEARCH_INDEX", "from-env")
    assert webui.create_app().config["INDEX_DIR"] == str(tmp_path / "from-env")
    assert webui.create_app({"INDEX_DIR": "/srv/cfg"}).config["INDEX_DIR"] == "/srv/cfg"
    assert webui.create_app({"INDEX_DIR": "/srv/cfg"}, index_dir="/srv/arg").config["INDEX_DIR"] == "/srv/arg"


def test_pages_carry_security_headers_and_no_scripts(client):
    response = client.get("/?q=لافروف")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]  # our own files, never inline
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    templates = Path(webui.__file__).parent / "templates"
    for template in templates.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "<script" not in source and not re.search(r"\son[a-z]+\s*=", source), template.name


def test_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "Noto Naskh Arabic" in text(response)
    response.close()


def test_arabic_numbers_and_counts():
    assert arabic.number(1234567) == "١٬٢٣٤٬٥٦٧"
    assert arabic.number(0.25, 2) == "٠٫٢٥"
    assert [arabic.results_count(n) for n in (0, 1, 2, 3, 10, 11, 103, 111)] == [
        "لا نتائج", "نتيجة واحدة", "نتيجتان", "٣ نتائج", "١٠ نتائج", "١١ نتيجة", "١٠٣ نتائج", "١١١ نتيجة"]
    assert arabic.seconds(42.7) == "٠٫٠٤ ثانية"
    assert arabic.seconds(3) == "أقل من ٠٫٠١ ثانية"
