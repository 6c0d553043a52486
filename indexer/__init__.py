"""Arabic full-text search: analysis, index building and searching.

The web UI and the command line both call these functions.
"""

from indexer.indexing.building import BuildReport, EmptyBuild, build_index
from indexer.indexing.store import IndexDamaged, IndexLocked, IndexMissing
from indexer.search.searching import QueryError, SearchIndex, SearchResult
from indexer.sources import SourceError

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
