"""Bytes -> raw records, and every way input can fail to be an article."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from transforms.ingest import read_source, source_format


def test_formats_from_names():
    assert source_format("a/b.TXT") == ("txt", False)
    assert source_format("x.jsonl.gz") == ("jsonl", True)
    assert source_format("page.htm") == ("html", False)
    assert source_format("notes.md") == (None, False)


def test_txt_and_gzip_read_the_same():
    text = "Headline\n\nThe minister spoke on Monday.\n"
    plain, _ = read_source("a.txt", text.encode())
    zipped, _ = read_source("a.txt.gz", gzip.compress(text.encode(), mtime=0))
    assert plain[0].text == zipped[0].text == text
    assert plain[0].kind == "txt"


def test_jsonl_lines_get_id_or_line_number_and_bad_lines_are_quarantined():
    lines = [
        json.dumps({"id": "a1", "text": "First story.", "title": "One"}),
        "{not json",
        json.dumps({"text": "Second story, no id."}),
        json.dumps({"id": "a3", "title": "no text"}),
        "",
    ]
    records, rejected = read_source("feed.jsonl", "\n".join(lines).encode())
    assert [r.source_uri for r in records] == ["feed.jsonl#a1", "feed.jsonl#3"]
    assert records[0].fields["title"] == "One"
    assert {r.reason for r in rejected} == {"bad_json", "no_text"}
    assert {r.source_uri for r in rejected} == {"feed.jsonl#2", "feed.jsonl#4"}
    assert all(r.raw for r in rejected), "enough to retry: the raw line is kept"


def test_bad_input_is_rejected_with_a_reason():
    cases = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"   \n\n", "empty"),
        "random.txt": (os.urandom(4096) + b"\x00", "binary"),
        "latin1.txt": ("Caf\u00e9 society".encode("latin-1"), "undecodable"),
        "broken.txt.gz": (b"\x1f\x8b\x08\x00garbage", "bad_gzip"),
    }
    for name, (data, reason) in cases.items():
        records, rejected = read_source(name, data)
        assert records == [], name
        assert [r.reason for r in rejected] == [reason], name
        assert rejected[0].detail


def test_size_cap_applies_before_and_after_decompression():
    big = b"word " * 300_000
    _, rejected = read_source("big.txt", big, max_bytes=1_000_000)
    assert rejected[0].reason == "too_large" and "max-bytes" in rejected[0].detail
    _, rejected = read_source("bomb.txt.gz", gzip.compress(big), max_bytes=1_000_000)
    assert rejected[0].reason == "too_large"
    records, _ = read_source("ok.txt", big, max_bytes=2_000_000)
    assert len(records) == 1


def test_sources_expand_folders_recursively_and_shell_globs(tmp_path):
    import pytest

    from flows.discovery import SourceNotFound, discover, walk

    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.jsonl.gz", "a/b/three.html", "a/notes.md", "four.txt"):
        (tmp_path / name).write_text("x")
    files, problems = walk([str(tmp_path / "a")])
    assert {p.name for p in files} == {"one.txt", "two.jsonl.gz", "three.html", "notes.md"} and problems == []
    found = discover([str(tmp_path / "a")], {})
    assert {Path(f.path).name: (f.problem.reason if f.problem else None) for f in found.todo} == {
        "one.txt": None, "two.jsonl.gz": None, "three.html": None, "notes.md": "unknown_format"}
    assert found.seen == 4 and found.unchanged == 0
    assert {p.name for p in walk([str(tmp_path / "**" / "*.txt")])[0]} == {"one.txt", "four.txt"}
    with pytest.raises(SourceNotFound, match="nope"):
        walk([str(tmp_path / "nope")])


def test_every_entry_is_accounted_for(tmp_path):
    """Links that point nowhere or at themselves, a folder link back up, a pipe, an undecodable name:
    each is reported with its reason, none is skipped, and an unchanged file is counted as such."""
    import os

    from flows.discovery import discover

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text("An article.")
    (src / "sub" / "up").symlink_to(src)  # a loop through a folder link
    (src / "self.txt").symlink_to(src / "self.txt")
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "notes").write_text("no extension")
    (Path(os.fsdecode(bytes(src) + b"/caf\xe9.txt"))).write_text("latin-1 name")
    reasons = {Path(f.path).name: (f.problem.reason if f.problem else None)
               for f in discover([str(src)], {}).todo}
    assert reasons == {"good.txt": None, "up": "symlink_loop", "self.txt": "symlink_loop",
                       "dangling.txt": "dangling_link", "pipe.txt": "not_a_file", "notes": "unknown_format",
                       "caf\\xe9.txt": "undecodable_name"}
    from flows.discovery import file_digest

    again = discover([str(src)], {str(src / "good.txt"): file_digest(src / "good.txt")})
    assert again.unchanged == 1 and again.seen == 7 and len(again.todo) == 6


def test_loads_are_sized_before_reading(tmp_path):
    """A backfill is cut into loads by counting articles without parsing: 1 per file, 1 per JSONL line."""
    from flows.nightly import SourceFile, chunk_files, expected_articles

    lines = "".join(f'{{"text": "Article number {i} says something."}}\n' for i in range(7))
    (tmp_path / "a.jsonl").write_text(lines, encoding="utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(lines[: lines.index("\n") + 1] * 3)
    (tmp_path / "c.txt").write_text("One article.", encoding="utf-8")
    (tmp_path / "d.jsonl.gz").write_bytes(b"not gzip at all")
    files = [SourceFile(str(tmp_path / n), "h", 1, False) for n in ("a.jsonl", "b.jsonl.gz", "c.txt", "d.jsonl.gz")]
    for f in files:
        f.expected = expected_articles(f)
    assert [f.expected for f in files] == [7, 3, 1, 1]
    chunks = chunk_files(files, chunk_size=4)
    assert [[Path(f.path).name for f in c] for c in chunks] == [["a.jsonl"], ["b.jsonl.gz", "c.txt"], ["d.jsonl.gz"]]
    assert not any(f.records for f in files), "nothing was read to size the loads"
