"""The JSON API: search results for scripts, and a health check for monitors."""

from flask import Blueprint, current_app, request

from indexer import IndexMissing, QueryError
from indexer.searching import MAX_PAGE_SIZE
from webui.live_index import live_index

bp = Blueprint("api", __name__)


class BadRequest(ValueError):
    """A request the API answers with 400 and this message."""


@bp.get("/api/search")
def search():
    """``SearchResult.to_dict()``: total, took_ms, page, page_size, mode and hits
    (id, title, score, snippet as HTML with ``<mark>``)."""
    q = request.args.get("q", "")
    if not q.strip():
        raise BadRequest("empty query: pass the words to search for as q")
    page = _whole_number("page", 1)
    page_size = _whole_number("page_size", current_app.config["PAGE_SIZE"], maximum=MAX_PAGE_SIZE)
    try:
        with live_index().use() as index:
            result = index.search(q, page=page, page_size=page_size)
    except QueryError as e:
        raise BadRequest(str(e)) from None
    if page > result.pages:
        raise BadRequest(f"page {page} is past the last page ({result.pages})")
    return result.to_dict()


@bp.get("/healthz")
def healthz():
    with live_index().use() as index:
        return {"status": "ok", "documents": index.searcher.doc_count()}


@bp.errorhandler(BadRequest)
def bad_request(error):
    return {"error": str(error)}, 400


@bp.errorhandler(IndexMissing)
def index_missing(error):
    current_app.logger.warning("%s", error)
    return {"status": "unavailable", "error": "no search index has been built yet"}, 503


def _whole_number(name, default, maximum=None):
    text = request.args.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {text!r}") from None
    if value < 1 or (maximum is not None and value > maximum):
        limits = f"from 1 to {maximum}" if maximum is not None else "1 or more"
        raise BadRequest(f"{name} must be {limits}, not {value}")
    return value
