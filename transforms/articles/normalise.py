"""Unicode and whitespace normalisation: the form every stored text (body, title, author) is in."""

from __future__ import annotations

import re
import unicodedata
from html import unescape

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u2060\ufeff\u00ad"), None)
_BLANKS = re.compile(r"\n{3,}")
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")


def normalise_unicode(text: str) -> str:
    """NFC, unified line ends, HTML entities left by scrapers decoded, invisible characters dropped.

    Curly quotes and dashes are kept.
    """
    text = _ENTITY.sub(lambda m: unescape(m.group(0)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def normalise_whitespace(text: str) -> str:
    """Collapse runs of spaces in each line, strip lines, keep at most one blank line between paragraphs."""
    # split() takes any run of whitespace (NBSP, thin space, tabs) and the ends of the line
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """Both of the above: the form every stored text is in."""
    return normalise_whitespace(normalise_unicode(text))
