"""Building an index from article files into a new generation, swapped in when complete.

The sources are read and decoded once. That first pass counts the collection's
vocabulary (the stemmer's evidence, which must be complete before any document is
stemmed) and its outlets' repeated lines (``indexing.boilerplate``: what is not
searched), and spills the articles to an unnamed temporary file; the second pass indexes
them from there. Both passes use ``procs`` processes: the vocabulary is counted in
chunks by a process pool, the documents analyzed by Whoosh's multi-process writer.
"""

import os
import pickle
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field

from indexer import engine
from indexer.indexing import checking, processes, space, store
from indexer.analysis import DEFAULT_PROFILE, needs_vocabulary
from indexer.analysis.vocabulary import count_vocabulary
from indexer.indexing.boilerplate import LineCounter
from indexer.indexing.lexicon import Lexicon
from indexer.indexing.progress import Silent
from indexer.indexing.schema import FIELD_BOOSTS, Analysis, document_fields
from indexer.indexing.phrases import Phrases, article_text
from indexer.indexing.signatures import Signatures
from indexer.indexing.signatures import compute as compute_signatures
from indexer.sources import FieldNames, Skip, find_files, read_sources

# Articles per vocabulary job: large enough that pickling is small beside analysis.
VOCABULARY_CHUNK = 200


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
    # file -> encoding it was decoded with (``--verbose``), and the ids indexed.
    encodings: dict = field(default_factory=dict)
    ids: list = field(default_factory=list)

    def to_dict(self, verbose=False):
        data = {
            "index": self.index,
            "documents": self.documents,
            "skipped": skipped_dicts(self.skipped),
            "seconds": round(self.seconds, 3),
        }
        if verbose:
            data["files"] = encoding_dicts(self.encodings)
        return data


def skipped_dicts(skipped):
    return [{"path": s.path, "reason": s.reason} for s in skipped]


def encoding_dicts(encodings):
    return [{"path": path, "encoding": encoding} for path, encoding in encodings.items()]


