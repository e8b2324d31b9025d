-- Run inside a load's transaction after resolve_entities.sql, when the load replaced rows (a changed
-- file, a reprocess): counts, first and last seen, and the surface forms of every entity the load
-- touched, recomputed from all of its mentions. A load that only appended rows runs
-- entity_stats_append.sql instead, whose cost does not grow with the warehouse.
-- $1 is the load_id, $2 its start time.
UPDATE entities SET
    mention_count = s.n, first_seen = s.first_seen, last_seen = s.last_seen, aliases = s.aliases
FROM (
    SELECT m.entity_id, count(*) AS n,
           min(coalesce(a.published_at, l.started_at, $2)) AS first_seen,
           max(coalesce(a.published_at, l.started_at, $2)) AS last_seen,
           list(DISTINCT m.mention_text ORDER BY m.mention_text) AS aliases
    FROM entity_mentions m
    JOIN articles a USING (article_id)
    LEFT JOIN loads l ON l.load_id = a.load_id
    WHERE m.entity_id IN (SELECT entity_id FROM entity_mentions WHERE load_id = $1
                          UNION SELECT to_entity_id FROM entity_redirects WHERE load_id = $1)
    GROUP BY m.entity_id
) s
WHERE entities.entity_id = s.entity_id;
