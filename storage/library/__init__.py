"""The library over SQL: assets, folders, projects, tags; repositories, reads, row mapping."""
