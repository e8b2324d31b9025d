"""The run's own memory, per load, for the run report: resident now and the high-water mark.

Read from /proc/self/status (Linux); elsewhere the high-water mark comes from getrusage and the
resident size is unknown (None). Cheap enough to call a few times per load.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import resource
import sys


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def rss_mb() -> float | None:
    """Resident memory now, in MB."""
    return _status_mb("VmRSS")


def peak_mb() -> float:
    """The process's resident high-water mark so far, in MB."""
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def release_free_heap() -> None:
    """Give the C heap's free pages back to the OS (glibc only; elsewhere nothing happens).

    spaCy, polars and DuckDB each allocate through their own allocator. Pages one of them has freed
    but kept are pages another cannot use, so between loads the flow hands them back.
    """
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, looked up once (the flow trims after every load)."""
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None
