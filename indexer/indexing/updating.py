"""Updating an index in place of a rebuild: new articles added, changed ones re-indexed,
deleted ones removed, everything else left as it is.

The live generation is never modified: it is copied to a temporary folder, the changes
are applied there with one writer of the engine that built it, and the copy is published atomically like a
build (``store.publish``), all under the index's write lock.

An update keeps the index's analysis, and with it the stemmer's vocabulary counted by the
last full build (queries are analyzed with the same vocabulary, so they still meet the
documents). Words that only the new articles use are stemmed by the rules alone; a full
``build`` counts the vocabulary afresh. The analysis also holds the outlet boilerplate
the build counted (``indexing.boilerplate``): new and changed articles are judged against
it, and a line that only they repeat is searched until the next build.
"""

import os
import re
import shutil
import time
from dataclasses import dataclass, field

from indexer import engine
from indexer.indexing import checking, space, store
from indexer.indexing.building import (
    BuildReport,
    article_fields,
    build_index,
    encoding_dicts,
    finish_generation,
    skipped_dicts,
)
from indexer.indexing.progress import Silent
from indexer.indexing.schema import STORED_FIELDS
from indexer.sources import FieldNames, Skip, find_files, read_sources

# ``file.jsonl:12``: one record of a collection, stored with its line.
RECORD_LINE = re.compile(r":\d+$")


@dataclass
class UpdateReport:
    index: str
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)
    seconds: float = 0.0
    # True when there was no index yet and the update built one.
    built: bool = False
    encodings: dict = field(default_factory=dict)

    @property
    def up_to_date(self):
        return not (self.added or self.changed or self.removed)

    def to_dict(self, verbose=False):
        data = {
            "index": self.index,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
            "up_to_date": self.up_to_date,
            "built": self.built,
            "skipped": skipped_dicts(self.skipped),
            "seconds": round(self.seconds, 3),
        }
        if verbose:
            data["ids"] = {"added": self.added, "changed": self.changed, "removed": self.removed}
            data["files"] = encoding_dicts(self.encodings)
        return data


def update_index(paths, root, procs=1, limitmb=256, fields=FieldNames(), progress=None,
                 engine_name=engine.DEFAULT_ENGINE):
    """Brings the index at ``root`` in line with the articles under ``paths``: adds the
    new, re-indexes the changed (content hash, path or metadata differ), removes those
    whose file lies under ``paths`` but no longer holds them. Articles from elsewhere are
    untouched. Publishes no new generation when nothing changed. With no index at
    ``root`` yet, builds one with ``engine_name``; otherwise the index's own engine is kept. Raises ``SourceError``, ``IndexLocked`` like a build."""
    started = time.perf_counter()
    progress = progress or Silent()
    try:
        live = store.current_generation(root)
    except store.IndexMissing:
        return _first_build(paths, root, procs, limitmb, fields, progress, engine_name)
    report = UpdateReport(index=str(root))
    with space.reported(root, paths), store.writer_lock(root):
        # Read again under the lock: another command may have published meanwhile.
        live = store.current_generation(root)
        info = store.read_build_info(live)
        engine_name = info.get("engine", engine.DEFAULT_ENGINE)
        # Every file of the live generation is checked, so an update never goes on from
        # (or says "up to date" about) a damaged index.
        store.verify_files(live, info)
        reader = engine.open_reader(engine_name, live)
        try:
            indexed = {stored["id"]: stored for stored in reader.all_stored()}
        finally:
            reader.close()
        new_docs = _compare(paths, fields, indexed, report, progress)
        if report.up_to_date:
            report.seconds = time.perf_counter() - started
            return report
        temp = store.new_temporary(root)
        try:
            expected = len(indexed) - len(report.removed) + len(report.added)
            _apply(engine_name, live, temp, new_docs, report, procs, limitmb, progress, expected)
            report.seconds = time.perf_counter() - started
            info.update({
                "documents": expected,
                "skipped": len(report.skipped),
                "build_seconds": round(report.seconds, 3),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "updated_from": live.name,
                "update": {"added": len(report.added), "changed": len(report.changed), "removed": len(report.removed)},
            })
            store.publish(root, temp, info)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return report


