"""Arabic full-text search: analysis, index building and searching.

The web UI and the command line both call these functions.
"""

from indexer.building import BuildReport, EmptyBuild, build_index
from indexer.searching import QueryError, SearchIndex, SearchResult
from indexer.sources import SourceError
from indexer.store import IndexDamaged, IndexLocked, IndexMissing

__all__ = [
    "BuildReport",
    "EmptyBuild",
    "IndexDamaged",
    "IndexLocked",
    "IndexMissing",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "SourceError",
    "build_index",
]
