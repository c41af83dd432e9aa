"""SQL plumbing every feature shares: the engine, the unit of work, migrations, tables, paging."""
