-- Whom a lone surname names in the warehouse: the one full PERSON name that ends with it, or the one
-- named far more often than its namesakes (at least 3 times the mentions of any other and 5 in all:
-- "Blair" is Tony Blair, not Sir Ian Blair named once). The one rule for it, read by the NLP
-- (lookups/person_surnames.sql) and by the surname redirect (maintenance/resolve_entities.sql); the
-- batch applies the same rule to its own names in transforms/entities.py (surname_owners).
CREATE OR REPLACE VIEW person_surnames AS
WITH full_names AS (
    SELECT entity_id, name_key, load_id, greatest(coalesce(mention_count, 0), 1) AS n,
           name_key[length(name_key) - strpos(reverse(name_key), ' ') + 2:] AS surname
    FROM entities
    WHERE entity_type = 'PERSON' AND redirect_to IS NULL AND contains(name_key, ' ')
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY surname ORDER BY n DESC, entity_id) AS rank,
           count(*) OVER (PARTITION BY surname) AS namesakes,
           lead(n) OVER (PARTITION BY surname ORDER BY n DESC, entity_id) AS runner_up
    FROM full_names
)
SELECT surname, entity_id, name_key, load_id
FROM ranked
WHERE rank = 1 AND (namesakes = 1 OR (n >= 5 AND n >= 3 * runner_up));
