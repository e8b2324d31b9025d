"""The language of a body: ISO 639-1 from py3langid, or "en" at once for plainly English prose."""

from __future__ import annotations

from functools import cache

from transforms.articles.lines import LETTERS, word_count
from transforms.lexicon import lexicon

# Fewer words than this and the language is not worth guessing.
MIN_LANGUAGE_WORDS = 5
MIN_LANGUAGE_PROB = 0.5
LANGUAGE_SAMPLE_CHARS = 400  # the opening of an article tells its language; the whole text only costs time
# An opening this full of English function words, and (nearly) free of other languages' function
# words and of non-ASCII words, is English: py3langid is not asked (it says "en", p > 0.9, on every
# such opening of the BBC corpus, where 95% qualify; other languages' openings score 0-6%).
OBVIOUS_ENGLISH_MIN_WORDS = 20
OBVIOUS_ENGLISH_MIN_SHARE = 0.15
OBVIOUS_ENGLISH_MAX_FOREIGN = 1  # function words of other languages (one "de" in a name is fine)
OBVIOUS_ENGLISH_MAX_NON_ASCII = 0.05  # share of words with a non-ASCII letter
# A line of prose: this many words of letters, and they are most of its words. Results tables and
# lists of names ("1. Ada Obi ( Nigeria ) 50.31") are not, and tell no language.
PROSE_MIN_WORDS = 6
PROSE_MIN_LETTER_SHARE = 0.5


@cache
def _identifier():  # noqa: ANN202 - py3langid has no type for it
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _obviously_english(sample: str) -> bool:
    """Whether a text's opening is plainly English prose (see OBVIOUS_ENGLISH_MIN_SHARE).

    The function words are data/function_words.yaml's; the foreign ones count as written
    (lowercase), so names ("De Niro", "La Liga", "Los Angeles") do not.
    """
    words = LETTERS.findall(sample)
    n = len(words)
    if n < OBVIOUS_ENGLISH_MIN_WORDS:
        return False
    function_words = lexicon().function_words
    english_words, foreign_words = function_words.english, function_words.foreign
    english = sum(w.lower() in english_words for w in words)
    if english < OBVIOUS_ENGLISH_MIN_SHARE * n:
        return False
    foreign = sum(w in foreign_words for w in words)
    non_ascii = sum(not w.isascii() for w in words)
    return foreign <= OBVIOUS_ENGLISH_MAX_FOREIGN and non_ascii <= OBVIOUS_ENGLISH_MAX_NON_ASCII * n


def _prose_sample(text: str) -> str:
    """The opening of the text's prose lines: an article that opens with a table of results is told by
    its sentences, not by its names and figures."""
    prose = []
    for line in text.splitlines():
        letters = len(LETTERS.findall(line))
        if letters >= PROSE_MIN_WORDS and letters >= PROSE_MIN_LETTER_SHARE * word_count(line):
            prose.append(line.strip())
            if sum(map(len, prose)) >= LANGUAGE_SAMPLE_CHARS:
                break
    return " ".join(prose)[:LANGUAGE_SAMPLE_CHARS]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short, has no prose or the guess is too unsure."""
    if word_count(text) < MIN_LANGUAGE_WORDS:
        return None
    sample = _prose_sample(text)
    if not sample:
        return None
    if _obviously_english(sample):
        return "en"
    lang, prob = _identifier().classify(sample)
    return lang if prob >= MIN_LANGUAGE_PROB else None
