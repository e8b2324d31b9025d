-- Every full PERSON name in the warehouse with its surname and its mentions: the NLP weighs them with
-- the load's own names in transforms/entities.py (surname_owners: the one full name ending with a
-- surname, or the one named far more often than its namesakes), so a lone surname the NER left
-- untagged ("Duarte, speaking to journalists") is found, and "Blair" is Tony Blair, whichever articles
-- share the load. The surname redirect applies the same rule (marts/person_surnames.sql).
SELECT name_key[length(name_key) - strpos(reverse(name_key), ' ') + 2:] AS surname, name_key,
       greatest(coalesce(mention_count, 0), 1) AS mentions
FROM entities
WHERE entity_type = 'PERSON' AND redirect_to IS NULL AND contains(name_key, ' ')
