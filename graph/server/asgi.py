"""`graph.asgi:app` for uvicorn with several workers (settings from the environment)."""

from graph.server.app import create_app
from graph.server.runtime import tune_gc

app = create_app()
tune_gc()