def _first_build(paths, root, procs, limitmb, fields, progress, engine_name):
    built = build_index(paths, root, procs=procs, limitmb=limitmb, fields=fields, progress=progress,
                        engine_name=engine_name)
    return _from_build(built)


def _from_build(built: BuildReport):
    return UpdateReport(index=built.index, added=built.ids, skipped=built.skipped, seconds=built.seconds,
                        built=True, encodings=built.encodings)


def _compare(paths, fields, indexed, report, progress):
    """Sorts the articles under ``paths`` into added, changed and unchanged against
    ``indexed`` (id -> stored fields), and the indexed articles of those paths that are
    gone into removed (not those of a file that was skipped: it may still hold them). Returns the documents to write: ``[(id, fields)]``."""
    roots = [os.path.abspath(p) for p in paths]
    files = {str(p) for p in find_files(paths)}
    progress.start("read", len(files), "files")
    seen, to_write, current_file = {}, [], None
    for item in read_sources(paths, fields):
        source_file = item.path if item.path in files else RECORD_LINE.sub("", item.path)
        if source_file != current_file and source_file in files:
            current_file = source_file
            progress.advance()
        if isinstance(item, Skip):
            report.skipped.append(item)
            continue
        if item.id in seen:
            report.skipped.append(Skip(item.path, f"duplicate id {item.id!r} (kept {seen[item.id]})"))
            continue
        document = article_fields(item)
        old = indexed.get(item.id)
        if old is not None and not _under(old.get("path", ""), roots):
            # The id belongs to an article of another folder, which this update must not touch.
            report.skipped.append(Skip(item.path, f"duplicate id {item.id!r} (kept {old.get('path')})"))
            continue
        seen[item.id] = item.path
        report.encodings.setdefault(source_file, item.encoding or "unknown")
        if old is None:
            report.added.append(item.id)
            to_write.append((item.id, document))
        elif _stored_view(document) != _stored_view(old):
            report.changed.append(item.id)
            to_write.append((item.id, document))
        else:
            report.unchanged += 1
    progress.finish()
    # A file that could not be read to its end (damaged, cut short, unreadable) says
    # nothing about the articles it held: they are kept, not removed.
    unread = {os.path.abspath(s.path) for s in report.skipped if s.path in files}
    report.removed = sorted(
        doc_id for doc_id, stored in indexed.items()
        if doc_id not in seen and _under(stored.get("path", ""), roots)
        and os.path.abspath(RECORD_LINE.sub("", stored.get("path", ""))) not in unread
    )
    return to_write


def _apply(engine_name, live, temp, documents, report, procs, limitmb, progress, expected):
    """Copies the live generation to ``temp``, applies the changes there and checks the
    result holds the ``expected`` documents, whole, before the index-time work on it."""
    shutil.copytree(live, temp, dirs_exist_ok=True)
    (temp / store.BUILD_INFO).unlink(missing_ok=True)
    writer = engine.open_writer(engine_name, temp, procs=procs, limitmb=limitmb)
    try:
        for doc_id in (*report.removed, *report.changed):
            writer.delete(doc_id)
        progress.start("indexed", len(documents), "articles")
        for _, document in documents:
            writer.add(document)
            progress.advance()
        progress.finish()
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    checking.verify_new(temp, expected, engine_name)
    finish_generation(engine_name, temp, (document for _, document in documents), procs,
                      dropped=(*report.removed, *report.changed))


def _stored_view(document):
    """What the index keeps of a document: equal views mean nothing to re-index (an
    engine may leave an empty field out)."""
    return {name: document.get(name) or None for name in STORED_FIELDS}


def _under(stored_path, roots):
    """Whether an indexed article's file (``path``, or ``path:line`` for a record) is
    one of ``roots`` or lies in one of them."""
    # abspath: indexes built before paths were stored absolute hold them relative.
    path = os.path.abspath(RECORD_LINE.sub("", stored_path))
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)
