"""The library in GraphQL: assets, folders, projects, tags; their queries and mutations."""
