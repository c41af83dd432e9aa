"""The GraphQL face of Atelier: schema, types, loaders, the Starlette app and the CLI."""
