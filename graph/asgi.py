"""`graph.asgi:app` for uvicorn with several workers (settings from the environment)."""

from graph.app import create_app

app = create_app()
