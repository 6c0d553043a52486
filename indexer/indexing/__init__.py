"""Indexing: the fields and their analysis (``schema``), building a generation from
sources (``building``), updating it (``updating``), where generations live and how one
replaces another (``store``), the index-time vocabulary (``lexicon``), progress lines."""
