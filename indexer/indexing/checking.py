"""Whether an index generation is whole: for ``python -m indexer check`` (scripted
rebuild pipelines), for ``build`` and ``update`` before they publish a generation, and
for the server and the command line when reading the index fails.

A generation is whole when its build.json can be read, the engine opens it and reads
every stored document and every term of its fields, it holds as many documents as
build.json says were indexed, and its forward index has the row each document names:
``check_index("index").ok``, else ``.problems`` lists what is wrong, one line each.
"""

from dataclasses import dataclass, field

from indexer import engine
from indexer.engine import plan
from indexer.indexing import store
from indexer.indexing.forward_index import ForwardIndex
from indexer.indexing.lexicon import Lexicon
from indexer.indexing.schema import Analysis
from indexer.indexing.store import IndexDamaged, IndexMissing


@dataclass
class CheckReport:
    index: str
    generation: str | None = None
    documents: int | None = None
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def to_dict(self):
        return {"index": self.index, "ok": self.ok, "generation": self.generation,
                "documents": self.documents, "problems": self.problems}


def check_index(root):
    """Checks the live generation of the index at ``root``."""
    report = CheckReport(index=str(root))
    try:
        generation = store.current_generation(root)
    except (IndexMissing, IndexDamaged) as e:
        report.problems.append(str(e))
        return report
    report.generation = generation.name
    expected, engine_name = None, engine.DEFAULT_ENGINE
    try:
        info = store.read_build_info(generation)
        expected, engine_name = info.get("documents"), info.get("engine", engine.DEFAULT_ENGINE)
        store.verify_files(generation, info)
    except IndexDamaged as e:
        report.problems.append(str(e))
    report.documents, problems = check_generation(generation, expected, engine_name)
    report.problems += problems
    try:
        Lexicon.load(generation)
    except Exception as e:  # a damaged pickle fails with any kind of error
        report.problems.append(f"{generation}: its vocabulary cannot be read: {type(e).__name__}: {e}")
    return report


def check_generation(folder, expected_documents=None, engine_name=engine.DEFAULT_ENGINE):
    """``(documents, problems)`` of the generation in ``folder``: what the engine counts
    (``None`` when it cannot open it) and what is wrong, as one line each."""
    try:
        counted, read, last_row = read_every_document(folder, engine_name)
    except Exception as e:  # a damaged file fails inside the engine with any kind of error
        return None, [f"{folder} cannot be read: {type(e).__name__}: {e}".rstrip(": ")]
    problems = []
    if read != counted:
        problems.append(f"{folder}: {read} of its {counted} documents can be read")
    if expected_documents is not None and counted != expected_documents:
        problems.append(f"{folder} holds {counted} documents where {store.BUILD_INFO} says {expected_documents}")
    rows = len(ForwardIndex.open(folder) or ())
    if last_row is not None and last_row >= rows:
        problems.append(f"{folder}: a document's row {last_row} is past the {rows} of its forward index")
    return counted, problems


def verify_new(folder, documents, engine_name=engine.DEFAULT_ENGINE):
    """Raises ``IndexDamaged`` unless the generation just written in ``folder`` by engine
    ``engine_name`` is whole with ``documents`` documents: a broken generation is never
    published."""
    _, problems = check_generation(folder, documents, engine_name)
    if problems:
        raise IndexDamaged(f"the new index failed its check, so the live one was kept: {problems[0]}")


def damage_behind(root, error):
    """After reading the index at ``root`` failed with ``error``: ``IndexDamaged`` saying
    what is wrong when a check finds the index damaged, else ``None`` (the error is not
    the index's)."""
    if isinstance(error, IndexDamaged):
        return error
    report = check_index(root)
    return IndexDamaged("; ".join(report.problems)) if report.problems else None


def read_every_document(folder, engine_name=engine.DEFAULT_ENGINE):
    """Opens the generation in ``folder`` as the search side does (its analysis, the
    engine's index), lets the engine read every stored document and every term of every
    field (``check()``); returns ``(documents it counts, documents read, the highest row of
    the forward index a document has)``, the last ``None`` for an index built before it."""
    analysis = Analysis.load(folder)
    reader = engine.open_reader(engine_name, folder)
    try:
        read = reader.check()
        for name in analysis.fields:
            for _ in reader.terms(name):
                pass
        keys = [key for key, _ in reader.search(plan.EVERYTHING, max(1, reader.doc_count())).hits]
        rows = reader.rows(keys)
        return reader.doc_count(), read, max(rows, default=-1) if rows is not None else None
    finally:
        reader.close()
