"""What a process keeps between requests: a bounded memo, oldest entry out first. Used for
what a stored review decides (it never changes once stored), keyed by the review's key."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key``, made (and kept) when missing."""
        if key in self.items:
            return self.items[key]
        return self.put(key, make())

    def put(self, key: Hashable, value: V) -> V:
        while len(self.items) >= self.size and key not in self.items:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value
        return value

    def __getitem__(self, key: Hashable) -> V:
        return self.items[key]
