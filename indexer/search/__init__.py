"""Searching an open index: the query language (``query_language``) compiled to the
engine's neutral plan, the search itself (``searching``), snippets, did-you-mean
(``spelling``), autocomplete (``completion``), filters and facets, story grouping
(``stories``), related articles, and the limits that keep a query in bounds."""
