-- One row per load (nightly chunk): when, how long, how it ended, what it added and what went
-- wrong. Row counts are what the load carried; for a rejected or failed load nothing of it was
-- kept. quarantine_rows counts the quarantine table rows still attributed to the load (a later
-- retry that reads a file moves its row away), `quarantined` what the load itself set aside.
CREATE OR REPLACE VIEW mart_load_health AS
SELECT
    l.load_id,
    l.started_at,
    l.finished_at,
    date_diff('millisecond', l.started_at, l.finished_at) / 1000.0 AS seconds,
    l.status,
    l.kind,  -- 'load' (new articles) or 'reprocess'
    coalesce(len(l.sources), 0) AS files,
    l.articles_new,
    l.articles_duplicate,
    l.entities_new,
    l.mentions_new,
    l.events_new,
    l.quotes_new,
    l.quarantined,
    coalesce(q.rows, 0) AS quarantine_rows,
    l.expectations_evaluated,
    l.expectations_failed,
    l.message,
    l.pipeline_version,
    l.rules_version,
    l.model_name,
    l.model_version
FROM loads l
LEFT JOIN (SELECT load_id, count(*) AS rows FROM quarantine GROUP BY load_id) q ON q.load_id = l.load_id;
