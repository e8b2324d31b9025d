"""Find every entry under the sources, and say for each one what it is.

Every entry is accounted for: a file the pipeline reads, a file unchanged since the warehouse read
it, or an entry that goes to quarantine with its reason (a format we do not read, a link that
points nowhere or at itself, something unreadable, a name that is not UTF-8, a pipe or a device).
Nothing under a source is skipped silently but the warehouse's own files.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from transforms.ingest import RawRecord, Rejected, is_unicode, source_format

UNKNOWN_FORMAT_HINT = ("only .txt, .jsonl and .html files (and their .gz) are read; rename it if it is one of "
                       "those, or move it out of the landing folder")


@dataclass
class SourceFile:
    """An entry to load: a file new or changed since the warehouse last read it, or a problem found on the way."""

    path: str  # the source_uri of its rows (absolute, links resolved; a name that is not UTF-8 shown escaped)
    raw_hash: str | None  # hash of its bytes; None when they cannot be read (never recorded in `sources`)
    size: int
    changed: bool  # the warehouse holds an older version: its rows are replaced
    expected: int = 1  # articles it should hold (counted before reading, to size loads and progress)
    problem: Rejected | None = None  # found by discovery: the entry is not read, it goes to quarantine
    records: list[RawRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class Discovered:
    """What discovery found: the entries to load (problems included) and how many were seen and unchanged."""

    todo: list[SourceFile]
    seen: int
    unchanged: int


class SourceNotFound(FileNotFoundError):
    """A SOURCE given on the command line does not exist (a usage error)."""


def display_path(path: str) -> str:
    """A path as text a UTF-8 column can hold: bytes that are not UTF-8 shown as \\xNN escapes."""
    if is_unicode(path):
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def source_roots(sources: list[str]) -> list[Path]:
    """Each SOURCE (a file, a folder, or a quoted shell glob) as absolute paths; SourceNotFound if one is missing."""
    roots: list[Path] = []
    for src in sources:
        matches = glob.glob(src, recursive=True) if glob.has_magic(src) else [src]
        if not matches or not all(os.path.lexists(m) for m in matches):
            raise SourceNotFound(f"source not found: {display_path(src)} (give a file, a folder or a quoted glob)")
        roots.extend(Path(os.path.abspath(m)) for m in matches)
    return roots


def walk(sources: list[str], skip: set[str] = frozenset()) -> tuple[list[Path], list[Rejected]]:
    """Regular files under the sources (sorted, links resolved, each once) and the entries that are not.

    Links to folders are followed, except back into a folder that holds them (a loop). `skip`
    holds real paths never reported (the warehouse, its lock and state folders).
    """
    files: dict[str, Path] = {}
    problems: dict[str, Rejected] = {}

    def problem(path: Path, reason: str, detail: str) -> None:
        uri = display_path(str(path))
        problems.setdefault(uri, Rejected(uri, reason, detail, None))

    def visit(path: Path, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            target = os.readlink(path) if os.path.islink(path) else "?"
            problem(path, "dangling_link", f"a link to {display_path(target)}, which does not exist; "
                    "fix or remove the link")
            return
        except OSError as e:
            if e.errno == errno.ELOOP:
                problem(path, "symlink_loop", "a link that resolves to itself; fix or remove the link")
            else:
                problem(path, "unreadable", f"cannot look at it: {e.strerror}; check its permissions")
            return
        real = os.path.realpath(path)
        if real in skip:
            return
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                problem(path, "symlink_loop", f"a link back to {display_path(real)}, a folder that holds it; "
                        "remove the link")
                return
            try:
                with os.scandir(path) as it:
                    names = sorted(entry.name for entry in it)
            except OSError as e:
                problem(path, "unreadable", f"cannot list this folder: {e.strerror}; check its permissions")
                return
            for name in names:
                visit(path / name, ancestors | {key})
        elif stat.S_ISREG(st.st_mode):
            files.setdefault(real, Path(real))
        else:
            problem(path, "not_a_file", "not a regular file (a pipe, socket or device); move it out of the "
                    "landing folder")

    for root in source_roots(sources):
        visit(root, frozenset())
    return [files[k] for k in sorted(files)], [problems[k] for k in sorted(problems)]


def file_digest(path: Path) -> str:
    """Hash of a file's bytes, streamed (a huge file is hashed, not held in memory)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def discover(sources: list[str], known: dict[str, str], skip: set[str] = frozenset()) -> Discovered:
    """New or changed files (by the hash of their bytes) and every problem entry; unchanged files are skipped."""
    files, problems = walk(sources, skip)
    todo = [SourceFile(p.source_uri, None, 0, changed=False, expected=0, problem=p) for p in problems]
    unchanged = 0
    for path in files:
        uri = display_path(str(path))
        try:
            digest = file_digest(path)
            size = path.stat().st_size
        except OSError as e:
            todo.append(SourceFile(uri, None, 0, changed=False, expected=0, problem=Rejected(
                uri, "unreadable", f"cannot read it: {e.strerror}; check its permissions", None)))
            continue
        if known.get(uri) == digest:
            unchanged += 1
            continue
        found = None
        if uri != str(path):
            found = Rejected(uri, "undecodable_name", "the file name is not UTF-8 (shown with \\x escapes); "
                             "rename it, e.g. with `convmv -f latin1 -t utf8`", None)
        elif source_format(path.name)[0] is None:
            found = Rejected(uri, "unknown_format", UNKNOWN_FORMAT_HINT, None)
        todo.append(SourceFile(uri, digest, size, changed=uri in known, expected=0 if found else 1, problem=found))
    todo.sort(key=lambda f: f.path)
    return Discovered(todo, len(files) + len(problems), unchanged)
