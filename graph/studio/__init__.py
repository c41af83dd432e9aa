"""The Studio in GraphQL: sessions, generations, brand kits; their queries and mutations."""
