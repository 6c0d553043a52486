"""The JSON API: search results (or every matching article as CSV or JSON Lines) and
query suggestions for scripts and browsers, and a health check for monitors."""

import itertools
import json
import re
from urllib.parse import quote

from flask import Blueprint, current_app, request, stream_with_context, url_for

from indexer import IndexDamaged, IndexMissing, QueryError
from indexer.search import export
from indexer.search.limits import MAX_PAGE, MAX_PAGE_SIZE
from webui.live_index import live_index
from webui.search_params import BadParameter, SearchParams, read_filters, whole_number

bp = Blueprint("api", __name__)

# Completions offered while typing: as many as a list under a search box shows.
SUGGESTION_COUNT = 8
# The OpenSearch suggestions extension's own type; browsers and our script read it as JSON.
SUGGESTIONS_MIMETYPE = "application/x-suggestions+json"
EXPORT_MIMETYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
# What a download's file name keeps of the query: letters and digits, any script.
_NAME_PARTS = re.compile(r"\w+")


@bp.get("/api/search")
def search():
    """``SearchResult.to_dict()`` for the same parameters as the results page: ``q``,
    ``page``, ``page_size``, ``sort``, ``source`` (repeatable), ``from``, ``to``; with
    ``format=csv`` or ``jsonl``, every matching article instead (``download``)."""
    q = request.args.get("q", "")
    if not q.strip():
        raise BadParameter("q", "empty query: pass the words to search for as q")
    fmt = request.args.get("format")
    if fmt is not None:
        return download(q, fmt)
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


def download(q, fmt):
    """Every article matching ``q`` and the filters (up to ``export.MAX_ROWS``) as a CSV
    or JSON Lines file, streamed as the pages of the search are ranked. The index is
    held for one page at a time, so other readers are served between pages."""
    if fmt not in export.FORMATS:
        raise BadParameter("format", f"format must be one of {', '.join(export.FORMATS)}, not {fmt!r}")
    for name in ("page", "page_size"):
        if name in request.args:
            raise BadParameter(name, f"{name} does not apply with format={fmt}, which lists every matching article")
    params = SearchParams(q=q, **read_filters(request.args))
    options = {key: value for key, value in params.search_kwargs().items() if key != "page"}
    pages = export.pages(_search_one_page, q, **options)
    try:
        first = next(pages)  # a query that cannot run is a 400, before any row is sent
    except QueryError as e:
        raise BadParameter("q", str(e)) from None

    def lines():
        try:
            yield from export.lines(export.rows(itertools.chain([first], pages)), fmt)
        except QueryError as e:
            # The status is sent; X-Result-Count tells a script the file is short.
            current_app.logger.warning("export of %r stopped: %s", q, e)

    response = current_app.response_class(stream_with_context(lines()), mimetype=EXPORT_MIMETYPES[fmt])
    name = "-".join(_NAME_PARTS.findall(q))[:60] or "results"
    response.headers["Content-Disposition"] = f"attachment; filename=\"search.{fmt}\"; filename*=UTF-8''{quote(f'بحث-{name}.{fmt}')}"
    response.headers["X-Result-Count"] = str(min(first.total, export.MAX_ROWS))
    return response


@bp.app_template_global()
def download_url(params, fmt):
    """The address of every article ``params``'s search matches, as ``fmt`` (csv, jsonl)."""
    return url_for("api.search", format=fmt, **params.url_args(page=1))


def _search_one_page(text, **kwargs):
    with live_index().use() as index:
        return index.search(text, **kwargs)


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
        documents = index.document_count()
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
