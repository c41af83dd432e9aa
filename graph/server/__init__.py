"""The server: the composition root, settings, the HTTP routes, the CLI and the ASGI entry."""
