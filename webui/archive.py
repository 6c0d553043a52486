"""The news archive around the results: one story's reports across outlets on a timeline,
and a search to follow as an Atom feed."""

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, render_template, request, url_for

from indexer import QueryError
from webui.live_index import live_index
from webui.pages import PARAMETER_MESSAGES
from webui.search_params import BadParameter, SearchParams, read_filters

bp = Blueprint("archive", __name__)

# Orders of a story's timeline; the first is the default (how the story unfolded).
STORY_ORDERS = ("oldest", "newest")
# The first lines of a report on a timeline, in characters; cut at a word.
LEAD_CHARS = 280
# Entries in a feed: the newest matching articles.
FEED_SIZE = 20
ATOM_MIMETYPE = "application/atom+xml"


@bp.get("/story/<path:doc_id>")
def story(doc_id):
    """Every report of the story article ``doc_id`` belongs to, oldest first (``sort=newest``:
    newest first), with its outlet, day, headline and first lines."""
    params = SearchParams(q=request.args.get("q", ""))
    order = request.args.get("sort", "").strip() or STORY_ORDERS[0]
    if order not in STORY_ORDERS:
        return render_template("error.html", title="ترتيب غير معروف",
                               message="رتّب التقارير بالأقدم أولًا أو بالأحدث أولًا."), 400
    with live_index().use() as index:
        doc = index.document(doc_id)
        if doc is None:
            abort(404)
        # document() names the story's other reports; each is read for its first lines.
        others = [index.document(report["id"]) for report in doc["duplicates"]]
    reports = timeline([doc, *(other for other in others if other is not None)], newest_first=order == "newest")
    return render_template("story.html", params=params, doc=doc, reports=reports, order=order,
                           outlets=sorted({r["source"] for r in reports if r["source"]}))


def timeline(reports, newest_first=False):
    """``reports`` (articles of ``SearchIndex.document``) by day, each with its ``lead``;
    undated reports last either way, ties in outlet order."""
    dated = sorted((r for r in reports if r["published"]), key=lambda r: (r["published"], r["source"], r["id"]))
    if newest_first:
        dated.sort(key=lambda r: r["published"], reverse=True)  # stable: outlets stay in order
    undated = sorted((r for r in reports if not r["published"]), key=lambda r: (r["source"], r["id"]))
    # The lead of what was searched: a headline wrapper («نترككم مع خبر …») is no lead.
    return [{**r, "lead": lead(r["searched_body"])} for r in dated + undated]


def lead(body, limit=LEAD_CHARS):
    """The first lines of ``body`` up to ``limit`` characters, cut after a word, with "…"
    when cut: ``lead("أول سطر\\nثاني سطر", 8)`` -> ``"أول سطر…"``."""
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip("،,.:؛ ") + "…"


@bp.get("/feed")
def feed():
    """The newest ``FEED_SIZE`` articles matching ``q`` and the filters (``source``,
    ``from``, ``to``) as an Atom feed, for a feed reader to follow the search."""
    q = request.args.get("q", "")
    try:
        params = SearchParams(q=q, **read_filters(request.args))
    except BadParameter as e:
        return _feed_problem(PARAMETER_MESSAGES[e.name])
    if not q.strip():
        return _feed_problem("اكتب كلمة أو أكثر في q لمتابعة البحث عنها.")
    try:
        with live_index().use() as index:
            kwargs = {**params.search_kwargs(), "sort": "newest"}
            result = index.search(q, page_size=FEED_SIZE, group_duplicates=False, **kwargs)
            built_at = index.info().get("built_at")
    except QueryError as e:
        return _feed_problem(str(e))
    feed_args = params.url_args(sort="relevance")
    xml = render_template("feed.xml", params=params, result=result, built_at=atom_time(built_at),
                          self_url=url_for("archive.feed", _external=True, **feed_args),
                          page_url=url_for("pages.search", _external=True, **params.url_args(sort="newest")))
    return current_app.response_class(xml, mimetype=ATOM_MIMETYPE)


def _feed_problem(message):
    return render_template("error.html", title="تعذّرت متابعة هذا البحث", message=message), 400


def atom_time(value):
    """An ISO day (``"2025-07-20"``) or a build's time (``"2025-07-20T13:00:00+0300"``) as an
    Atom date, RFC 3339 in UTC: ``"2025-07-20T10:00:00Z"``; ``None`` when there is none."""
    if not value:
        return None
    if len(value) == 10:
        return f"{value}T00:00:00Z"
    moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.app_template_global()
def feed_url(params):
    """The feed of ``params``'s search: its words and filters, newest first."""
    return url_for("archive.feed", **params.url_args(sort="relevance", page=1))


@bp.app_template_global()
def story_url(doc_id, params):
    return url_for("archive.story", doc_id=doc_id, q=params.q or None)


bp.add_app_template_filter(atom_time)
