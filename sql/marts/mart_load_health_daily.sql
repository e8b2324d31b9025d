-- Loads rolled up per start day (UTC): did last night's run commit, how much it added, how long it took.
-- articles_committed etc. count only committed loads (a rejected load added nothing).
CREATE OR REPLACE VIEW mart_load_health_daily AS
SELECT
    CAST(started_at AS DATE) AS day,
    count(*) AS loads,
    count(*) FILTER (WHERE status = 'committed') AS committed,
    count(*) FILTER (WHERE status = 'rejected') AS rejected,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    coalesce(sum(articles_new) FILTER (WHERE status = 'committed'), 0)::BIGINT AS articles_committed,
    coalesce(sum(events_new) FILTER (WHERE status = 'committed'), 0)::BIGINT AS events_committed,
    coalesce(sum(quotes_new) FILTER (WHERE status = 'committed'), 0)::BIGINT AS quotes_committed,
    coalesce(sum(quarantined), 0)::BIGINT AS quarantined,
    coalesce(sum(expectations_failed), 0)::BIGINT AS expectations_failed,
    sum(date_diff('millisecond', started_at, finished_at)) / 1000.0 AS seconds_total,
    max(date_diff('millisecond', started_at, finished_at)) / 1000.0 AS seconds_max
FROM loads
GROUP BY ALL;
