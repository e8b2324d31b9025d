-- Run inside every load's transaction, after resolve_entities.sql. $1 is the load_id.
-- A new event joins the cluster of an earlier event with the same type, actor and recipient
-- entities and a date within 3 days (an undated one: an event of the same story); else the
-- earliest such event of this load, else itself. Events without an actor entity stay alone.
CREATE OR REPLACE TEMP MACRO same_event(t1, a1, r1, d1, s1, t2, a2, r2, d2, s2) AS
    t1 = t2 AND a1 = a2 AND r1 IS NOT DISTINCT FROM r2
    AND ((d1 IS NOT NULL AND d2 IS NOT NULL AND abs(date_diff('day', d1, d2)) <= 3)
         OR (d1 IS NULL AND d2 IS NULL AND s1 = s2));

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
     AND same_event(o.event_type, o.actor_entity_id, o.recipient_entity_id, o.day, o.story_id,
                    n.event_type, n.actor_entity_id, n.recipient_entity_id, n.day, n.story_id)
    LEFT JOIN keyed m
      ON m.load_id = n.load_id
     AND same_event(m.event_type, m.actor_entity_id, m.recipient_entity_id, m.day, m.story_id,
                    n.event_type, n.actor_entity_id, n.recipient_entity_id, n.day, n.story_id)
    WHERE n.load_id = $1
    GROUP BY n.event_id
) pick
WHERE events.event_id = pick.event_id;
