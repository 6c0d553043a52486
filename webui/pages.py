"""The HTML pages: the search box, pages of results, and one article."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from indexer import IndexMissing, QueryError
from webui.live_index import live_index

bp = Blueprint("pages", __name__)


@bp.get("/")
def search():
    q = request.args.get("q")
    if q is None:
        # Say at once, not after the first search, when there is nothing to search.
        live_index().check()
        return render_template("search.html", q="", home=True)
    if not q.strip():
        return render_template("search.html", q=q, empty_query=True)
    page = _page_number(request.args.get("page"))
    try:
        with live_index().use() as index:
            result = index.search(q, page=page, page_size=current_app.config["PAGE_SIZE"])
    except QueryError as e:
        return render_template("search.html", q=q, query_error=str(e)), 400
    if page > result.pages:
        # A page past the end has nothing to show: send the reader to the last page, so
        # the address always says which page they see.
        return redirect(search_url(q, result.pages))
    return render_template("search.html", q=q, result=result, page_links=page_links(result.page, result.pages))


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
    return render_template("document.html", q=q, doc=doc)


@bp.app_errorhandler(404)
def not_found(error):
    return render_template("error.html", q="", title="الصفحة غير موجودة",
                           message="لم نجد هذه الصفحة أو هذا المقال. ربما تغيّر الفهرس منذ البحث."), 404


@bp.errorhandler(IndexMissing)
def index_missing(error):
    current_app.logger.warning("%s", error)
    return render_template("error.html", q="", title="البحث غير متاح الآن",
                           message="لم يُبنَ فهرس البحث بعد. أعد المحاولة بعد قليل."), 503


@bp.app_template_global()
def search_url(q, page=1):
    """The one address of a page of results (page 1 has no ``page`` parameter)."""
    return url_for("pages.search", q=q, page=page if page > 1 else None)


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
    """The page asked for; anything that is not a page number means the first page."""
    try:
        return max(1, int(text))
    except (TypeError, ValueError):
        return 1
