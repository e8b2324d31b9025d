-- Surnames that belong to exactly one full PERSON name in the warehouse, with that name's key.
-- The NLP uses them to find a lone surname the NER left untagged ("Duarte, speaking to journalists")
-- when the article itself never gives the full name; the same uniqueness rule as the surname
-- redirect in maintenance/resolve_entities.sql, which then points the mention at the full name.
SELECT surname, any_value(name_key) AS name_key
FROM (
    SELECT name_key, name_key[length(name_key) - strpos(reverse(name_key), ' ') + 2:] AS surname
    FROM entities
    WHERE entity_type = 'PERSON' AND redirect_to IS NULL AND contains(name_key, ' ')
)
GROUP BY surname
HAVING count(*) = 1
