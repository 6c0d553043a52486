"""The web UI in a real headless Chromium, served by waitress as ``make serve`` does, over
the news articles (five outlets, dates, stories told by several outlets)."""

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from live_server import serving
from playwright.sync_api import expect

import webui

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
# Auto-waiting assertions wait this long: the machine may be busy with other tests.
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}

# No skip when Chromium is missing: these tests must run (.ci/run installs it).


@pytest.fixture(scope="session", autouse=True)
def patient_expect():
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def base_url(news_index_dir):
    """The app served by waitress, as ``make serve`` serves it. Playwright resolves
    ``page.goto("/")`` against it. (Defining it here also replaces pytest-playwright's
    own ``base_url`` fixture, which pytest 9 warns about.)"""
    with serving(webui.create_app(index_dir=news_index_dir)) as url:
        yield url


@pytest.fixture
def page(page):
    """Every test's page, failing the test on any script error or refused resource (a
    Content-Security-Policy violation shows up as a console error)."""
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    assert errors == []


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def query_of(url):
    return parse_qs(urlsplit(url).query)


def fonts_used(page, selector):
    """The font families Chromium actually drew the element's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def fonts_with_arabic():
    """Installed font families that have Arabic letters, as fontconfig knows them."""
    listing = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True, text=True, check=True)
    return {name.strip() for line in listing.stdout.splitlines() for name in line.split(",")}


# WCAG 2 contrast ratio of an element's text colour against the colour behind it
# (its own and its ancestors' backgrounds, blended over white).
CONTRAST = """element => {
  const parse = c => { const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  let back = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) back = [r * a + back[0] * (1 - a), g * a + back[1] * (1 - a), b * a + back[2] * (1 - a)];
  const [fr, fg, fb, fa] = parse(getComputedStyle(element).color);
  const fore = [fr * fa + back[0] * (1 - fa), fg * fa + back[1] * (1 - fa), fb * fa + back[2] * (1 - fa)];
  const lum = rgb => rgb.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}"""


def test_search_from_the_home_page(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    box = page.get_by_label("ابحث في المقالات")
    expect(box).to_be_focused()
    box.fill("العراق")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/\?q=%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82$"))
    expect(page.get_by_label("ابحث في المقالات")).to_have_value("العراق")
    expect(page.locator(".summary")).to_contain_text("ثانية")
    expect(page.locator(".understood")).to_contain_text("بحثنا عن")
    expect(page.locator(".filters fieldset").first).to_be_visible()
    marks = page.locator(".snippet mark")
    expect(marks.first).to_be_visible()
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The snippet's Arabic is drawn with a font that has Arabic letters, not as empty
    # boxes (digits and punctuation may come from a Latin font).
    used = fonts_used(page, ".snippet")
    assert used & fonts_with_arabic(), used
    assert no_horizontal_scroll(page)

    page.locator("details.duplicates summary").first.click()  # the picture shows a story's other reports
    expect(page.locator("details.duplicates .reports").first).to_be_visible()
    page.screenshot(path=Path(output_path) / "desktop-results.png")
    if os.environ.get("UPDATE_SCREENSHOT"):  # refreshes the README's picture on request
        page.screenshot(path=SCREENSHOT)

    page.locator(".hit-title a").first.click()
    expect(page.locator(".document-body mark").first).to_be_visible()


def test_suggestions_while_typing_with_the_keyboard(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="ابحث في المقالات")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("البص")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("البصرة")

    box.press("ArrowDown")
    first = options.first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()  # focus stays in the box; the option is only pointed at
    box.press("ArrowUp")  # back to what was typed
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    expect(first).to_have_attribute("aria-selected", "false")

    box.press("ArrowDown")
    chosen = first.inner_text()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    assert query_of(page.url)["q"] == [chosen]
    expect(page.locator(".hit").first).to_be_visible()


def test_escape_closes_the_suggestions_and_a_click_chooses_one(page):
    page.goto("/help")
    box = page.get_by_role("combobox", name="ابحث في المقالات")
    box.press_sequentially("الملا")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("الملا")  # Escape closed the list, not the reader's text

    box.press_sequentially("ر")
    option = listbox.get_by_role("option").first
    expect(option).to_be_visible()
    chosen = option.inner_text()
    option.click()
    expect(page).to_have_url(re.compile(r"\?q="))
    assert query_of(page.url)["q"] == [chosen]


def test_suggest_api_answers_the_browser_in_opensearch_format(page):
    response = page.request.get("/api/suggest?q=البص")
    assert response.ok
    assert response.headers["content-type"].split(";")[0] in ("application/x-suggestions+json", "application/json")
    typed, completions = response.json()
    assert typed == "البص" and any("البصرة" in c for c in completions)
    opensearch = page.request.get("/opensearch.xml")
    assert opensearch.headers["content-type"].startswith("application/opensearchdescription+xml")
    assert "/api/suggest?q={searchTerms}" in opensearch.text()


def test_filters_sort_and_other_reports_work_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/?q=كأس")
    source = page.locator(".facet").filter(has_text="العربية نت")
    source.get_by_role("checkbox").check()
    page.get_by_role("button", name="تطبيق").click()
    expect(page).to_have_url(re.compile(r"source="))
    assert query_of(page.url)["source"] == ["العربية نت"]
    expect(page.locator(".hit .source").first).to_be_visible()
    expect(page.locator(".hit .source")).to_have_text(["العربية نت"] * page.locator(".hit").count())

    page.get_by_role("link", name="الأحدث أولًا").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    assert query_of(page.url)["source"] == ["العربية نت"]  # the filter stays

    page.goto("/?q=البصرة درجة الحرارة")
    details = page.locator("details.duplicates").first
    reports = details.locator(".reports")
    expect(reports).to_be_hidden()
    details.locator("summary").click()
    expect(reports).to_be_visible()
    # Sky News and Al Jazeera on 20 July are one story; Asharq Al-Awsat's report came a day later.
    expect(reports.get_by_role("link")).to_have_count(1)
    context.close()


def test_document_jumps_to_the_first_match(page):
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto("/doc/iraq-heat-aawsat?q=الدوام")
    first = page.locator("#match-1")
    expect(first).to_have_text(re.compile("الدوام"))
    page.get_by_role("link", name="انتقل إلى أول تطابق").click()
    expect(page).to_have_url(re.compile(r"#match-1$"))
    expect(first).to_be_in_viewport()
    assert first.evaluate("m => getComputedStyle(m).outlineStyle") != "none"  # the target stands out
    expect(page.get_by_role("heading", name="مقالات ذات صلة")).to_be_visible()
    link = page.locator("a.url")
    expect(link).to_have_attribute("rel", "noopener nofollow")
    expect(link).to_have_attribute("href", re.compile(r"^https://"))


def test_keyboard_reaches_everything_with_visible_focus(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=العراق")
    expected = ["انتقل إلى المحتوى", "بحث عربي", "ابحث في المقالات", "بحث", "طريقة البحث"]
    for name in expected:
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        label = focused.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent : e.textContent.trim()")
        assert label == name
        style = focused.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
        assert style[0] != "none" and style[1] >= 2, (name, style)
        expect(focused).to_be_in_viewport()
    # The skip link leads past the header to the results.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("href", re.compile(r"^/(doc/|\?|#)"))


@pytest.mark.parametrize("path, selectors", [
    ("/?q=العراق", ["body", ".brand", ".help-link", ".summary", ".understood", ".hit-title a", ".hit-meta",
                          ".snippet", ".snippet mark", ".duplicates summary", ".sort a[aria-current]",
                          ".filters legend", ".facet", ".count", ".filters button", ".search-form button",
                          ".site-footer"]),
    ("/doc/iraq-heat-aawsat?q=الدوام", [".document h1", ".document-body", ".document-body mark", ".back a",
                                         ".document-meta", ".related a"]),
    ("/?q=بعد", [".coverage h2", ".coverage-unit", ".tick", ".take-away", ".take-away a", ".dates-hint"]),
    ("/story/002_7d4f12e30b58a4f0?q=كيم", [".story h1", ".story-summary", ".timeline .hit-meta", ".timeline .snippet",
                                          ".opened-note", ".timeline .hit-title a"]),
])
def test_text_contrast_is_at_least_4_5(page, path, selectors):
    page.goto(path)
    for selector in selectors:
        element = page.locator(selector).first
        expect(element).to_be_attached()
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 4.5, (selector, round(ratio, 2))


def test_chosen_suggestion_has_enough_contrast(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="ابحث في المقالات")
    box.press_sequentially("البص")
    expect(page.get_by_role("option").first).to_be_visible()
    box.press("ArrowDown")
    chosen = page.locator("[role=option][aria-selected=true]")
    expect(chosen).to_be_visible()
    assert chosen.evaluate(CONTRAST) >= 4.5


PAGES = {
    "home": "/",
    "results": "/?q=النفط",
    "document": "/doc/opec-cut-aljazeera?q=النفط",
    "story": "/story/002_7d4f12e30b58a4f0",
    "help": "/help",
    "query-error": "/?q=ك*",
    "not-found": "/doc/unknown",
}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_right_to_left_layout_without_horizontal_scroll(browser, base_url, output_path, width):
    viewport, extra = (DESKTOP, {}) if width == "desktop" else (PHONE, {"device_scale_factor": 2, "is_mobile": True,
                                                                        "has_touch": True})
    context = browser.new_context(base_url=base_url, viewport=viewport, **extra)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    for name, path in PAGES.items():
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl", name
        assert no_horizontal_scroll(page), name
        page.screenshot(path=Path(output_path) / f"{width}-{name}.png", full_page=True)
    page.goto(PAGES["results"])
    results, filters = page.locator(".results").bounding_box(), page.locator(".filters").bounding_box()
    if width == "phone":
        # One column starting at the right edge; the filters follow the results.
        title = page.locator(".hit-title").first.bounding_box()
        assert viewport["width"] - (title["x"] + title["width"]) < 40
        assert filters["y"] >= results["y"] + results["height"]
    else:
        assert filters["x"] + filters["width"] <= results["x"]  # the results on the right
    context.close()


def test_pages_work_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/")
    page.get_by_label("ابحث في المقالات").fill("الملاريا")
    page.get_by_role("button", name="بحث").click()
    expect(page.locator(".hit")).to_have_count(1)
    page.locator(".hit-title a").first.click()
    expect(page.locator(".document-body mark").first).to_be_visible()
    page.goto("/help")
    page.locator("a.example").first.click()
    expect(page.locator(".hit").first).to_be_visible()
    context.close()


# --- the news archive: coverage over time, stories, feeds, downloads, Arabic dates ----------

def both_widths(page, output_path, name):
    """Screenshots of the page at desktop and phone widths, each without horizontal scroll."""
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        assert no_horizontal_scroll(page), width
        page.screenshot(path=Path(output_path) / f"{width}-{name}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_clicking_a_month_bar_shows_that_months_days(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=بعد")
    chart = page.get_by_role("region", name=re.compile("التغطية عبر الزمن"))
    bars = chart.get_by_role("link")
    expect(bars.first).to_have_accessible_name("أبريل ٢٠٢٣: مقال واحد")
    # Right to left: the oldest month on the right, the newest on the left.
    first, last = bars.first.bounding_box(), bars.last.bounding_box()
    assert first["x"] > last["x"] and first["height"] > 0
    assert chart.locator(".tick").first.inner_text() == "أبريل ٢٠٢٣"
    both_widths(page, output_path, "coverage-months")

    chart.get_by_role("link", name=re.compile("^يوليو ٢٠٢٥")).click()
    expect(page).to_have_url(re.compile("from=2025-07-01&to=2025-07-31"))
    expect(page.locator(".coverage-unit")).to_have_text("(المقالات في كل يوم)")
    expect(page.get_by_label("من", exact=True)).to_have_value("١ يوليو ٢٠٢٥")
    expect(page.locator(".hit .hit-meta time").first).to_have_attribute("datetime", re.compile("^2025-07-"))
    both_widths(page, output_path, "coverage-days")
    # A bar is reached and followed from the keyboard too.
    page.get_by_role("link", name=re.compile("^١٢ يوليو ٢٠٢٥")).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("from=2025-07-12&to=2025-07-12"))


def test_opening_a_story_from_the_folded_reports(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=العراق")
    page.locator("details.duplicates summary").first.click()
    page.get_by_role("link", name="الخبر في كل المصادر على خط زمني").first.click()
    expect(page).to_have_url(re.compile(r"/story/"))
    reports = page.locator(".timeline .report")
    expect(reports).to_have_count(2)
    days = page.locator(".timeline time")
    expect(days.first).to_have_attribute("datetime", "2025-07-20")
    expect(page.locator(".story-summary")).to_contain_text("تقريران من مصدرين")
    both_widths(page, output_path, "story")

    page.get_by_role("link", name="الأحدث أولًا").click()
    expect(page).to_have_url(re.compile("sort=newest"))
    expect(days.first).to_have_attribute("datetime", "2025-07-21")
    page.locator(".timeline .hit-title a").first.click()
    expect(page.locator(".document-body")).to_be_visible()
    page.get_by_role("link", name="الخبر في كل المصادر على خط زمني").click()
    expect(page.locator(".timeline .report")).to_have_count(2)


def test_the_feed_link_follows_the_search_as_atom(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=كأس&source=العربية نت")
    link = page.get_by_role("link", name="تابع هذا البحث (خلاصة Atom)")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == href
    both_widths(page, output_path, "feed-link")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert entries and all(e.find(f"{atom}author/{atom}name").text == "العربية نت" for e in entries)


def test_downloading_every_result_as_csv(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=بعد")
    expect(page.locator(".summary")).to_contain_text("نتيجة")
    both_widths(page, output_path, "downloads")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "بحث-بعد.csv"
    body = Path(download.path()).read_bytes()
    assert body.startswith("\ufeffid,title,outlet,date,url,score".encode("utf-8"))
    rows = body.decode("utf-8-sig").splitlines()[1:]
    assert len(rows) == page.request.get("/api/search?q=بعد").json()["total"]


def test_date_fields_take_arabic_dates_in_arabic_indic_digits(page, output_path):
    page.set_viewport_size(DESKTOP)
    page.goto("/?q=العراق")
    start, end = page.get_by_label("من", exact=True), page.get_by_label("إلى", exact=True)
    expect(start).to_have_attribute("type", "text")
    start.fill("٢٠ يوليو ٢٠٢٥")
    end.fill("٢١/٠٧/٢٠٢٥")
    page.get_by_role("button", name="تطبيق").click()
    expect(page).to_have_url(re.compile(r"from=2025-07-20&to=2025-07-21$"))
    expect(start).to_have_value("٢٠ يوليو ٢٠٢٥")
    expect(end).to_have_value("٢١ يوليو ٢٠٢٥")
    for day in page.locator(".hit .hit-meta time").all():
        assert day.get_attribute("datetime") in ("2025-07-20", "2025-07-21")
    both_widths(page, output_path, "arabic-dates")


def test_results_follow_the_box_as_the_reader_types(page, output_path):
    page.goto("/")
    expect(page.locator(".overview")).to_contain_text("ما يمكن البحث فيه")
    page.screenshot(path=Path(output_path) / "home-overview.png", full_page=True)
    # Set before typing: a page load (a submitted form) would forget it.
    page.evaluate("window.sameDocument = true")
    box = page.get_by_label("ابحث في المقالات")
    box.fill("البصرة")
    expect(page.locator("#live-results .results .hit-title").first).to_contain_text("البصرة")
    expect(page.locator("#live-status")).to_contain_text("نتائج")
    assert page.evaluate("window.sameDocument") is True
    assert page.evaluate("document.activeElement.id") == "q"
    # The address follows, so the results can be shared or reloaded.
    assert parse_qs(page.evaluate("location.search")[1:])["q"] == ["البصرة"]
    assert page.locator("#live-results .overview").count() == 0


# The page's fetch, wrapped: the results page for "لافروف" is held until the test releases it,
# and then arrives even though the page aborted that request (as a slow server's may).
HOLD_OLD_ANSWER = """() => {
  const fetch = window.fetch;
  window.held = [];
  window.fetch = (url, options) => {
    const asked = new URL(url, location.href);
    if (asked.pathname !== "/" || asked.searchParams.get("q") !== "لافروف") {
      return fetch(url, options);
    }
    return new Promise(resolve => window.held.push(resolve));
  };
  window.releaseOld = () => {
    const html = '<div id="live-results"><p class="summary">قديم</p></div>';
    window.held.forEach(resolve => resolve({text: () => Promise.resolve(html)}));
    // Past every promise the answer sets off.
    return new Promise(done => setTimeout(done, 0));
  };
}"""


def test_a_slow_answer_to_an_older_query_does_not_cover_a_newer_one(page):
    page.goto("/")
    page.evaluate(HOLD_OLD_ANSWER)
    box = page.get_by_label("ابحث في المقالات")
    box.fill("لافروف")
    page.wait_for_function("() => window.held.length === 1")
    box.fill("البصرة")
    expect(page.locator("#live-results .results .hit-title").first).to_contain_text("البصرة")
    page.evaluate("window.releaseOld()")
    expect(page.locator("#live-results .results .hit-title").first).to_contain_text("البصرة")
    assert "قديم" not in page.locator("#live-results").inner_text()
    assert parse_qs(page.evaluate("location.search")[1:])["q"] == ["البصرة"]
