"""GraphQL object types, one module per feature."""
