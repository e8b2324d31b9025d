"""Bytes of one source file -> raw article records, or quarantine entries saying why not.

Pure: the flow reads the bytes; this decides what they are. Formats follow CONTRACT.md:
`.txt` (one article), `.jsonl` (one article per line), `.html`/`.htm` (one saved page), and the
`.gz` of each.
"""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, field

FORMATS = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html"}
DEFAULT_MAX_BYTES = 5_000_000  # one article above this is not an article; configurable by the caller


@dataclass(frozen=True)
class RawRecord:
    """One article as read: its identity, its format and its decoded text (or JSONL fields)."""

    source_uri: str
    kind: str  # txt | jsonl | html
    text: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rejected:
    """Input that is not a readable article, with enough to retry it."""

    source_uri: str
    reason: str  # short machine-readable reason
    detail: str  # what a human needs to fix it
    raw: bytes | None = None


def record_bytes(rec: RawRecord) -> bytes:
    """The input of one record, as quarantine keeps it for a retry (a JSONL record as its JSON line)."""
    if rec.kind == "jsonl":
        return json.dumps({"text": rec.text, **rec.fields}, ensure_ascii=False).encode("utf-8", "replace")
    return rec.text.encode("utf-8", "replace")


def source_format(name: str) -> tuple[str | None, bool]:
    """(format, gzipped) from a file name; format is None for names we do not read."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for suffix, kind in FORMATS.items():
        if lower.endswith(suffix):
            return kind, gz
    return None, gz


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress with a ceiling so a gzip bomb cannot exhaust memory."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, max_bytes + 1)
    if len(out) > max_bytes:
        raise OverflowError
    if not d.eof:
        raise EOFError("truncated gzip stream")
    return out


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not text, whatever the extension says."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(head) // 100)


def decode(source_uri: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str | None, Rejected | None]:
    """Bytes -> text, or the reason they are not a readable article."""
    keep = data[:max_bytes]
    if not data.strip():
        return None, Rejected(source_uri, "empty", "the file holds no text", data)
    if len(data) > max_bytes:
        return None, Rejected(
            source_uri, "too_large",
            f"{len(data):,} bytes is over the cap of {max_bytes:,}; raise --max-bytes to load it", None)
    if _looks_binary(data):
        return None, Rejected(source_uri, "binary", "the bytes are not text (NUL or control bytes)", keep)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return None, Rejected(
            source_uri, "undecodable",
            f"not valid UTF-8 at byte {e.start}; re-save the file as UTF-8", keep)
    return text, None


def read_source(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[RawRecord], list[Rejected]]:
    """All article records in one file's bytes, and what could not be read."""
    kind, gz = source_format(path)
    if kind is None:
        return [], [Rejected(path, "unknown_format", "expected .txt, .jsonl or .html, optionally .gz", None)]
    if gz:
        try:
            data = _gunzip(data, max_bytes * (50 if kind == "jsonl" else 1))
        except OverflowError:
            return [], [Rejected(path, "too_large", f"decompresses to more than the cap of {max_bytes:,} bytes", None)]
        except (OSError, EOFError, zlib.error) as e:
            return [], [Rejected(path, "bad_gzip", f"cannot decompress: {e}", data[:max_bytes])]
    if kind == "jsonl":
        return _read_jsonl(path, data, max_bytes)
    text, rejected = decode(path, data, max_bytes)
    if rejected:
        return [], [rejected]
    assert text is not None
    if not text.strip():
        return [], [Rejected(path, "empty", "the file holds only whitespace", data)]
    return [RawRecord(path, kind, text)], []


def _read_jsonl(path: str, data: bytes, max_bytes: int) -> tuple[list[RawRecord], list[Rejected]]:
    records: list[RawRecord] = []
    rejected: list[Rejected] = []
    seen_ids: set[str] = set()
    for lineno, line in enumerate(io.BytesIO(data), start=1):
        if not line.strip():
            continue
        uri = f"{path}#{lineno}"
        text, bad = decode(uri, line, max_bytes)
        if bad:
            rejected.append(bad)
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            rejected.append(Rejected(uri, "bad_json", f"line {lineno}: {e.msg} at column {e.colno}", line))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            rejected.append(Rejected(uri, "no_text", f"line {lineno}: needs a non-empty string field 'text'", line))
            continue
        problem = field_problem(obj)
        if problem:
            rejected.append(Rejected(uri, *problem, line))
            continue
        rid = obj.get("id")
        if rid is not None and str(rid) not in seen_ids:
            seen_ids.add(str(rid))
            uri = f"{path}#{rid}"
        records.append(RawRecord(uri, "jsonl", obj["text"], {k: v for k, v in obj.items() if k != "text"}))
    if not records and not rejected:
        rejected.append(Rejected(path, "empty", "the file holds no JSON lines", data))
    return records, rejected


STRING_FIELDS = ("title", "published", "url", "publisher", "author")


def field_problem(obj: dict) -> tuple[str, str] | None:
    """(reason, detail) when a JSONL record's fields cannot be stored as the contract says, else None.

    Optional fields are strings (or null); `id` a string or a number. A JSON escape such as
    \\ud800 decodes to a lone surrogate, which is not text: no UTF-8 column can hold it.
    """
    rid = obj.get("id")
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, str | int | float)):
        return "bad_field", f"'id' must be a string or a number, not {_json_type(rid)}; fix the record"
    for key in STRING_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return "bad_field", f"'{key}' must be a string, not {_json_type(value)}; fix the record"
    for key in ("text", "id", *STRING_FIELDS):
        value = obj.get(key)
        if isinstance(value, str) and not is_unicode(value):
            return "undecodable", (f"'{key}' holds a lone surrogate (a \\ud800-\\udfff escape), which is not "
                                   "Unicode text; fix the record's escapes")
    return None


def is_unicode(text: str) -> bool:
    """False when `text` holds lone surrogates (from a JSON escape or an undecodable file name)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_type(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)
