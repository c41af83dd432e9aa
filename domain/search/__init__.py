"""Finding assets: the typed filter, full-text search, sorts with keyset cursors, facets, content identity."""
