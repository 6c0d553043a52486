"""``.html``/``.htm`` articles, read with Beautiful Soup (the standard library's
``html.parser`` backend: no compiled dependency, and it tolerates the broken markup real
sites serve).

- title: ``og:title``, else the ``<h1>`` of the ``<article>``/``<main>``, else ``<title>``,
  else the first ``<h1>``
- body: the text of ``<article>``, else ``<main>``, else ``<body>``, without scripts,
  styles, navigation, page header and footer, asides and forms
- source: ``og:site_name``; url: ``og:url``, else ``<link rel="canonical">``; published:
  ``article:published_time`` (or the usual alternatives), else the article's ``<time datetime>``
"""

import re

from bs4 import BeautifulSoup

from indexer.sources.dates import parse_date
from indexer.sources.model import Article

# Parts of a page that are not the article.
DROPPED_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg"]
# Block elements that end a line of text.
_BLOCKS = re.compile(r"^(p|div|h[1-6]|li|tr|br|blockquote|section|figcaption|pre|dd|dt)$")
PUBLISHED_META = ["article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate", "date", "dc.date"]


def html_article(text, *, doc_id, path, encoding):
    soup = BeautifulSoup(text, "html.parser")
    title = _meta(soup, "og:title") or _tag_text(soup.find(["article", "main"]), "h1") or _tag_text(soup, "title") or _tag_text(soup, "h1")
    published = next((parse_date(value) for value in (_meta(soup, name) for name in PUBLISHED_META) if value), None)
    container = soup.find("article") or soup.find("main") or soup.body or soup
    if published is None:
        stamp = container.find("time", attrs={"datetime": True})
        published = parse_date(stamp["datetime"]) if stamp else None
    for tag in container.find_all(DROPPED_TAGS):
        tag.decompose()
    body = _readable_text(container)
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    canonical = soup.find("link", rel="canonical", href=True)
    return Article(
        id=doc_id,
        title=title,
        body=body,
        path=path,
        source=_meta(soup, "og:site_name"),
        url=_meta(soup, "og:url") or (canonical["href"].strip() if canonical else ""),
        published=published,
        encoding=encoding,
    )


def _meta(soup, name):
    """The content of ``<meta property=name>`` or ``<meta name=name>`` (case ignored)."""
    wanted = name.lower()
    for tag in soup.find_all("meta", content=True):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or ""
        if key.lower() == wanted and tag["content"].strip():
            return " ".join(tag["content"].split())
    return ""


def _tag_text(parent, name):
    found = parent.find(name) if parent else None
    return " ".join(found.get_text(" ").split()) if found else ""


def _readable_text(container):
    """The text with a line break after each block, spaces within a line collapsed."""
    for tag in container.find_all(_BLOCKS):
        tag.append("\n")
    lines = (" ".join(line.split()) for line in container.get_text().splitlines())
    return "\n".join(line for line in lines if line)
