"""Building an index from article files into a new generation, swapped in when complete."""

import shutil
import time
from dataclasses import dataclass, field

from whoosh import index as whoosh_index

from indexer import store
from indexer.analysis import DEFAULT_PROFILE, needs_vocabulary
from indexer.analysis.vocabulary import count_vocabulary
from indexer.schema import build_schema
from indexer.sources import Article, Skip, read_sources


class EmptyBuild(Exception):
    """The sources held no article that could be indexed; the old index is kept.
    ``skipped`` lists the files that were found but could not be read, with reasons."""

    def __init__(self, message, skipped=()):
        super().__init__(message)
        self.skipped = list(skipped)


@dataclass
class BuildReport:
    index: str
    documents: int = 0
    skipped: list = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self):
        return {
            "index": self.index,
            "documents": self.documents,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 3),
        }


def document_fields(article, schema):
    """The Whoosh fields of one article (stemmed and, when the schema has them, exact
    copies of title and body)."""
    fields = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "title_exact": article.title,
        "body_exact": article.body,
        "title_translit": article.title,
        "body_translit": article.body,
        "path": article.path,
        "content_hash": article.content_hash,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "lang": article.lang,
    }
    # Whoosh cannot index an empty ID or a missing date: such fields are left out.
    return {name: value for name, value in fields.items() if name in schema and value not in ("", None)}


def build_index(paths, root, procs=1, limitmb=256, profile=DEFAULT_PROFILE):
    """Indexes every article under ``paths`` into a new generation of the index at
    ``root`` and swaps it in. Raises ``EmptyBuild`` (keeping the old index) when nothing
    could be indexed, ``SourceError`` for a path that does not exist, ``IndexLocked``
    when another command is writing."""
    started = time.perf_counter()
    report = BuildReport(index=str(root))
    with store.writer_lock(root):
        temp = store.new_temporary(root)
        try:
            _write(paths, temp, report, procs, limitmb, profile)
            report.seconds = time.perf_counter() - started
            store.publish(root, temp, {
                "documents": report.documents,
                "skipped": len(report.skipped),
                "build_seconds": round(report.seconds, 3),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "sources": [str(p) for p in paths],
                "profile": profile,
            })
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return report


def _write(paths, folder, report, procs, limitmb, profile):
    vocabulary = None
    if needs_vocabulary(profile):
        # A first reading of the sources, for the stemmer's evidence (see stemming.py).
        vocabulary = count_vocabulary(
            f"{item.title}\n{item.body}" for item in read_sources(paths) if isinstance(item, Article)
        )
    schema = build_schema(profile, vocabulary)
    ix = whoosh_index.create_in(folder, schema)
    writer = ix.writer(procs=procs, limitmb=limitmb, multisegment=procs > 1)
    first_seen = {}
    try:
        for item in read_sources(paths):
            if isinstance(item, Skip):
                report.skipped.append(item)
            elif item.id in first_seen:
                report.skipped.append(Skip(item.path, f"duplicate id {item.id!r} (kept {first_seen[item.id]})"))
            else:
                first_seen[item.id] = item.path
                writer.add_document(**document_fields(item, schema))
                report.documents += 1
    except BaseException:
        writer.cancel()
        raise
    if not report.documents:
        writer.cancel()
        raise EmptyBuild(f"no article could be indexed from {', '.join(map(str, paths))}", report.skipped)
    writer.commit()
    ix.close()
