"""Answers in this process's memory."""

from __future__ import annotations

from collections import OrderedDict


class MemoryAnswers:
    """Answers in this process's memory: least recently used out first, bounded in count and bytes."""

    def __init__(self, *, capacity: int = 2_000, max_bytes: int = 64_000_000) -> None:
        self._answers: OrderedDict[str, bytes] = OrderedDict()
        self._capacity, self._max_bytes, self._bytes = capacity, max_bytes, 0

    async def get(self, key: str) -> bytes | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    async def put(self, key: str, answer: bytes) -> None:
        if len(answer) > self._max_bytes // 4:
            return  # one answer may not push out most of the others
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old)
        self._answers[key] = answer
        self._bytes += len(answer)
        while len(self._answers) > self._capacity or self._bytes > self._max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._answers)
