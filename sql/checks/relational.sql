-- Relational expectations, run inside the open load transaction on the load's new rows.
-- Each statement is one expectation: its name, the table, and how many rows break it.
-- $1 is the load_id. A row referencing an article or entity of an earlier load is fine.
-- Offsets are checked against load_bodies (article_id, body): the bodies of the articles this load
-- ran the NLP on, registered from the load's own frame. Joining every stored body instead read the
-- whole column at each load, which at 20,000 articles added ~90 MB to the load's peak memory.
-- A row of an article the load did not process is a violation too.
-- Keys of entity_mentions, quotes and events are checked here, not by a PRIMARY KEY (migration
-- 006): a key of the load's rows held by more than one row breaks it.
SELECT 'mention_keys_unique' AS expectation, 'entity_mentions' AS table_name, count(*) AS violations
FROM (SELECT article_id, start_char FROM entity_mentions
      WHERE article_id IN (SELECT article_id FROM entity_mentions WHERE load_id = $1)
      GROUP BY article_id, start_char HAVING count(*) > 1)
UNION ALL
SELECT 'quote_ids_unique', 'quotes', count(*)
FROM (SELECT quote_id FROM quotes WHERE quote_id IN (SELECT quote_id FROM quotes WHERE load_id = $1)
      GROUP BY quote_id HAVING count(*) > 1)
UNION ALL
SELECT 'event_ids_unique', 'events', count(*)
FROM (SELECT event_id FROM events WHERE event_id IN (SELECT event_id FROM events WHERE load_id = $1)
      GROUP BY event_id HAVING count(*) > 1)
UNION ALL
SELECT 'mentions_reference_articles', 'entity_mentions', count(*)
FROM entity_mentions m WHERE m.load_id = $1 AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = m.article_id)
UNION ALL
SELECT 'mentions_reference_entities', 'entity_mentions', count(*)
FROM entity_mentions m WHERE m.load_id = $1 AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = m.entity_id)
UNION ALL
SELECT 'mention_offsets_inside_body', 'entity_mentions', count(*)
FROM entity_mentions m LEFT JOIN load_bodies a USING (article_id)
WHERE m.load_id = $1 AND (a.body IS NULL OR NOT (m.start_char >= 0 AND m.end_char > m.start_char AND m.end_char <= length(a.body)
      AND substr(a.body, m.start_char + 1, m.end_char - m.start_char) = m.mention_text))
UNION ALL
SELECT 'quotes_reference_articles', 'quotes', count(*)
FROM quotes q WHERE q.load_id = $1 AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = q.article_id)
UNION ALL
SELECT 'quote_speakers_reference_entities', 'quotes', count(*)
FROM quotes q WHERE q.load_id = $1 AND q.speaker_entity_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = q.speaker_entity_id)
UNION ALL
SELECT 'quote_offsets_inside_body', 'quotes', count(*)
FROM quotes q LEFT JOIN load_bodies a USING (article_id)
WHERE q.load_id = $1 AND (a.body IS NULL OR NOT (q.start_char >= 0 AND q.end_char > q.start_char AND q.end_char <= length(a.body)))
UNION ALL
SELECT 'events_reference_articles', 'events', count(*)
FROM events v WHERE v.load_id = $1 AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = v.article_id)
UNION ALL
SELECT 'event_entities_exist', 'events', count(*)
FROM events v WHERE v.load_id = $1 AND (
     (v.actor_entity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = v.actor_entity_id))
  OR (v.recipient_entity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = v.recipient_entity_id))
  OR (v.location_entity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = v.location_entity_id)))
UNION ALL
SELECT 'event_offsets_inside_body', 'events', count(*)
FROM events v LEFT JOIN load_bodies a USING (article_id)
WHERE v.load_id = $1 AND (a.body IS NULL OR NOT (v.start_char >= 0 AND v.end_char > v.start_char AND v.end_char <= length(a.body)))
UNION ALL
SELECT 'duplicates_point_at_articles', 'articles', count(*)
FROM articles d WHERE d.load_id = $1 AND d.duplicate_of IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = d.duplicate_of)
UNION ALL
SELECT 'duplicates_have_no_nlp_rows', 'articles', count(*)
FROM articles d WHERE d.load_id = $1 AND d.duplicate_of IS NOT NULL
  AND (EXISTS (SELECT 1 FROM entity_mentions m WHERE m.article_id = d.article_id)
    OR EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = d.article_id)
    OR EXISTS (SELECT 1 FROM events v WHERE v.article_id = d.article_id))
