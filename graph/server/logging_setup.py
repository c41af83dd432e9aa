"""Logging for serving processes: uvicorn's own setup, with query strings kept out of the access log.

A GET query carries the whole GraphQL document and its variables in the query
string (prompts included), and `/uploads?filename=` a client's text: the access log
keeps the path only. A path is the client's text too (`GET /ghp_...`): one the
credential guard flags is logged as `/<redacted>`. Our own loggers (`atelier.*`) write one line per expected
failure to stderr beside uvicorn's.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from domain.kernel.prompt_guard import find_secret

_PATH_ARG = 2  # uvicorn's access record: (client, method, path with query, http version, status)
_SERVED = frozenset({"/graphql", "/uploads", "/healthz", "/readyz"})
"""The app's own paths: nothing a client wrote, so not worth a scan on every request."""


def _logged_path(path: str) -> str:
    return path if path in _SERVED or not find_secret(path) else "/<redacted>"


class RedactQueryString(logging.Filter):
    """Replaces the query string of an access-log record by `?…`, and a path holding a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > _PATH_ARG:
            target = args[_PATH_ARG]
            if isinstance(target, str):
                path, query_mark, _ = target.partition("?")
                redacted = _logged_path(path) + ("?…" if query_mark else "")
                record.args = (*args[:_PATH_ARG], redacted, *args[_PATH_ARG + 1 :])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's LOGGING_CONFIG plus the redaction filter and our loggers."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_query": {"()": RedactQueryString}}
    config["handlers"]["access"]["filters"] = ["redact_query"]
    config["loggers"]["atelier"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
