"""The web UI through Flask's test client, over real indexes built in tmp_path."""

import html as htmllib
import json
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

import webui
from indexer import QueryError, build_index
from indexer.search import limits
from indexer.search.limits import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    validate_query,
)
from webui import arabic
from webui.pages import number_marks, page_links, web_url

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_COUNT = 5

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# Articles whose text is hostile HTML, and an id that needs escaping in a URL.
# The first one's link is a javascript: address, which must never become a link.
EXTRA_ARTICLES = [
    {"id": "xss/مقال 1", "title": f"<b>تجربة</b> عنوان {SCRIPT}",
     "text": f"هذه تجربة أولى {SCRIPT} ثم صورة {IMG} في نص المقال.\nوفي السطر الثاني تجربة أخرى.",
     "source": "مدونة <i>التجارب</i>", "url": "javascript:alert(1)", "published": "2024-02-29"},
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


@pytest.fixture
def paged_news_client(news_index_dir):
    """Two results a page over the news articles."""
    return webui.create_app({"TESTING": True, "PAGE_SIZE": 2}, index_dir=news_index_dir).test_client()


def text(response):
    return response.get_data(as_text=True)


def hit_ids(html):
    """The article ids the results page links to, in order."""
    return [unquote(m) for m in re.findall(r'class="hit-title"><a href="/doc/([^"?]+)\?', html)]


def reported_ids(html):
    """The ids of every article the results list, other reports of a story included."""
    return {unquote(m) for m in re.findall(r'<li(?: class="hit")?>\s*<(?:h2 class="hit-title"><)?a href="/doc/([^"?]+)\?', html)}


OUR_SCRIPTS = ['<script src="/static/suggest.js" defer>', '<script src="/static/instant.js" defer>']


def only_our_script(html):
    """Whether the page's only script elements are our two files (suggestions, instant results)."""
    return re.findall(r"<script[^>]*>", html, re.I) == OUR_SCRIPTS


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


def test_home_page_shows_the_collection_before_anything_is_typed(news_app):
    html = text(news_app.test_client().get("/"))
    overview = html[html.index('<section class="overview"'):]
    assert "٢٦ مقالًا من ٥ مصادر" in overview
    assert re.search(r'منشورة بين <time datetime="2023-04-02">٢ أبريل ٢٠٢٣</time> و<time datetime="2025-07-21">', overview)
    # Outlets, most articles first, with their counts.
    assert overview.index("<bdi>الجزيرة نت</bdi>: ٦ مقالات") < overview.index("<bdi>العربية نت</bdi>: ٥ مقالات")
    # The newest story first, its other reports of the Basra heat folded under it.
    latest = re.findall(r'<h2 class="hit-title"><a href="/doc/([^"?]+)', overview)
    assert 1 <= len(latest) <= 5 and "البصرة ٥١ درجة مئوية" in overview.split('class="hit-title"')[1]
    assert 'class="duplicates"' in overview


def test_home_page_of_undated_articles_says_only_how_many(client):
    html = text(client.get("/"))
    assert "٥ مقالات." in html and "منشورة بين" not in html and "overview-sources" not in html


def test_search_finds_the_articles_and_marks_the_word(client):
    html = text(client.get("/", query_string={"q": "لافروف"}))
    ids = hit_ids(html)
    # Five undated reports in a five-article index: too little evidence to fold them.
    assert len(ids) == SEED_COUNT and len(reported_ids(html)) == SEED_COUNT
    assert 'class="duplicates"' not in html
    # The seeds carry no outlet or date: nothing to filter or sort by, so no such controls.
    assert 'id="filters"' not in html and 'class="sort"' not in html
    assert re.search(r'<p class="snippet">.*?<mark>لافروف</mark>', html, re.S)
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
    assert len(reported_ids(html)) == SEED_COUNT
    assert "كلَّ كلمات" not in text(client.get("/?q=لافروف كيم"))


def query_error_message(q):
    """The message ``indexer`` gives for a query it cannot run."""
    with pytest.raises(QueryError) as error:
        validate_query(q)
    return str(error.value)


def test_query_error_is_shown_politely_with_400(client):
    q = "ك" * (MAX_QUERY_CHARS + 1)
    response = client.get("/", query_string={"q": q})
    html = text(response)
    assert response.status_code == 400
    assert "تعذّر تنفيذ هذا البحث" in html
    assert htmllib.escape(query_error_message(q)) in html
    assert 'href="/help"' in html  # how to write a query


def test_query_language_errors_are_400_not_500(news_client):
    # One letter before * would stand for much of the vocabulary; an exclusion alone has nothing to search.
    for q in ("ك*", "-النفط"):
        response = news_client.get("/", query_string={"q": q})
        assert response.status_code == 400, q
        assert "تعذّر تنفيذ هذا البحث" in text(response)
        assert f'value="{htmllib.escape(q)}"' in text(response)  # the query stays in the box


def test_query_html_is_escaped(client):
    response = client.get("/", query_string={"q": f'{SCRIPT} "><b>'})
    html = text(response)
    assert response.status_code in (200, 400)  # an unclosed quote may be a query error
    assert only_our_script(html)
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;b&gt;"' in html


# --- pagination ----------------------------------------------------------------------

# "الصحة" finds seven articles in six stories: three pages of two.
def test_pages_link_to_each_other_with_stable_urls(paged_news_client):
    first = text(paged_news_client.get("/?q=الصحة"))
    assert "الصفحة ١ من" in first
    assert links(first, "prev") == []
    [next_url] = links(first, "next")
    assert query_of(next_url) == {"q": ["الصحة"], "page": ["2"]}

    second = text(paged_news_client.get(next_url.replace("&amp;", "&")))
    [prev_url] = links(second, "prev")
    assert query_of(prev_url) == {"q": ["الصحة"]}  # page 1 has one address, without page=
    assert 'aria-current="page"' in second and ">٢</a>" in second
    assert re.search(r'<ol class="hits" start="3">', second)

    pages = [first, second]
    while links(pages[-1], "next"):
        [url] = links(pages[-1], "next")
        pages.append(text(paged_news_client.get(url.replace("&amp;", "&"))))
    ids = [i for page in pages for i in hit_ids(page)]
    assert len(ids) == 6 == len(set(ids))  # six stories, each once
    assert len(set().union(*map(reported_ids, pages))) == 7


@pytest.mark.parametrize("page", ["abc", "-1", "0", "", "1.5", "٣x"])
def test_invalid_page_number_shows_the_first_page(paged_news_client, page):
    response = paged_news_client.get("/", query_string={"q": "الصحة", "page": page})
    assert response.status_code == 200
    assert hit_ids(text(response)) == hit_ids(text(paged_news_client.get("/?q=الصحة")))


@pytest.mark.parametrize("page", ["4", str(MAX_PAGE + 1), "99999999999", "9" * 5000])
def test_page_past_the_end_redirects_to_the_last(paged_news_client, page):
    response = paged_news_client.get("/", query_string={"q": "الصحة", "page": page})
    if page == "9" * 5000:  # too many digits to be a number: the first page
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert query_of(response.headers["Location"]) == {"q": ["الصحة"], "page": ["3"]}


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
    assert html.count("<mark") > 3
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

def without_bdi(html):
    """The HTML without the <bdi> elements that isolate Latin words in Arabic text."""
    return re.sub(r"</?bdi>", "", html)


def test_article_html_is_escaped_in_results(extra_client):
    html = without_bdi(text(extra_client.get("/?q=تجربة")))
    assert hit_ids(html) == ["xss/مقال 1"]
    assert only_our_script(html) and "<img" not in html.lower() and "<b>" not in html
    # The title is shown escaped, with the query's word marked inside it.
    assert "&lt;b&gt;<mark>تجربة</mark>&lt;/b&gt; عنوان &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # snippet
    assert "<mark>تجربة</mark>" in html


def test_article_html_is_escaped_in_document_view(extra_client):
    response = extra_client.get("/doc/xss/%D9%85%D9%82%D8%A7%D9%84%201?q=تجربة")
    html = without_bdi(text(response))
    assert response.status_code == 200
    assert only_our_script(html) and "<img" not in html.lower() and "<b>" not in html
    assert "&lt;b&gt;<mark>تجربة</mark>&lt;/b&gt;" in html
    assert f"&lt;script&gt;alert(1)&lt;/script&gt; ثم صورة &lt;img src=x onerror=alert(1)&gt;" in html


def test_article_html_is_escaped_in_api(extra_client):
    [hit] = extra_client.get("/api/search?q=تجربة").get_json()["hits"]
    assert hit["title"] == EXTRA_ARTICLES[0]["title"]  # JSON carries the text as written
    assert "&lt;script&gt;" in without_bdi(hit["snippet"]) and "<script" not in hit["snippet"]


# --- JSON API ------------------------------------------------------------------------

def test_api_search(news_client):
    response = news_client.get("/api/search", query_string={"q": "الصحة", "page_size": 2, "page": 2})
    data = response.get_json()
    assert response.status_code == 200
    assert "الصحة" in response.get_data(as_text=True)  # not \u escapes
    assert data["total"] == 7 and data["page"] == 2 and data["page_size"] == 2
    assert list(data)[:6] == ["query", "total", "took_ms", "page", "page_size", "mode"]  # as documented
    assert data["mode"] == "all" and isinstance(data["took_ms"], float)
    assert [sorted(hit) for hit in data["hits"]] == [
        ["duplicates", "id", "published", "score", "snippet", "source", "title", "title_html", "url"]] * 2
    assert all("<mark>" in hit["snippet"] for hit in data["hits"])


def test_api_diacritised_query_matches_plain(client):
    def ids(q):
        return [hit["id"] for hit in client.get("/api/search", query_string={"q": q}).get_json()["hits"]]
    assert ids("لَافْرُوف") == ids("لافروف") != []


@pytest.mark.parametrize("params, message", [
    ({}, "empty query"),
    ({"q": "  "}, "empty query"),
    ({"q": "ك" * (MAX_QUERY_CHARS + 1)}, query_error_message("ك" * (MAX_QUERY_CHARS + 1))),
    ({"q": "كيم", "page": "abc"}, "page must be a whole number"),
    ({"q": "كيم", "page": "0"}, f"page must be from 1 to {MAX_PAGE}"),
    ({"q": "كيم", "page": "-1"}, f"page must be from 1 to {MAX_PAGE}"),
    ({"q": "كيم", "page": "99999999999"}, f"page must be from 1 to {MAX_PAGE}"),
    ({"q": "كيم", "page": str(MAX_PAGE)}, "past the last page (1)"),
    ({"q": "كيم", "page_size": "0"}, f"page_size must be from 1 to {MAX_PAGE_SIZE}"),
    ({"q": "كيم", "page_size": "1000"}, f"page_size must be from 1 to {MAX_PAGE_SIZE}"),
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
    assert len(reported_ids(text(client.get("/?q=كيم")))) == SEED_COUNT


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


def test_pages_carry_security_headers_and_no_inline_scripts(client):
    response = client.get("/?q=لافروف")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]  # our own files, never inline
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    templates = Path(webui.__file__).parent / "templates"
    for template in templates.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*>[^<]*</script>", source)
        assert all(re.fullmatch(r'<script src="[^"]+" defer></script>', s) for s in scripts), template.name
        assert source.count("<script") == len(scripts), template.name
        assert not re.search(r"\son[a-z]+\s*=", source), template.name


def test_suggestion_script_is_served(client):
    response = client.get("/static/suggest.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"  # the policy's script-src 'self' loads it
    assert 'data-suggest="/api/suggest"' in text(client.get("/"))  # where it asks for suggestions
    response.close()


def test_instant_results_script_is_served_and_finds_its_regions(client):
    response = client.get("/static/instant.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    response.close()
    for path in ("/", "/?q=لافروف"):
        html = text(client.get(path))
        # One region the script swaps, one status line it reads the count into.
        assert html.count('<div id="live-results">') == 1
        assert '<p id="live-status" class="visually-hidden" role="status" aria-live="polite"></p>' in html


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


# --- the query as understood, did-you-mean -----------------------------------------------

def understood_line(html):
    match = re.search(r'<p class="understood">(.*?)</p>', html, re.S)
    return match and re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1)))


def test_understood_line_shows_forms_exclusions_and_phrases(news_client):
    html = text(news_client.get("/", query_string={"q": 'العراق -البصرة "خام برنت"'}))
    line = understood_line(html)
    assert line.startswith("بحثنا عن:")
    assert "«العراق» (" in line  # the forms searched for the word
    assert "بدون «البصرة»" in line
    assert "العبارة «خام برنت»" in line
    # Iraq in the oil story, not in the heat wave in Basra.
    assert reported_ids(html) and reported_ids(html) <= {"opec-cut-aljazeera", "opec-cut-alarabiya", "opec-cut-bbc"}


def test_exact_form_link_searches_the_words_as_typed(news_client):
    html = text(news_client.get("/", query_string={"q": "الحر العراق", "sort": "newest"}))
    [link] = re.findall(r'<a class="exact-link" href="([^"]+)"', html)
    assert query_of(link) == {"q": ["=الحر =العراق"], "sort": ["newest"]}
    exact = text(news_client.get(link.replace("&amp;", "&")))
    assert "بهذه الصيغة فقط" in understood_line(exact)
    assert 'class="exact-link"' not in exact  # nothing left to make exact


def test_did_you_mean_links_to_the_corrected_query(news_client):
    html = text(news_client.get("/", query_string={"q": "السعودبة"}))  # ب for ي
    match = re.search(r'<p class="suggestion">هل تقصد: <a href="([^"]+)"[^>]*><bdi>([^<]+)</bdi></a>', html)
    assert match, "no did-you-mean line"
    url, suggested = match.groups()
    assert query_of(url) == {"q": [suggested]}
    assert suggested == "السعودية"
    assert "humain-ai" in hit_ids(text(news_client.get(url.replace("&amp;", "&"))))


def test_did_you_mean_reads_latin_keys_as_the_arabic_keyboard(news_client):
    html = text(news_client.get("/", query_string={"q": "hgfwvm"}))  # البصرة typed with the Latin layout on
    assert re.search(r'هل تقصد: <a href="[^"]+"[^>]*><bdi>البصرة</bdi></a>', html)


def test_no_suggestion_for_a_well_spelled_query(news_client):
    assert 'class="suggestion"' not in text(news_client.get("/", query_string={"q": "الملاريا"}))


def test_a_cut_expansion_is_noted(news_client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANSIONS", 3)  # مص* stands for more: مصر، مصدر، مصري...
    [notice] = news_client.get("/api/search", query_string={"q": "مص*"}).get_json()["notices"]
    html = text(news_client.get("/", query_string={"q": "مص*"}))
    assert f'<p class="notice" role="note">{htmllib.escape(notice)}</p>' in html
    assert 'class="notice"' not in text(news_client.get("/", query_string={"q": "مصر"}))


# --- sorting, filters and facets ---------------------------------------------------------

def facet_counts(html):
    """{source: count shown} from the filters' check boxes."""
    return {source: count for source, count in re.findall(
        r'name="source" value="([^"]+)"[^>]*>\s*<bdi>[^<]+</bdi> <span class="count">\(([^)]+)\)', html)}


def shown_dates(html):
    return re.findall(r'class="hit">.*?<time datetime="([^"]+)"', html, re.S)


def test_facets_count_results_per_source_and_year(news_client):
    html = text(news_client.get("/", query_string={"q": "كأس"}))
    counts = facet_counts(html)
    assert counts and set(counts.values()) <= {arabic.number(n) for n in range(1, 27)}
    api = news_client.get("/api/search", query_string={"q": "كأس"}).get_json()
    assert counts == {f["value"]: arabic.number(f["count"]) for f in api["facets"]["source"]}
    for year in api["facets"]["year"]:
        assert re.search(rf'>{arabic.digits(year["value"])}</a>\s*<span class="count">\({arabic.number(year["count"])}\)', html)


def test_filter_by_source_keeps_only_that_source(news_client):
    html = text(news_client.get("/", query_string={"q": "العراق", "source": "الجزيرة نت"}))
    assert reported_ids(html) == {"iraq-heat-aljazeera", "opec-cut-aljazeera"}  # heat wave, oil
    assert re.search(r'value="الجزيرة نت" checked', html)
    assert "إزالة المرشحات" in html


def test_sources_are_repeatable(news_client):
    response = news_client.get("/?q=العراق&source=الجزيرة نت&source=الشرق الأوسط")
    assert reported_ids(text(response)) == {"iraq-heat-aljazeera", "iraq-heat-aawsat", "opec-cut-aljazeera"}


def test_year_links_filter_by_year(news_client):
    html = text(news_client.get("/", query_string={"q": "الصحة"}))
    [link] = re.findall(r'<a href="([^"]+)"[^>]*>٢٠٢٤</a>', html)
    assert query_of(link) == {"q": ["الصحة"], "from": ["2024-01-01"], "to": ["2024-12-31"]}
    filtered = text(news_client.get(link.replace("&amp;", "&")))
    assert shown_dates(filtered) and all(d.startswith("2024-") for d in shown_dates(filtered))
    assert re.search(r'aria-current="true">٢٠٢٤</a>', filtered)


@pytest.mark.parametrize("typed_from, typed_to", [
    ("٢٠٢٥-٠٧-٢١", "٢٠٢٥-٠٧-٣١"),
    ("٢١ يوليو ٢٠٢٥", "٣١ تموز ٢٠٢٥"),
    ("21/7/2025", "الخميس ٣١ يوليو ٢٠٢٥م"),
])
def test_date_range_accepts_arabic_dates_and_keeps_the_iso_day_in_the_address(news_client, typed_from, typed_to):
    western = news_client.get("/", query_string={"q": "العراق", "from": "2025-07-21", "to": "2025-07-31"})
    typed = news_client.get("/", query_string={"q": "العراق", "from": typed_from, "to": typed_to})
    assert typed.status_code == 302
    assert query_of(typed.location) == {"q": ["العراق"], "from": ["2025-07-21"], "to": ["2025-07-31"]}
    shown = text(news_client.get(typed.location))
    assert hit_ids(text(western)) == hit_ids(shown) == ["iraq-heat-aawsat"]
    # The date boxes show the days read, as Arabic readers write them.
    assert 'id="from" name="from" type="text" value="٢١ يوليو ٢٠٢٥"' in shown
    assert 'id="to" name="to" type="text" value="٣١ يوليو ٢٠٢٥"' in shown


@pytest.mark.parametrize("params, message", [
    ({"from": "2025-13-45"}, "تاريخ البداية غير صالح"),
    ({"to": "أمس"}, "تاريخ النهاية غير صالح"),
    ({"from": "1753000000"}, "تاريخ البداية غير صالح"),  # a number is no day, though dates.py reads Unix time
    ({"from": "١٥ رجب ١٤٤٧ هـ"}, "تاريخ البداية غير صالح"),
    ({"from": "2025-08-01", "to": "2025-07-01"}, "يسبق تاريخ البداية"),
    ({"sort": "oldest"}, "ترتيب النتائج غير معروف"),
])
def test_bad_filters_get_an_arabic_400_page(news_client, params, message):
    response = news_client.get("/", query_string={"q": "العراق", **params})
    assert response.status_code == 400
    assert message in text(response)
    assert 'value="العراق"' in text(response)


def test_newest_first(news_client):
    relevance = text(news_client.get("/", query_string={"q": "كأس"}))
    newest = text(news_client.get("/", query_string={"q": "كأس", "sort": "newest"}))
    assert shown_dates(newest) == sorted(shown_dates(newest), reverse=True) != []
    assert sorted(hit_ids(newest)) == sorted(hit_ids(relevance))
    assert re.search(r'aria-current="true">الأحدث أولًا</a>', newest)
    assert re.search(r'aria-current="true">الأكثر صلة</a>', relevance)


def test_pagination_keeps_sort_and_filters(paged_news_client):
    params = {"q": "كأس", "sort": "newest", "from": "2024-01-01"}
    first = text(paged_news_client.get("/", query_string=params))
    [next_url] = links(first, "next")
    assert query_of(next_url) == {"q": ["كأس"], "page": ["2"], "sort": ["newest"], "from": ["2024-01-01"]}
    second = text(paged_news_client.get(next_url.replace("&amp;", "&")))
    dates = shown_dates(first) + shown_dates(second)
    assert dates == sorted(dates, reverse=True) and all(d >= "2024-01-01" for d in dates)
    # A new query from the box keeps the order and the filters.
    assert '<input type="hidden" name="sort" value="newest">' in second
    assert '<input type="hidden" name="from" value="2024-01-01">' in second


def test_no_results_with_filters_offers_to_drop_them(news_client):
    html = text(news_client.get("/", query_string={"q": "الملاريا", "source": "الجزيرة نت"}))
    assert "مع المرشحات المختارة" in html
    [link] = re.findall(r'<a href="([^"]+)">ابحث في كل المصادر والتواريخ</a>', html)
    assert hit_ids(text(news_client.get(link.replace("&amp;", "&")))) == ["egypt-malaria"]


def test_results_show_source_and_arabic_date(news_client):
    html = text(news_client.get("/", query_string={"q": "الملاريا"}))
    assert re.search(r'<span class="source"><bdi>سكاي نيوز عربية</bdi></span>', html)
    assert '<time datetime="2024-10-20">٢٠ أكتوبر ٢٠٢٤</time>' in html
    assert "نتيجة واحدة" in html and "ثانية" in html


# --- near-duplicates ---------------------------------------------------------------------

def test_other_reports_of_a_story_fold_under_one_hit(news_client):
    html = text(news_client.get("/", query_string={"q": "البصرة درجة الحرارة"}))
    ids = hit_ids(html)
    # Sky News and Al Jazeera on 20 July: one hit; Asharq Al-Awsat's report a day later stands apart.
    assert ids == ["iraq-heat-skynews", "iraq-heat-aawsat"]
    details = re.search(r'<details class="duplicates">\s*<summary>(.*?)</summary>(.*?)</details>', html, re.S)
    assert details.group(1) == "تقرير آخر عن الخبر نفسه"
    others = [unquote(m) for m in re.findall(r'href="/doc/([^"?]+)\?', details.group(2))]
    assert others == ["iraq-heat-aljazeera"]
    assert "يوليو ٢٠٢٥" in details.group(2)


# --- one article -------------------------------------------------------------------------

def test_document_has_metadata_a_jump_to_the_first_match_and_related_articles(news_client):
    html = text(news_client.get("/doc/iraq-heat-aljazeera", query_string={"q": "البصرة"}))
    assert '<a href="#match-1">انتقل إلى أول تطابق</a>' in html
    assert re.search(r'<div class="document-body">[^<]*(<[^m][^>]*>[^<]*)*<mark id="match-1">', html)
    assert '<time datetime="2025-07-20">٢٠ يوليو ٢٠٢٥</time>' in html
    assert '<bdi>الجزيرة نت</bdi>' in html
    assert re.search(r'<a class="url" href="https://aljazeera.example/2025/07/20/iraq-heat" rel="noopener nofollow">', html)
    other_reports = re.search(r'id="duplicates-heading">(.*?)</h2>(.*?)</section>', html, re.S)
    # Sky News's report (same day) and Asharq Al-Awsat's (next day) are each close to it, but
    # not to each other, so only one is listed: every report of a story is close to every other.
    assert other_reports.group(1) == "تقرير آخر عن الخبر نفسه"
    assert ("/doc/iraq-heat-skynews" in other_reports.group(2)) != ("/doc/iraq-heat-aawsat" in other_reports.group(2))
    related = re.search(r'id="related-heading">مقالات ذات صلة</h2>(.*?)</section>', html, re.S).group(1)
    assert re.findall(r'href="/doc/([^"?]+)', related)
    assert "iraq-heat-aljazeera?" not in related  # not the article itself


def test_document_without_matches_has_no_jump(news_client):
    html = text(news_client.get("/doc/iraq-heat-aljazeera"))
    assert "انتقل إلى أول تطابق" not in html and "<mark" not in html


def test_javascript_url_is_never_a_link(extra_client):
    html = text(extra_client.get("/doc/xss/%D9%85%D9%82%D8%A7%D9%84%201"))
    assert 'href="javascript:' not in html.lower()
    assert '<bdi class="url">javascript:alert(1)</bdi>' in html  # shown as text
    assert "<bdi>مدونة &lt;i&gt;التجارب&lt;/i&gt;</bdi>" in html
    assert "٢٩ فبراير ٢٠٢٤" in html


def test_only_web_addresses_are_links():
    for url in ("https://example.com/a?b=1#c", "HTTP://EXAMPLE.COM", "http://مثال.شبكة/مقال"):
        assert web_url(url) == url
    for url in ("javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                "java\tscript:alert(1)", "https://\nexample.com", "https:///path", "//example.com", "/doc/x", "", None):
        assert web_url(url) == "", url


def test_marks_are_numbered_for_the_jump_link():
    html, count = number_marks("<mark>كيم</mark> و&lt;mark&gt; ثم <mark>كيم</mark>")
    assert count == 2
    assert html == '<mark id="match-1">كيم</mark> و&lt;mark&gt; ثم <mark id="match-2">كيم</mark>'


# --- help, OpenSearch, suggestions -------------------------------------------------------

HELP_FORMS = ['"', "-", " أو ", "بدون", "(", "عنوان:", "title:", "مصدر:", "*", "~", "="]


def test_help_page_examples_run_each_query_form(news_client):
    html = text(news_client.get("/help"))
    examples = [htmllib.unescape(q) for q in re.findall(r'<a class="example" href="[^"]+"><bdi>([^<]+)</bdi>', html)]
    for form in HELP_FORMS:
        assert any(form in example for example in examples), form
    for url in re.findall(r'<a class="example" href="([^"]+)"', html):
        response = news_client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, url
        assert "تعذّر" not in text(response), url


@pytest.mark.parametrize("path", ["/", "/?q=النفط", "/doc/iraq-heat-aljazeera", "/help", "/nothing-here"])
def test_every_page_links_help_and_opensearch(news_client, path):
    html = text(news_client.get(path))
    assert '<a class="help-link" href="/help">' in html
    assert '<link rel="search" type="application/opensearchdescription+xml" title="بحث عربي" href="/opensearch.xml">' in html
    # The scripts are external files; nothing inline (the policy refuses inline scripts).
    assert re.findall(r"<script[^>]*>", html) == OUR_SCRIPTS


def test_opensearch_description(news_client):
    response = news_client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    xml = text(response)
    assert '<Url type="text/html" method="get" template="http://localhost/?q={searchTerms}"/>' in xml
    assert '<Url type="application/x-suggestions+json" method="get" template="http://localhost/api/suggest?q={searchTerms}"/>' in xml
    assert "<ShortName>بحث عربي</ShortName>" in xml


def test_suggest_api_completes_the_typed_query(news_client):
    response = news_client.get("/api/suggest", query_string={"q": "البص"})
    assert response.status_code == 200
    assert response.mimetype == "application/x-suggestions+json"
    typed, completions = json.loads(text(response))
    assert typed == "البص"
    assert completions and len(completions) <= 8
    assert any("البصرة" in c for c in completions)
    assert "البصرة" in text(response)  # UTF-8, not \u escapes


def test_suggest_api_completes_the_last_word_of_a_longer_query(news_client):
    _, completions = news_client.get("/api/suggest", query_string={"q": "موجة الح"}).get_json()
    assert completions and all(c.startswith("موجة ال") for c in completions)


@pytest.mark.parametrize("q", ["", "   "])
def test_suggest_api_with_nothing_typed_suggests_nothing(news_client, q):
    assert news_client.get("/api/suggest", query_string={"q": q}).get_json() == [q, []]


def test_suggest_api_suggests_nothing_for_an_overlong_query(news_client):
    q = "البص" * MAX_QUERY_CHARS
    assert news_client.get("/api/suggest", query_string={"q": q}).get_json() == [q, []]


# --- JSON API with filters ----------------------------------------------------------------

def test_api_search_takes_the_same_parameters_as_the_page(news_client):
    params = {"q": "كأس", "sort": "newest", "source": ["العربية نت", "الشرق الأوسط"], "from": "2024-01-01",
              "to": "2025-12-31", "page_size": 2, "page": 1}
    data = news_client.get("/api/search", query_string=params).get_json()
    assert data["sort"] == "newest"
    assert data["filters"] == {"source": ["العربية نت", "الشرق الأوسط"], "date_from": "2024-01-01", "date_to": "2025-12-31"}
    assert data["hits"] and all(h["source"] in params["source"] for h in data["hits"])
    assert [h["published"] for h in data["hits"]] == sorted((h["published"] for h in data["hits"]), reverse=True)
    assert {"source", "year"} <= set(data["facets"])
    assert {"understood", "suggestion", "took_ms", "total", "mode"} <= set(data)
    page_html = text(news_client.get("/", query_string={k: v for k, v in params.items() if k != "page_size"}))
    assert [h["id"] for h in data["hits"]] == hit_ids(page_html)[:2]


@pytest.mark.parametrize("params, message", [
    ({"sort": "oldest"}, "sort must be one of relevance, newest"),
    ({"from": "2025-02-30"}, "from must be a date such as 2025-07-20"),
    ({"to": "yesterday"}, "to must be a date such as 2025-07-20"),
    ({"from": "2025-08-01", "to": "2025-07-01"}, "from (2025-08-01) is after to (2025-07-01)"),
    ({"source": [f"مصدر {i}" for i in range(60)]}, "at most 50 source values"),
    ({"q": "ك*"}, ""),
])
def test_api_bad_filters_are_400_json(news_client, params, message):
    response = news_client.get("/api/search", query_string={"q": "العراق", **params})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert message in error and error and "\n" not in error