def default_procs():
    """The CPUs this process may run on (what ``--procs`` defaults to)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def article_fields(article):
    """The stored fields of an article read from the sources."""
    return document_fields(article, os.path.abspath(article.path))


def finish_generation(engine_name, folder, documents=(), procs=1, dropped=()):
    """Index-time work off the query path, once the engine has committed: the
    vocabulary with document frequencies (did-you-mean, autocomplete, expansions), the
    frequent word sequences (autocomplete, ``indexing.phrases``) and the story
    signatures (``indexing.signatures``) of ``documents``, the articles just written; the folder's earlier signatures are kept for the others, less the ids
    ``dropped``. Articles of the index left without a signature are signed from their
    stored text (an index from before signatures were kept)."""
    reader = engine.open_reader(engine_name, folder)
    try:
        lexicon = Lexicon.from_reader(reader, (*FIELD_BOOSTS, "source"))
        lexicon.save(folder)
        analysis, doc_count = Analysis.load(folder), reader.doc_count()
        previous = Signatures.load(folder)
        signatures = previous.without(dropped) if previous is not None else Signatures()
        for doc_id, row in compute_signatures(documents, analysis, lexicon, doc_count, procs):
            signatures.add(doc_id, row)
        if len(signatures) < doc_count:
            unsigned = (d for d in reader.all_stored() if d["id"] not in signatures.ids())
            for doc_id, row in compute_signatures(unsigned, analysis, lexicon, doc_count, procs):
                signatures.add(doc_id, row)
        signatures.save(folder)
        # Counted afresh from what the generation holds, so an update stays exact.
        Phrases.count(article_text(d, analysis) for d in reader.all_stored()).save(folder)
    finally:
        reader.close()


def build_index(paths, root, procs=1, limitmb=256, profile=DEFAULT_PROFILE, fields=FieldNames(), progress=None,
                engine_name=engine.DEFAULT_ENGINE):
    """Indexes every article under ``paths`` into a new generation of the index at
    ``root``, held by engine ``engine_name``, and swaps it in. Raises ``EmptyBuild`` (keeping the old index) when nothing
    could be indexed, ``SourceError`` for a path that does not exist, ``IndexLocked``
    when another command is writing. ``progress`` (``indexer.indexing.progress.Progress``) is
    told how far each pass is."""
    started = time.perf_counter()
    report = BuildReport(index=str(root))
    progress = progress or Silent()
    engine.engine(engine_name)
    with space.reported(root, paths), store.writer_lock(root):
        temp = store.new_temporary(root)
        try:
            _write(paths, temp, report, procs, limitmb, profile, fields, progress, engine_name)
            report.seconds = time.perf_counter() - started
            store.publish(root, temp, {
                "documents": report.documents,
                "skipped": len(report.skipped),
                "build_seconds": round(report.seconds, 3),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "sources": [str(p) for p in paths],
                "profile": profile,
                "engine": engine_name,
            })
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return report


def _write(paths, folder, report, procs, limitmb, profile, fields, progress, engine_name):
    # Unnamed (unlinked at once): a killed build leaves no spill behind.
    with tempfile.TemporaryFile(dir=folder.parent) as spill:
        lines = LineCounter()
        counts = _read_once(paths, fields, spill, report, procs, needs_vocabulary(profile), lines, progress)
        if not report.documents:
            raise EmptyBuild(f"no article could be indexed from {', '.join(map(str, paths))}", report.skipped)
        analysis = Analysis(profile, counts, lines.boilerplate())
        analysis.save(folder)
        writer = engine.create(engine_name, folder, analysis, procs=procs, limitmb=limitmb)
        try:
            spill.seek(0)
            progress.start("indexed", report.documents, "articles")
            for _ in range(report.documents):
                writer.add(article_fields(pickle.load(spill)))
                progress.advance()
            progress.finish()
            progress.note("writing the index")
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        # Checked before anything reads it back; then the vocabulary and story signatures.
        checking.verify_new(folder, report.documents, engine_name)
        spill.seek(0)
        written = (article_fields(pickle.load(spill)) for _ in range(report.documents))
        finish_generation(engine_name, folder, written, procs)


def _read_once(paths, fields, spill, report, procs, count_words, lines, progress):
    """Reads every source once: articles are pickled to ``spill`` (duplicate ids and
    unreadable files go to ``report.skipped``) and their lines counted by ``lines`` (a
    ``LineCounter``); returns the vocabulary's document counts when ``count_words``,
    else ``None``."""
    files = {str(path) for path in find_files(paths)}
    progress.start("read", len(files), "files")
    counter = _VocabularyCounter(procs) if count_words else None
    first_seen, current_file, chunk = {}, None, []
    try:
        for item in read_sources(paths, fields):
            source_file = item.path if item.path in files else item.path.rpartition(":")[0]
            if source_file != current_file and source_file in files:
                current_file = source_file
                progress.advance()
            if isinstance(item, Skip):
                report.skipped.append(item)
            elif item.id in first_seen:
                report.skipped.append(Skip(item.path, f"duplicate id {item.id!r} (kept {first_seen[item.id]})"))
            else:
                first_seen[item.id] = item.path
                report.encodings.setdefault(source_file or item.path, item.encoding or "unknown")
                report.ids.append(item.id)
                pickle.dump(item, spill, pickle.HIGHEST_PROTOCOL)
                report.documents += 1
                lines.add(item.body, item.source)
                if counter is not None:
                    chunk.append(f"{item.title}\n{item.body}")
                    if len(chunk) >= VOCABULARY_CHUNK:
                        counter.add(chunk)
                        chunk = []
        progress.finish()
        if counter is None:
            return None
        counter.add(chunk)
        return counter.total()
    finally:
        if counter is not None:
            counter.close()


def _chunk_counts(texts):
    return count_vocabulary(texts).counts


class _VocabularyCounter:
    """Document counts of the collection's words, summed over chunks of articles; with
    more than one process, chunks are counted by a pool while reading goes on."""

    def __init__(self, procs):
        self.counts = Counter()
        self.pool = processes.worker_pool(procs) if procs > 1 else None
        self.pending = []
        self.procs = procs

    def add(self, texts):
        if not texts:
            return
        if self.pool is None:
            self.counts.update(_chunk_counts(texts))
            return
        self.pending.append(self.pool.apply_async(_chunk_counts, (texts,)))
        # Bounded: reading never runs far ahead of counting, so memory stays flat.
        while len(self.pending) > 2 * self.procs:
            self.counts.update(self.pending.pop(0).get())

    def total(self):
        for result in self.pending:
            self.counts.update(result.get())
        self.pending = []
        return self.counts

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
