"""Whether an index generation is whole: for ``python -m indexer check`` (scripted
rebuild pipelines), for ``build`` and ``update`` before they publish a generation, and
for the server and the command line when reading the index fails.

A generation is whole when its build.json can be read, the engine opens it and reads
every stored document and every term of its fields, and it holds as many documents as
build.json says were indexed: ``check_index("index").ok``, else ``.problems`` lists what
is wrong, one line each.
"""

from dataclasses import dataclass, field

from whoosh import index as whoosh_index

from indexer import store
from indexer.store import IndexDamaged, IndexMissing


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
    expected = None
    try:
        expected = store.read_build_info(generation).get("documents")
    except IndexDamaged as e:
        report.problems.append(str(e))
    report.documents, problems = check_generation(generation, expected)
    report.problems += problems
    return report


def check_generation(folder, expected_documents=None):
    """``(documents, problems)`` of the generation in ``folder``: what the engine counts
    (``None`` when it cannot open it) and what is wrong, as one line each."""
    try:
        counted, read = read_every_document(folder)
    except Exception as e:  # a damaged file fails inside the engine with any kind of error
        return None, [f"{folder} cannot be read: {type(e).__name__}: {e}".rstrip(": ")]
    problems = []
    if read != counted:
        problems.append(f"{folder}: {read} of its {counted} documents can be read")
    if expected_documents is not None and counted != expected_documents:
        problems.append(f"{folder} holds {counted} documents where {store.BUILD_INFO} says {expected_documents}")
    return counted, problems


def verify_new(folder, documents):
    """Raises ``IndexDamaged`` unless the generation just written in ``folder`` is whole
    with ``documents`` documents: a broken generation is never published."""
    _, problems = check_generation(folder, documents)
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


def read_every_document(folder):
    """The engine's own check: opens the index in ``folder``, reads every stored document
    and every term of every field; returns ``(documents it counts, documents read)``."""
    ix = whoosh_index.open_dir(folder)
    try:
        with ix.reader() as reader:
            read = sum(1 for _ in reader.all_stored_fields())
            for name in reader.indexed_field_names():
                for _ in reader.lexicon(name):
                    pass
            return reader.doc_count(), read
    finally:
        ix.close()
