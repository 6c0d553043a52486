"""Hostile input never runs or breaks a page, every response carries the security
headers, any request gets a clear answer (never a 500 or a traceback), and the defaults
are safe: loopback only, no debug, no secret in the repository."""

import json
import logging
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from live_server import serving
from playwright.sync_api import expect

import webui
from indexer import build_index
from indexer.cli import cli

REPO = Path(__file__).resolve().parent.parent

# Every payload sets window.__pwned and opens a dialog if it ever runs.
RUN = "window.__pwned=1;alert(1)"
SCRIPT = f"<script>{RUN}</script>"
IMG = f'<img src=x onerror="{RUN}">'
SVG = f"<svg/onload={RUN}>"
JS_LINK = f'<a href="javascript:{RUN}">اضغط هنا</a>'
BREAK_OUT = f'"><iframe srcdoc="{SCRIPT}"></iframe>'
HOSTILE_QUERIES = [
    SCRIPT,
    IMG,
    f"لافروف {IMG}",
    f'"لافروف" {SVG}',
    f"عنوان:{SCRIPT}",
    f"javascript:{RUN}",
    BREAK_OUT,
    "</title><script>window.__pwned=1</script>",
    "{{7*7}} {% raw %}",
]

# One rendered tag of the article would be a hole; these are what the pages may contain.
# <bdi> isolates Latin words and numbers inside right-to-left snippets (snippets.to_html).
ALLOWED_IN_HTML_FIELDS = {"mark", "bdi"}


