-- Surnames that belong to exactly one full PERSON name in the warehouse: the one rule for whom a
-- lone surname names, read by the NLP (lookups/person_surnames.sql: a surname the NER left untagged
-- is still found) and by the surname redirect (maintenance/resolve_entities.sql). The batch applies
-- the same rule to its own names in transforms/entities.py (surname_owners).
CREATE OR REPLACE VIEW person_surnames AS
SELECT surname, any_value(entity_id) AS entity_id, any_value(name_key) AS name_key,
       any_value(load_id) AS load_id
FROM (
    SELECT entity_id, name_key, load_id,
           name_key[length(name_key) - strpos(reverse(name_key), ' ') + 2:] AS surname
    FROM entities
    WHERE entity_type = 'PERSON' AND redirect_to IS NULL AND contains(name_key, ' ')
)
GROUP BY surname
HAVING count(*) = 1;
