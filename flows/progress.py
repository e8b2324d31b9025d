"""A hook the command line sets so the NLP task can move a progress bar it does not own."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[str, int, int | None], None]] = []


def subscribe(fn: Callable[[str, int, int | None], None]) -> None:
    _listeners.append(fn)


def clear() -> None:
    _listeners.clear()


def report(stage: str, advance: int = 0, total: int | None = None) -> None:
    for fn in _listeners:
        fn(stage, advance, total)
