-- Run inside every load's transaction, after its rows are inserted. $1 is the load_id, $2 its start time.
-- 1. A person known only by a surname ("Maduro", whatever label the NER gave it) becomes the one full name in the warehouse that
--    ends with it ("Nicolás Maduro"): a redirect is recorded, the old row keeps its id with
--    redirect_to set, and every mention, quote and event is re-pointed in this same transaction.
--    Only pairs where one side is new in this load are looked at; surnames are joined on equality.
--    Whose surname it is: the view person_surnames (marts/person_surnames.sql).
INSERT INTO entity_redirects
WITH unique_full AS (
    SELECT surname, entity_id, load_id = $1 AS is_new FROM person_surnames
)
SELECT s.entity_id, f.entity_id, 'surname of the only full name', $1, now()::TIMESTAMP
FROM entities s
JOIN unique_full f ON f.surname = s.name_key
WHERE s.redirect_to IS NULL AND NOT contains(s.name_key, ' ') AND length(s.name_key) > 2
  -- one label per name: a lone "Okonkwo" the NER called an organisation is the person too; a people's or a
  -- faith's word ("Islam", "Jewish") is never a surname
  AND (s.entity_type = 'PERSON' OR (s.entity_type IN ('ORG', 'GPE') AND s.country_code IS NULL))
  AND (s.load_id = $1 OR f.is_new)
  AND s.entity_id NOT IN (SELECT from_entity_id FROM entity_redirects);

UPDATE entities SET redirect_to = r.to_entity_id
FROM entity_redirects r WHERE entities.entity_id = r.from_entity_id AND entities.redirect_to IS NULL;

UPDATE entity_mentions SET entity_id = r.to_entity_id
FROM entity_redirects r WHERE entity_mentions.entity_id = r.from_entity_id;
UPDATE quotes SET speaker_entity_id = r.to_entity_id
FROM entity_redirects r WHERE quotes.speaker_entity_id = r.from_entity_id;
UPDATE events SET actor_entity_id = r.to_entity_id
FROM entity_redirects r WHERE events.actor_entity_id = r.from_entity_id;
UPDATE events SET recipient_entity_id = r.to_entity_id
FROM entity_redirects r WHERE events.recipient_entity_id = r.from_entity_id;
