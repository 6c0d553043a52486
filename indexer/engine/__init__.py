"""The engine boundary: the only package that imports a search engine.

Above it everything is engine-neutral: queries are ``plan`` nodes, documents are dicts of
stored fields, hits are ``(key, score)``. ``base`` describes what an engine offers;
``whoosh_engine`` (the default, pure Python) and ``tantivy_engine`` (compiled, for large
collections) implement it. A generation's ``build.json`` records which engine built it,
and everything that opens the generation follows it. Another engine (OpenSearch, say)
is one more module with the same functions, registered in ``ENGINES``.
"""

from importlib import import_module

ENGINES = {"whoosh": "indexer.engine.whoosh_engine", "tantivy": "indexer.engine.tantivy_engine"}
DEFAULT_ENGINE = "whoosh"


def engine(name):
    """The module of engine ``name``; ``ValueError`` for an unknown one."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} (one of {', '.join(ENGINES)})")
    return import_module(ENGINES[name])


def create(name, folder, analysis, procs=1, limitmb=256):
    """A writer on a new index in ``folder``."""
    return engine(name).create(folder, analysis, procs=procs, limitmb=limitmb)


def open_writer(name, folder, procs=1, limitmb=256):
    """A writer on the existing index in ``folder``."""
    return engine(name).open_writer(folder, procs=procs, limitmb=limitmb)


def open_reader(name, folder):
    return engine(name).open_reader(folder)
