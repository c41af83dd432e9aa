"""Finding assets over SQL: filter conditions, the full-text index (FTS5 / tsvector), sorts and facets."""
