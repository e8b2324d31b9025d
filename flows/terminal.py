"""User text on the terminal: file names, details and messages shown as they are, never interpreted.

A file name is anyone's text. Printed through rich as is, `[red]` in a name changed the colours,
`[/` crashed `newsetl quarantine list` (MarkupError), and an escape byte reached the terminal raw.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a line shows
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    r"""`text` with every control character shown as an escape (\x1b, \n, \u202e), so it prints on one line."""
    def shown(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _CONTROL.sub(shown, str(text))


def safe(text: object) -> str:
    """User text to embed in a rich markup string: controls escaped, then markup escaped."""
    return escape(plain(text))


def cell(text: object) -> Text:
    """User text as a table cell: literal (no markup), controls escaped."""
    return Text(plain(text))
