"""Refuses prompts that carry credentials: a secret in a prompt would be stored, logged and sent on.

Hand-written: detect-secrets' line detectors would do, but the domain imports no
third-party library, and it misses AI providers' keys anyway. The patterns are
specific (known prefixes and shapes) so that ordinary prompts never match; the
error never repeats the secret.
"""

from __future__ import annotations

import re

from domain.errors import InvalidInput

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key block", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")),
    ("an AWS access key", re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("an OpenAI or Anthropic API key", re.compile(r"\bsk-(proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe key", re.compile(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{16,}")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("an Atelier API token", re.compile(r"\batl_[A-Za-z0-9_-]{43}\b")),
    ("a Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    (
        "a password or secret assignment",
        re.compile(r"\b(password|passwd|secret|api[_-]?key|access[_-]?token)\s*[:=]\s*\S{8,}", re.IGNORECASE),
    ),
)


def find_secret(text: str) -> str | None:
    """What kind of credential the text holds, or None."""
    for kind, pattern in _PATTERNS:
        if pattern.search(text):
            return kind
    return None


def refuse_secrets(text: str, *, field: str) -> None:
    """Raise InvalidInput (without echoing the secret) when the text holds a credential."""
    kind = find_secret(text)
    if kind is not None:
        raise InvalidInput(
            f"the text holds {kind}; remove credentials from prompts (nothing was stored)", field=field
        )