def write_hostile_collection(folder):
    """Articles by an attacker: markup in titles, bodies and even file names (the id),
    each also carrying ordinary Arabic words so searches find and highlight them."""
    folder.mkdir()
    (folder / "hostile-title.txt").write_text(
        f"لافروف {SCRIPT} يزور بيونغ يانغ\n"
        f"وصل وزيرُ الخارجيّة الروسيّ لافروف {IMG} إلى كوريا الشمالية.\n"
        f"ونقلت الوكالة {JS_LINK} تصريحاته عن «التعاون» {SVG}.\n",
        encoding="utf-8",
    )
    (folder / 'x"><img src=x onerror=alert(1)>.txt').write_text(
        f"مؤتمر صحفي {BREAK_OUT}\nقال المسؤول إن لافروف التقى كيم جونغ أون {SCRIPT} في ٢٠٢٥.\n",
        encoding="utf-8",
    )
    records = [
        {"id": "jsonl-1", "title": f"كيم جونج أون {IMG}", "text": f"استقبل كيم لافروف. {SCRIPT} </textarea>{SVG}",
         "url": f"javascript:{RUN}", "source": f"<b>{SCRIPT}</b>"},
        {"id": f"javascript:{RUN}", "title": "زيارة لافروف", "text": f"نص المقال مع {JS_LINK} ورابط آخر."},
    ]
    # A web page whose text, once its entities are decoded, is markup; and a live script.
    (folder / "page.html").write_text(
        f"<html><head><title>لافروف &lt;script&gt;{RUN}&lt;/script&gt;</title></head><body>"
        f"<p>قال لافروف &lt;img src=x onerror=&quot;{RUN}&quot;&gt; في المؤتمر.</p>{SCRIPT}</body></html>",
        encoding="utf-8",
    )
    (folder / "hostile.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, engine_name):
    base = tmp_path_factory.mktemp("hostile")
    index = base / "index"
    build_index([write_hostile_collection(base / "articles")], index, engine_name=engine_name)
    return index


@pytest.fixture(scope="module")
def hostile_app(hostile_index):
    return webui.create_app(index_dir=hostile_index)


@pytest.fixture
def hostile_client(hostile_app):
    return hostile_app.test_client()


def hostile_ids(app):
    with app.test_client() as client:
        data = client.get("/api/search", query_string={"q": "لافروف", "page_size": 50}).get_json()
    # Near-identical hostile articles are one story: their reports are folded under one hit.
    return [i for hit in data["hits"] for i in [hit["id"], *(d["id"] for d in hit["duplicates"])]]


class Tags(HTMLParser):
    """Every tag and attribute of a page, as a browser's parser would see them."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def injected_markup(html_text, allowed=None):
    """The tags and attributes in ``html_text`` that could run script: script elements
    other than our own external files, event-handler attributes, javascript: URLs,
    frames, and, when ``allowed`` is given, any tag not in it."""
    found = []
    for tag, attrs in Tags(html_text).tags:
        if allowed is not None and tag not in allowed:
            found.append(tag)
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            found.append(f"inline script {attrs}")
        if tag in ("iframe", "object", "embed", "svg", "img", "base"):
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "srcdoc") and re.match(r"\s*javascript:", value or "", re.I):
                found.append(f"{tag} {name}={value}")
    return found


# --- escaping: the raw HTML and JSON ------------------------------------------------------

def test_article_markup_is_text_in_results_pages(hostile_client):
    for q in ["لافروف", "كيم", "مؤتمر"] + HOSTILE_QUERIES:
        response = hostile_client.get("/", query_string={"q": q})
        assert response.status_code in (200, 302, 400), q
        page = response.get_data(as_text=True)
        assert injected_markup(page) == [], q
    page = hostile_client.get("/", query_string={"q": "لافروف"}).get_data(as_text=True)
    # The markup is shown to the reader as the text it is, next to the highlighted word.
    assert "&lt;script&gt;" in page and "<mark>لافروف</mark>" in page


def test_article_markup_is_text_in_the_document_view(hostile_app, hostile_client):
    ids = hostile_ids(hostile_app)
    assert len(ids) == 5
    for doc_id in ids:
        for q in ["", "لافروف"] + HOSTILE_QUERIES:
            response = hostile_client.get(f"/doc/{quote(doc_id, safe='')}", query_string={"q": q})
            assert response.status_code == 200, (doc_id, q)
            assert injected_markup(response.get_data(as_text=True)) == [], (doc_id, q)


def test_api_html_fields_hold_only_marks(hostile_client):
    for q in ["لافروف"] + HOSTILE_QUERIES:
        response = hostile_client.get("/api/search", query_string={"q": q})
        assert response.status_code in (200, 400), q
        assert response.mimetype == "application/json"
        for hit in response.get_json().get("hits", []):
            for name in ("snippet", "title_html"):
                assert injected_markup(hit[name], allowed=ALLOWED_IN_HTML_FIELDS) == [], (q, name, hit[name])


def test_suggestions_are_json_not_html(hostile_client):
    for q in ["لاف", "<scr", SCRIPT, IMG]:
        response = hostile_client.get("/api/suggest", query_string={"q": q})
        assert response.status_code < 500, q
        if response.status_code == 200:
            # Data for a script, never a page a browser would render.
            assert response.mimetype in ("application/json", "application/x-suggestions+json")
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_checker_sees_injected_markup():
    """The checks above would catch a template that lost its escaping."""
    assert injected_markup(f"<p>{SCRIPT}</p>")
    assert injected_markup(f"<p>{IMG}</p>")
    assert injected_markup(JS_LINK)
    assert injected_markup(f"<mark>x</mark>{SVG}", allowed=ALLOWED_IN_HTML_FIELDS)
    assert injected_markup('<p>&lt;script&gt;<mark>x</mark></p><script src="/static/suggest.js"></script>') == []


# --- headers on every response ---------------------------------------------------------------

def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def app_with_a_failing_route(**kwargs):
    """The production app (no TESTING, so errors are handled as in ``make serve``) with
    two routes that fail the way a bug would."""
    app = webui.create_app(**kwargs)

    def broken_page():
        raise RuntimeError("secret detail: /srv/private/path")

    app.add_url_rule("/broken", "broken", broken_page)
    app.add_url_rule("/api/broken", "api_broken", broken_page)
    return app


@pytest.fixture
def production_client(seed_index_dir):
    return app_with_a_failing_route(index_dir=seed_index_dir).test_client()


@pytest.mark.parametrize("path, status", [
    ("/", 200),
    ("/?q=لافروف", 200),
    ("/doc/004_2b11dcb59984afc5?q=لافروف", 200),
    ("/api/search?q=لافروف", 200),
    ("/healthz", 200),
    ("/static/style.css", 200),
    ("/no/such/page", 404),
    ("/doc/no-such-article", 404),
    ("/api/search?q=", 400),
    ("/api/search?q=لافروف&page_size=abc", 400),
    ("/broken", 500),
    ("/api/broken", 500),
])
def test_every_response_carries_the_security_headers(production_client, path, status):
    response = production_client.get(path)
    assert response.status_code == status
    assert_security_headers(response)
    if status >= 400 or path.startswith(("/api/", "/healthz")):
        assert response.headers["Cache-Control"] == "no-store"
    response.close()


def test_unavailable_index_answer_carries_the_security_headers(tmp_path):
    client = webui.create_app(index_dir=tmp_path / "none").test_client()
    for path in ("/", "/api/search?q=لافروف", "/healthz"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"


def assert_security_headers(response):
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # external files only: no inline, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


# --- errors: clear answers, never a traceback -------------------------------------------

def test_server_error_is_an_arabic_page_without_a_traceback_and_is_logged(production_client, caplog):
    with caplog.at_level(logging.ERROR):
        response = production_client.get("/broken")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "خطأ في الخادم" in page and 'dir="rtl"' in page
    for leak in ("Traceback", "RuntimeError", "secret detail", "/srv/private"):
        assert leak not in page
    # The operator still gets the whole story in the log.
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert any(r.exc_info and "secret detail" in str(r.exc_info[1]) for r in caplog.records), logged


def test_api_server_error_is_one_line_of_json(production_client):
    response = production_client.get("/api/broken")
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert "\n" not in error and "secret" not in error


TRAVERSALS = [
    "/doc/../../etc/passwd",
    "/doc/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/doc/..%2f..%2f..%2fetc%2fpasswd",
    "/doc/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "/doc/....//....//etc/passwd",
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/doc/%00",
    "/doc/a%00b",
    "/doc/%ff%fe",
    "/doc/" + "ك" * 5000,
    "/doc/" + "a/" * 2000,
]


@pytest.mark.parametrize("path", TRAVERSALS, ids=lambda p: p[:40])
def test_no_path_reaches_outside_the_index(production_client, path):
    response = production_client.get(path)
    assert response.status_code in (200, 301, 302, 308, 400, 404), response.status_code
    assert "root:" not in response.get_data(as_text=True)
    assert_security_headers(response)
    response.close()


ABUSIVE_PARAMS = [
    {"q": "لافروف", "page": "-1"},
    {"q": "لافروف", "page": "0"},
    {"q": "لافروف", "page": "1e9"},
    {"q": "لافروف", "page": "1000000000"},
    {"q": "لافروف", "page": "9" * 40},
    {"q": "لافروف", "page": "٣"},
    {"q": "لافروف", "page": "abc"},
    {"q": "لافروف", "page": ""},
    {"q": "لافروف", "page_size": "1000000"},
    {"q": "لافروف", "page_size": "-5"},
    {"q": "لافروف", "page_size": "NaN"},
    {"q": "لافروف", "sort": "'; DROP TABLE--"},
    {"q": "لافروف", "source": "../../etc/passwd"},
    {"q": "لافروف", "from": "2025-13-45", "to": "yesterday"},
    {"q": "لافروف\x00"},
    {"q": "\x00"},
    {"q": "لاف" * 20000},
    {"q": "(" * 500 + "لافروف"},
    {"q": '"' * 301},
    {"q": "*"},
    {"q": "ل*"},
    {"q": "~~~~~"},
    {"q": "عنوان:"},
    {"q": "- OR AND NOT"},
]


@pytest.mark.parametrize("route", ["/", "/api/search", "/api/suggest", "/doc/004_2b11dcb59984afc5"])
def test_abusive_parameters_get_a_clear_answer(production_client, route):
    for params in ABUSIVE_PARAMS:
        response = production_client.get(route, query_string=params)
        assert response.status_code in (200, 302, 400, 404), (params, response.status_code)
        if route.startswith("/api/") and response.status_code == 400:
            error = response.get_json()["error"]
            assert error and "\n" not in error and "Traceback" not in error
        response.close()


def test_repeated_parameters_get_a_clear_answer(production_client):
    query = "q=لافروف&q=كيم&page=1&page=2&page_size=5&page_size=x&sort=newest&sort=relevance"
    for route in ("/", "/api/search", "/api/suggest"):
        assert production_client.get(f"{route}?{query}").status_code in (200, 302, 400, 404), route


# --- safe defaults ------------------------------------------------------------------------

def test_make_serve_listens_on_loopback_without_debug():
    recipe = subprocess.run(["make", "-n", "serve"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "serve --index index --host 127.0.0.1 --port 8000" in recipe
    assert "0.0.0.0" not in recipe and "debug" not in recipe.lower()
    # The command make serve runs listens on loopback too when given no --host.
    host = next(option for option in cli.commands["serve"].params if option.name == "host")
    assert host.default == "127.0.0.1"


def test_app_debug_is_off(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = webui.create_app()
    assert app.debug is False and app.config["DEBUG"] is False and app.config["PROPAGATE_EXCEPTIONS"] is None


SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE" r" KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "assigned secret": re.compile(
        r"""\b[A-Z_]*(?:SECRET|PASSWORD|PASSWD|API_KEY|TOKEN)(?:_[A-Z]+)*["']?\]?\s*[:=]\s*["'][\w+/=.:@!#$%^&*-]{6,}["']""",
        re.I | re.ASCII),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
}


def secrets_in(text):
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


def test_no_secret_in_tracked_files():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    found = {}
    for name in filter(None, tracked.decode().split("\0")):
        path = REPO / name
        if path.is_file():
            hits = secrets_in(path.read_bytes().decode("utf-8", errors="ignore"))
            if hits:
                found[name] = hits
    assert found == {}


def test_the_secret_scan_finds_planted_secrets():
    key = "-----BEGIN RSA PRIVATE" + " KEY-----\nMIIE..."
    assert secrets_in(key) == ["private key"]
    assert secrets_in("aws_key = 'AKIA" + "ABCDEFGHIJKLMNOP'") == ["AWS access key"]
    # Split so that this file does not hold what it looks for.
    assert secrets_in("SECRET_KEY = " + "'k8s-very-secret-value'") == ["assigned secret"]
    assert secrets_in("app.config['SECRET_KEY'] = " + "'dev-only-not-secret'") == ["assigned secret"]
    assert secrets_in("SECRET_KEY = os.environ['SECRET_KEY']") == []


# --- in a real browser: nothing runs --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_server(hostile_index):
    app = webui.create_app(index_dir=hostile_index)

    def unescaped_page():
        # What a template that lost its escaping would send: the CSP must still stop it.
        return f"<!doctype html><title>x</title><p>{SCRIPT}{IMG}{SVG}</p>{JS_LINK}"

    app.add_url_rule("/unescaped", "unescaped", unescaped_page)
    with serving(app) as url:
        yield url


class Watch:
    """A page that records dialogs (alert, confirm...) and CSP refusals."""

    def __init__(self, browser, base_url):
        self.context = browser.new_context(base_url=base_url)
        self.page = self.context.new_page()
        self.dialogs, self.refused = [], []
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def visit(self, path):
        response = self.page.goto(path)
        expect(self.page.locator("body")).to_be_attached()
        return response

    def pwned(self):
        return self.page.evaluate("typeof window.__pwned !== 'undefined'")


@pytest.fixture
def watch(browser, hostile_server):
    w = Watch(browser, hostile_server)
    yield w
    w.context.close()


def test_hostile_articles_and_queries_run_nothing_in_the_browser(watch, hostile_app):
    paths = [f"/?q={quote(q)}" for q in ["لافروف", "كيم", "مؤتمر"] + HOSTILE_QUERIES]
    paths += [f"/doc/{quote(doc_id, safe='')}?q={quote(q)}" for doc_id in hostile_ids(hostile_app)
              for q in ("لافروف", SCRIPT)]
    paths += [f"/api/suggest?q={quote(q)}" for q in ("لاف", SCRIPT, IMG)]
    paths += [f"/api/search?q={quote(q)}" for q in ("لافروف", SCRIPT)]
    for path in paths:
        response = watch.visit(path)
        assert response.status < 500, path
        assert not watch.pwned(), path
    # Escaping, not only the CSP, kept the markup inert: the browser refused nothing.
    assert watch.dialogs == [] and watch.refused == []


def test_the_document_shows_the_markup_as_text(watch, hostile_app):
    watch.visit("/?q=يزور")  # only the article with a script in its title
    link = watch.page.locator(".hit-title a").first
    expect(link).to_contain_text(SCRIPT)
    link.click()
    expect(watch.page.locator("h1")).to_contain_text(SCRIPT)
    expect(watch.page.locator(".document-body")).to_contain_text(IMG)
    # Clicking the article's own link text follows nothing: it is text, not a link.
    expect(watch.page.locator(".document-body a")).to_have_count(0)
    assert not watch.pwned() and watch.dialogs == []


def test_typing_hostile_text_in_the_search_box_runs_nothing(watch):
    watch.visit("/")
    box = watch.page.get_by_label("ابحث في المقالات")
    box.press_sequentially(SCRIPT[:12], delay=20)
    box.press_sequentially(IMG, delay=5)
    box.press("Enter")
    expect(watch.page).to_have_url(re.compile(r"\?q="))
    expect(watch.page.get_by_label("ابحث في المقالات")).to_have_value(SCRIPT[:12] + IMG)
    assert not watch.pwned() and watch.dialogs == []


def test_suggestions_for_a_hostile_query_run_nothing(watch):
    watch.visit("/")
    box = watch.page.get_by_label("ابحث في المقالات")
    box.fill(f"{IMG} لا")
    box.press_sequentially("ف", delay=20)
    # The completion repeats what was typed before the last word: as text, not markup.
    option = watch.page.get_by_role("option").first
    expect(option).to_contain_text("لافروف")
    expect(option).to_contain_text(IMG)
    assert not watch.pwned() and watch.dialogs == [] and watch.refused == []


def test_the_policy_stops_markup_that_escaped_by_mistake(watch):
    watch.visit("/unescaped")
    expect(watch.page.locator("a")).to_have_count(1)
    watch.page.locator("a").click()
    expect(watch.page.locator("p")).to_be_attached()
    assert not watch.pwned() and watch.dialogs == []
    assert watch.refused  # the browser saw the script and refused it
