-- Surnames of exactly one full PERSON name, with that name's key (the view marts/person_surnames.sql).
-- The NLP uses them to find a lone surname the NER left untagged ("Duarte, speaking to journalists")
-- when the article itself never gives the full name; the surname redirect in
-- maintenance/resolve_entities.sql then points the mention at the full name.
SELECT surname, name_key FROM person_surnames
