-- The cooperation-conflict line between two countries: one row per event day and country pair.
--
-- Orientation: the pair is UNORDERED. country_a is the alphabetically smaller ISO alpha-3 code and
-- country_b the larger (country_a < country_b always), so "BRA-ARG" and "ARG-BRA" events land on
-- the same row ARG/BRA and a dashboard can look a pair up as (least(x, y), greatest(x, y)).
-- The totals pool both directions; the a_to_b_* / b_to_a_* columns keep the direction
-- (actor country_a acting on recipient country_b, and the reverse), and they add up to the totals.
-- Events need both an actor and a recipient country, and two different ones: a country acting on
-- itself (a government arresting its own citizens) is not a pair. Only events with an event_date.
--   score_sum    sum of PLOVER scores: the line (positive = cooperation, negative = conflict)
--   cooperation  events with score > 0;  conflict  events with score < 0
CREATE OR REPLACE VIEW mart_country_pair_daily AS
WITH pair_events AS (
    SELECT
        e.*,
        least(e.actor_country_code, e.recipient_country_code) AS country_a,
        greatest(e.actor_country_code, e.recipient_country_code) AS country_b
    FROM events e
    JOIN articles a ON a.article_id = e.article_id
    WHERE e.event_date IS NOT NULL
      AND a.duplicate_of IS NULL
      AND e.actor_country_code IS NOT NULL
      AND e.recipient_country_code IS NOT NULL
      AND e.actor_country_code <> e.recipient_country_code
)
SELECT
    event_date AS day,
    country_a,
    country_b,
    count(*) AS events,
    count(DISTINCT event_cluster_id) AS event_clusters,
    count(DISTINCT article_id) AS articles,
    coalesce(sum(score), 0) AS score_sum,
    avg(score) AS score_mean,
    count(*) FILTER (WHERE score > 0) AS cooperation,
    count(*) FILTER (WHERE score < 0) AS conflict,
    count(*) FILTER (WHERE actor_country_code = country_a) AS a_to_b_events,
    coalesce(sum(score) FILTER (WHERE actor_country_code = country_a), 0) AS a_to_b_score,
    count(*) FILTER (WHERE actor_country_code = country_b) AS b_to_a_events,
    coalesce(sum(score) FILTER (WHERE actor_country_code = country_b), 0) AS b_to_a_score
FROM pair_events
GROUP BY ALL;
