from transforms.ids import article_id, content_hash, row_id, stable_hash


def test_content_hash_ignores_case_spacing_and_unicode_form():
    assert content_hash("Caf\u00e9  Society\n") == content_hash("cafe\u0301 society")
    assert content_hash("one text") != content_hash("another text")


def test_ids_are_deterministic_and_depend_on_every_part():
    h = content_hash("x")
    assert article_id("a.txt", h) == article_id("a.txt", h)
    assert article_id("a.txt", h) != article_id("b.txt", h)
    assert row_id("quote", "art", 1, 5) != row_id("quote", "art", 1, 6)
    assert stable_hash("ab", "c") != stable_hash("a", "bc")


def test_normalise_text_collapses_every_kind_of_whitespace_as_the_regex_does():
    import re
    import sys
    import unicodedata

    from transforms.text import normalise_text

    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c)))
    assert {"\u00a0", "\u2028", "\u3000", "\x1c", "\t"} <= set(spaces)
    text = f"{spaces}Cafe\u0301{spaces}SOCIETY ß x{spaces}"
    assert normalise_text(text) == "café society ss x"
    assert normalise_text(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()
