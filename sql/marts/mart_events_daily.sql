-- PLOVER events per event day, type and (actor country, recipient country). Country codes are
-- ISO 3166 alpha-3 and null when the actor or recipient is not tied to a country; null keys group
-- together. Only events with an event_date. All modalities are counted (asserted, negated,
-- future, ...); filter events directly when that matters.
--   events          report rows (one article reporting the event once)
--   event_clusters  distinct reported events: a syndicated or retold event counts once per group
--   articles        distinct articles reporting them
--   score_sum / score_mean  PLOVER conflict-cooperation score (positive = cooperation)
--   cooperation / conflict  events with score > 0 / score < 0
CREATE OR REPLACE VIEW mart_events_daily AS
SELECT
    e.event_date AS day,
    e.event_type,
    e.actor_country_code,
    e.recipient_country_code,
    count(*) AS events,
    count(DISTINCT e.event_cluster_id) AS event_clusters,
    count(DISTINCT e.article_id) AS articles,
    sum(e.score) AS score_sum,
    avg(e.score) AS score_mean,
    count(*) FILTER (WHERE e.score > 0) AS cooperation,
    count(*) FILTER (WHERE e.score < 0) AS conflict
FROM events e
JOIN articles a ON a.article_id = e.article_id
WHERE e.event_date IS NOT NULL
  AND a.duplicate_of IS NULL
GROUP BY ALL;
