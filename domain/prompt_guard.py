"""Refuses prompts that carry credentials: a secret in a prompt would be stored, logged and sent on.

Hand-written: detect-secrets' line detectors would do, but the domain imports no
third-party library, and it misses AI providers' keys anyway. The patterns are
specific (known prefixes and shapes) so that ordinary prompts never match; the
error never repeats the secret.
"""

from __future__ import annotations

import re

from domain.errors import InvalidInput

_START = r"(?<![A-Za-z0-9])"  # not \b: a token glued on with "_" (GITHUB_TOKEN_ghp_...) must still match
_END = r"(?![A-Za-z0-9])"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key block", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")),
    ("an AWS access key", re.compile(_START + r"(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[0-9A-Z]{16}" + _END)),
    ("a GitHub token", re.compile(_START + r"(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})")),
    # real keys run to 40+ characters; shorter "sk-..." strings are LoRA names and the like
    (
        "an OpenAI or Anthropic API key",
        re.compile(_START + r"sk-(proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}"),
    ),
    ("a Google API key", re.compile(_START + r"AIza[0-9A-Za-z_-]{35}" + r"(?![A-Za-z0-9_-])")),
    ("a Slack token", re.compile(_START + r"xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe key", re.compile(_START + r"(sk|rk|pk)_(live|test)_[A-Za-z0-9]{16,}")),
    (
        "a JSON web token",
        re.compile(_START + r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ),
    ("an Atelier API token", re.compile(_START + r"atl_[A-Za-z0-9_-]{43}" + _END)),
    ("a Hugging Face token", re.compile(_START + r"hf_[A-Za-z0-9]{30,}" + _END)),
    (
        "a password or secret assignment",
        # a password is any 6+ characters after "password:"; other names need a value that looks
        # like a credential (letters and digits), so that "top secret: classified documents" and
        # a book titled "The Secret: Unlocking Happiness" pass
        re.compile(
            r"\b(password|passwd|pwd)\s*[:=]\s*[\"']?(?=[^\s\"']*[A-Za-z0-9])[^\s\"']{6,}"
            r"|\b(secret|api[_-]?key|access[_-]?token|auth[_-]?token)\s*[:=]\s*[\"']?"
            r"(?=[^\s\"']*\d)(?=[^\s\"']*[A-Za-z])[^\s\"']{8,}",
            re.IGNORECASE,
        ),
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
