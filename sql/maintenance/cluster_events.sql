-- Run inside every load's transaction, after resolve_entities.sql. $1 is the load_id.
-- A new event joins the cluster of an earlier event with the same type, actor and recipient
-- entities and a date within 3 days (an undated one: an event of the same story); else the
-- earliest such event of this load, else itself. Events without an actor entity stay alone.
UPDATE events SET event_cluster_id = pick.cluster_id
FROM (
    WITH keyed AS (
        SELECT e.event_id, e.load_id, e.event_cluster_id, e.event_type, e.actor_entity_id, e.recipient_entity_id,
               coalesce(e.event_date, CAST(a.published_at AS DATE)) AS day, a.story_id
        FROM events e JOIN articles a USING (article_id)
    )
    SELECT n.event_id,
           coalesce(min(o.event_cluster_id), min(m.event_id), n.event_id) AS cluster_id
    FROM keyed n
    LEFT JOIN keyed o
      ON o.load_id <> n.load_id AND o.event_cluster_id IS NOT NULL
     AND o.event_type = n.event_type AND o.actor_entity_id = n.actor_entity_id
     AND o.recipient_entity_id IS NOT DISTINCT FROM n.recipient_entity_id
     AND ((o.day IS NOT NULL AND n.day IS NOT NULL AND abs(date_diff('day', o.day, n.day)) <= 3)
          OR (o.day IS NULL AND n.day IS NULL AND o.story_id = n.story_id))
    LEFT JOIN keyed m
      ON m.load_id = n.load_id
     AND m.event_type = n.event_type AND m.actor_entity_id = n.actor_entity_id
     AND m.recipient_entity_id IS NOT DISTINCT FROM n.recipient_entity_id
     AND ((m.day IS NOT NULL AND n.day IS NOT NULL AND abs(date_diff('day', m.day, n.day)) <= 3)
          OR (m.day IS NULL AND n.day IS NULL AND m.story_id = n.story_id))
    WHERE n.load_id = $1
    GROUP BY n.event_id
) pick
WHERE events.event_id = pick.event_id;
