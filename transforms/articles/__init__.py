"""One decoded document -> article fields (title, date, author, publisher, clean body, language).

Plain-text news arrives with its page furniture flattened into lines: mastheads, datelines,
bylines, photo captions, "Read also" link lists, view counters and copyright lines. This package
finds the metadata those lines carry, drops them from the body, and repairs words that machine
translation or scraping glued together. One module per job:

  normalise    unicode and whitespace: the form every stored text is in
  lines        the shape of a line (words, last character, story paragraph or not)
  rules        the patterns of data/boilerplate.yaml, compiled once
  header       header fields, masthead, headline, dateline, byline, copyright holder, wire dateline
  boilerplate  captions, link lists, promo and copyright lines, repeated headlines and paragraphs
  repair       glued-word repair and the English frequencies it (and same-story terms) reads
  language     language detection
  parse        ParsedArticle and the three entry points, which run the jobs in that order

Dates are read by the one date grammar (transforms.dates), names and lines compared by
transforms.text.fold, word lists come from the lexicon (transforms.lexicon).
"""

from transforms.articles.language import detect_language
from transforms.articles.normalise import normalise, normalise_unicode, normalise_whitespace
from transforms.articles.parse import ParsedArticle, parse_html, parse_record, parse_text
from transforms.articles.repair import english_zipf, name_vocabulary, repair_glued_words
from transforms.dates import parse_date

__all__ = [
    "ParsedArticle",
    "detect_language",
    "english_zipf",
    "name_vocabulary",
    "normalise",
    "normalise_unicode",
    "normalise_whitespace",
    "parse_date",
    "parse_html",
    "parse_record",
    "parse_text",
    "repair_glued_words",
]
