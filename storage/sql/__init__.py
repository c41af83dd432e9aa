"""SQL plumbing every feature shares: the engine, migrations, tables, paging, repository and reader bases."""
