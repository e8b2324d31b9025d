-- Run inside a load's transaction after resolve_entities.sql, when the load only appended rows.
-- $1 is the load_id, $2 its start time.
-- Counts, first and last seen, and the surface forms of every entity this load touched, updated from
-- what the entity held before plus this load's mentions, plus, for a name this load redirected
-- into it, what that name held. The result equals entity_stats_full.sql's recount (a test compares
-- them) while reading only this load's rows, so a load costs the same in a big warehouse as in a
-- small one.
UPDATE entities SET
    mention_count = coalesce(entities.mention_count, 0) + s.n,
    first_seen = least(entities.first_seen, s.first_seen),
    last_seen = greatest(entities.last_seen, s.last_seen),
    aliases = list_sort(list_distinct(flatten([coalesce(entities.aliases, []), s.aliases])))
FROM (
    SELECT entity_id, sum(n) AS n, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
           list_distinct(flatten(list(aliases))) AS aliases
    FROM (
        -- this load's mentions (already re-pointed through every redirect)
        SELECT m.entity_id, count(*) AS n,
               min(coalesce(a.published_at, l.started_at, $2)) AS first_seen,
               max(coalesce(a.published_at, l.started_at, $2)) AS last_seen,
               list(DISTINCT m.mention_text) AS aliases
        FROM entity_mentions m
        JOIN articles a USING (article_id)
        LEFT JOIN loads l ON l.load_id = a.load_id
        WHERE m.load_id = $1
        GROUP BY m.entity_id
        UNION ALL
        -- a name this load redirected: its earlier mentions now count for the name it points to
        SELECT r.to_entity_id, coalesce(x.mention_count, 0), x.first_seen, x.last_seen, coalesce(x.aliases, [])
        FROM entity_redirects r
        JOIN entities x ON x.entity_id = r.from_entity_id
        WHERE r.load_id = $1
    )
    GROUP BY entity_id
) s
WHERE entities.entity_id = s.entity_id;
