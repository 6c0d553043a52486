"""The HTML pages: the search box, pages of results, one article, the help page and the
OpenSearch description."""

import re
from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from indexer import IndexDamaged, IndexMissing, QueryError
from indexer.search.limits import MAX_PAGE
from indexer.search.query_language import exact_query
from webui.coverage import coverage
from webui.live_index import live_index
from webui.search_params import BadParameter, SearchParams, iso_dates, read_filters

bp = Blueprint("pages", __name__)

# Related articles shown under an article.
RELATED_COUNT = 5
# Only these links from article metadata become links: a ``javascript:`` or ``data:``
# address in a collection must never be clickable. No whitespace or control characters
# either, which browsers strip and then read what is left.
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f/?#]+[^\s\x00-\x1f\x7f]*", re.IGNORECASE)
# The formatter of indexer.search.snippets escapes the article's text, so "<mark>" in its
# output is always its own tag, never text from the article.
_MARK = re.compile(r"<mark>")
# Why a parameter made the page unanswerable, for the reader.
PARAMETER_MESSAGES = {
    "sort": "ترتيب النتائج غير معروف: اختر «الأكثر صلة» أو «الأحدث أولًا».",
    "source": "اخترت مصادر أكثر مما يمكن البحث فيه معًا.",
    "from": "تاريخ البداية غير صالح: اكتبه مثل ١٥ يوليو ٢٠٢٥ أو ٢٠٢٥-٠٧-١٥.",
    "to": "تاريخ النهاية غير صالح، أو يسبق تاريخ البداية: اكتبه مثل ١٥ يوليو ٢٠٢٥ أو ٢٠٢٥-٠٧-١٥.",
}


@bp.get("/")
def search():
    q = request.args.get("q")
    if q is None:
        # Say at once, not after the first search, when there is nothing to search.
        with live_index().use() as index:
            overview = index.overview(current_app.config["LATEST_STORIES"])
        return render_template("search.html", params=SearchParams(), home=True, overview=overview)
    try:
        params = SearchParams(q=q, page=_page_number(request.args.get("page")), **read_filters(request.args))
    except BadParameter as e:
        return render_template("search.html", params=SearchParams(q=q),
                               problem=PARAMETER_MESSAGES[e.name]), 400
    if not iso_dates(request.args, params):
        # A day typed as "٢٠ يوليو ٢٠٢٥": the address to keep and share says 2025-07-20.
        return redirect(search_url(params))
    if not q.strip():
        return render_template("search.html", params=params, empty_query=True)
    try:
        with live_index().use() as index:
            result = index.search(q, page_size=current_app.config["PAGE_SIZE"], **params.search_kwargs())
        exact = exact_query(q)
    except QueryError as e:
        return render_template("search.html", params=params, query_error=str(e)), 400
    if params.page > result.pages:
        # A page past the end has nothing to show: send the reader to the last page, so
        # the address always says which page they see.
        return redirect(search_url(params, page=result.pages))
    return render_template("search.html", params=params, result=result,
                           chart=coverage(result.facets, params.date_from, params.date_to),
                           exact_url=search_url(params, q=exact, page=1) if exact.strip() != q.strip() else None,
                           page_links=page_links(result.page, result.pages))


@bp.get("/doc/<path:doc_id>")
def document(doc_id):
    q = request.args.get("q", "")
    with live_index().use() as index:
        try:
            doc = index.document(doc_id, q)
        except QueryError:
            # A query too long to run still leaves an article worth showing, unmarked.
            doc = index.document(doc_id)
        if doc is None:
            abort(404)
        related = index.more_like_this(doc_id, limit=RELATED_COUNT)
    body_html, matches = number_marks(doc["body_html"])
    return render_template("document.html", params=SearchParams(q=q), doc=doc, body_html=body_html,
                           matches=matches, related=related)


@bp.get("/help")
def help_page():
    return render_template("help.html")


@bp.get("/opensearch.xml")
def opensearch():
    """Lets a browser add the site as a search engine, with suggestions as one types."""
    xml = render_template("opensearch.xml")
    return current_app.response_class(xml, mimetype="application/opensearchdescription+xml")


@bp.app_errorhandler(404)
def not_found(error):
    return render_template("error.html", q="", title="الصفحة غير موجودة",
                           message="لم نجد هذه الصفحة أو هذا المقال. ربما تغيّر الفهرس منذ البحث."), 404


@bp.errorhandler(IndexMissing)
def index_missing(error):
    current_app.logger.warning("%s", error)
    return render_template("error.html", q="", title="البحث غير متاح الآن",
                           message="لم يُبنَ فهرس البحث بعد. أعد المحاولة بعد قليل."), 503


@bp.errorhandler(IndexDamaged)
def index_damaged(error):
    current_app.logger.error("%s", error)
    return render_template("error.html", q="", title="البحث غير متاح الآن",
                           message="تعذّرت قراءة فهرس البحث لأنه تالف، وقد سُجّل ذلك. أعد المحاولة بعد قليل."), 503


@bp.app_context_processor
def no_search_yet():
    """Pages that are not results (errors, help) get a blank search for the search box;
    a page's own ``params`` replaces it."""
    return {"params": SearchParams()}


@bp.app_template_global()
def search_url(params, **changes):
    """The one address of a page of results: ``params`` (a ``SearchParams``) with
    ``changes`` applied, e.g. ``search_url(params, page=2)``."""
    return url_for("pages.search", **params.url_args(**changes))


@bp.app_template_global()
def year_url(params, year):
    """The address of ``params``'s results published in ``year`` (a facet's ``"2025"``)."""
    year = int(year)
    return search_url(params, date_from=date(year, 1, 1), date_to=date(year, 12, 31), page=1)


@bp.app_template_filter()
def web_url(url):
    """``url`` when it is an http(s) address, else ``""`` (shown as text, not linked)."""
    return url if url and _WEB_URL.fullmatch(url) else ""


def number_marks(html):
    """Gives each ``<mark>`` of highlighted HTML an id, ``match-1`` onwards, so a link can
    jump to the first match; returns the HTML and how many matches it has."""
    count = 0

    def numbered(_):
        nonlocal count
        count += 1
        return f'<mark id="match-{count}">'

    return _MARK.sub(numbered, html), count


def page_links(current, last, around=2):
    """The page numbers to link: the first, the last, and ``around`` on each side of
    the current one, with ``None`` where numbers are left out:
    ``page_links(6, 20)`` -> ``[1, None, 4, 5, 6, 7, 8, None, 20]``."""
    shown = sorted({1, last} | set(range(max(1, current - around), min(last, current + around) + 1)))
    links = []
    for number in shown:
        if links and number - links[-1] == 2:
            links.append(number - 1)  # a gap of one page: show it rather than "…"
        elif links and number - links[-1] > 2:
            links.append(None)
        links.append(number)
    return links


def _page_number(text):
    """The page asked for; anything that is not a page number means the first page, and
    a number past the deepest page anyone may read means that page."""
    try:
        return min(max(1, int(text)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1
