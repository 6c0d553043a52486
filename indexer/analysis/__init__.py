"""Arabic analysis: the chain of steps that turns text into index terms.

The same chain runs at index time and at query time, so a query and a document always
meet in the same form. ``python -m indexer analyze TEXT`` shows every step.
"""

from indexer.analysis.analyzers import (
    DEFAULT_PROFILE,
    PROFILES,
    exact_analyzer,
    needs_vocabulary,
    profile_analyzers,
    stemming_analyzer,
    steps,
)

__all__ = ["DEFAULT_PROFILE", "PROFILES", "exact_analyzer", "needs_vocabulary", "profile_analyzers", "stemming_analyzer", "steps"]
