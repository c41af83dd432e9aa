"""How long the prompt guard takes on large texts: a 50,000-character prompt and 200 KB ComfyUI workflows.

The guard runs on every text a client sends (domain/text.py's clean_text), so its
cost on the largest texts we accept must stay in milliseconds. Run from the
repository root:

    .venv/bin/python bench/prompt_guard.py

It binds the scanner the app binds (detect-secrets' detectors) and prints the median
and the slowest of 50 runs for each text; none of the texts holds a credential, so
every detector runs to the end.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.kernel import prompt_guard
from storage.secret_scanner import DetectSecretsScanner
from tests import texts

RUNS = 50


def measure(text: str) -> tuple[float, float]:
    """Median and slowest time of find_secret on the text, in milliseconds."""
    assert prompt_guard.find_secret(text) is None, "the benchmark texts must be ordinary"
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        prompt_guard.find_secret(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    prompt_guard.use(DetectSecretsScanner())
    pretty = texts.comfy_workflow(200_000)
    compact = json.dumps(json.loads(texts.comfy_workflow(340_000)), separators=(",", ":"), ensure_ascii=False)
    cases = {
        "prompt, 50,000 characters, ASCII": texts.long_prompt(50_000, ascii_only=True),
        "prompt, 50,000 characters, mixed scripts and emoji": texts.long_prompt(50_000),
        "ComfyUI workflow, pretty-printed": pretty,
        "ComfyUI workflow, compact (as in a PNG chunk)": compact,
    }
    for name, text in cases.items():
        median, slowest = measure(text)
        size = len(text.encode())
        print(f"{name:52} {size / 1000:6.0f} KB  median {median:6.1f} ms  slowest {slowest:6.1f} ms")


if __name__ == "__main__":
    main()
