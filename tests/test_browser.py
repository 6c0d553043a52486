"""The web UI in a real headless Chromium, served by waitress as ``make serve`` does."""

import os
import re
import subprocess
import threading
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import expect
from waitress import wasyncore

import webui

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; CI installs it
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"

# No skip when Chromium is missing: these tests must run (.ci/run installs it).


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # Root in a container has no sandbox; the rest keeps the browser off the network.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def base_url(seed_index_dir):
    """The app served by waitress on a free port, in a thread. Playwright resolves
    ``page.goto("/")`` against it. (Defining it here also replaces pytest-playwright's
    own ``base_url`` fixture, which pytest 9 warns about.)"""
    socket_map = {}
    server = waitress.create_server(webui.create_app(index_dir=seed_index_dir), map=socket_map,
                                    host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    # Sockets are closed inside the server's own loop: closing them from this thread
    # could pull one from under a select() in progress.
    server.trigger.pull_trigger(lambda: wasyncore.close_all(socket_map))
    thread.join(timeout=10)
    assert not thread.is_alive(), "waitress did not stop"
    server.task_dispatcher.shutdown()


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


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


def test_search_from_the_home_page(page, output_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"

    box = page.get_by_label("ابحث في المقالات")
    expect(box).to_be_focused()
    box.fill("لافروف")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/\?q=%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81$"))
    expect(page.get_by_label("ابحث في المقالات")).to_have_value("لافروف")
    expect(page.locator(".summary")).to_contain_text("٥ نتائج")
    expect(page.locator(".hit")).to_have_count(5)
    marks = page.locator(".snippet mark")
    expect(marks.first).to_be_visible()
    expect(marks.first).to_have_text("لافروف")
    assert marks.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The snippet is drawn with fonts that have Arabic letters, not as empty boxes.
    used = fonts_used(page, ".snippet")
    assert used and used <= fonts_with_arabic(), used

    page.screenshot(path=Path(output_path) / "desktop-results.png")
    if os.environ.get("UPDATE_SCREENSHOT"):  # refreshes the README's picture on request
        page.screenshot(path=SCREENSHOT)

    page.locator(".hit-title a").first.click()
    expect(page.locator("h1 mark").first).to_have_text("لافروف")
    expect(page.locator(".document-body mark").first).to_be_visible()


def test_phone_width_has_no_horizontal_scroll(browser, base_url, output_path):
    context = browser.new_context(base_url=base_url, viewport={"width": 375, "height": 800},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ("/", "/?q=كيم جونغ", "/doc/002_7d4f12e30b58a4f0?q=كيم جونغ", "/doc/unknown"):
        page.goto(path)
        assert no_horizontal_scroll(page), path
    page.goto("/?q=كيم جونغ")
    expect(page.locator(".snippet mark").first).to_be_visible()
    page.screenshot(path=Path(output_path) / "phone-results.png", full_page=True)
    context.close()


def test_pages_work_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("ابحث في المقالات").fill("كيم جونغ")
    page.get_by_role("button", name="بحث").click()
    expect(page.locator(".hit")).to_have_count(5)
    page.locator(".hit-title a").first.click()
    expect(page.locator(".document-body mark").first).to_be_visible()
    context.close()
