"""Organisations in GraphQL: the viewer, members, organisations, and `node`/`nodes`."""
