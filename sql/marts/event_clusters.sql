-- One row per reported event: how many articles and sources carried it, so a syndicated story
-- counts once in time series. Rebuilt (CREATE OR REPLACE) on every run.
CREATE OR REPLACE VIEW event_clusters AS
SELECT
    e.event_cluster_id,
    any_value(e.event_type) AS event_type,
    any_value(e.event_mode) AS event_mode,
    any_value(e.actor_entity_id) AS actor_entity_id,
    any_value(e.recipient_entity_id) AS recipient_entity_id,
    min(e.event_date) AS first_event_date,
    max(e.event_date) AS last_event_date,
    min(e.score) AS score,
    count(*) AS n_reports,
    count(DISTINCT e.article_id) AS n_articles,
    count(DISTINCT coalesce(a.publisher, a.source_uri)) AS n_sources,
    list(DISTINCT a.story_id) AS story_ids,
    arg_min(e.evidence, e.event_id) AS example_evidence
FROM events e
JOIN articles a USING (article_id)
GROUP BY e.event_cluster_id;
