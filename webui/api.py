"""The JSON API: search results and query suggestions for scripts and browsers, and a
health check for monitors."""

import json

from flask import Blueprint, current_app, request

from indexer import IndexDamaged, IndexMissing, QueryError
from indexer.limits import MAX_PAGE, MAX_PAGE_SIZE
from webui.live_index import live_index
from webui.search_params import BadParameter, SearchParams, read_filters, whole_number

bp = Blueprint("api", __name__)

# Completions offered while typing: as many as a list under a search box shows.
SUGGESTION_COUNT = 8
# The OpenSearch suggestions extension's own type; browsers and our script read it as JSON.
SUGGESTIONS_MIMETYPE = "application/x-suggestions+json"


@bp.get("/api/search")
def search():
    """``SearchResult.to_dict()`` for the same parameters as the results page: ``q``,
    ``page``, ``page_size``, ``sort``, ``source`` (repeatable), ``from``, ``to``."""
    q = request.args.get("q", "")
    if not q.strip():
        raise BadParameter("q", "empty query: pass the words to search for as q")
    params = SearchParams(q=q, page=whole_number(request.args, "page", 1, MAX_PAGE), **read_filters(request.args))
    page_size = whole_number(request.args, "page_size", current_app.config["PAGE_SIZE"], MAX_PAGE_SIZE)
    try:
        with live_index().use() as index:
            result = index.search(q, page_size=page_size, **params.search_kwargs())
    except QueryError as e:
        raise BadParameter("q", str(e)) from None
    if params.page > result.pages:
        raise BadParameter("page", f"page {params.page} is past the last page ({result.pages})")
    return result.to_dict()


@bp.get("/api/suggest")
def suggest():
    """Completions of the typed query in the OpenSearch suggestions format:
    ``["لافر", ["لافروف", ...]]``."""
    q = request.args.get("q", "")
    completions = []
    if q.strip():
        with live_index().use() as index:
            completions = index.complete(q, limit=SUGGESTION_COUNT)
    body = json.dumps([q, completions], ensure_ascii=False)
    return current_app.response_class(body, mimetype=SUGGESTIONS_MIMETYPE)


@bp.get("/healthz")
def healthz():
    """200 ``{"status": "ok", "documents": N}`` while the live index can be read whole;
    503 with ``"error"`` saying what is wrong when it cannot (or there is none)."""
    live = live_index()
    with live.use() as index:
        documents = index.searcher.doc_count()
        expected = index.info().get("documents")
        problem = live.problem
        if problem is None and expected is not None and documents != expected:
            problem = f"the index holds {documents} documents where its build information says {expected}"
    if problem is not None:
        current_app.logger.warning("health check: %s", problem)
        return {"status": "damaged", "error": problem, "documents": documents}, 503
    return {"status": "ok", "documents": documents}


@bp.errorhandler(BadParameter)
def bad_request(error):
    return {"error": str(error)}, 400


@bp.errorhandler(IndexMissing)
def index_missing(error):
    current_app.logger.warning("%s", error)
    return {"status": "unavailable", "error": "no search index has been built yet"}, 503


@bp.errorhandler(IndexDamaged)
def index_damaged(error):
    current_app.logger.error("%s", error)
    return {"status": "damaged", "error": str(error)}, 503
