"""The GraphQL plumbing every feature shares: node and ids, connections, scalars, user errors, error codes."""
