-- Who is quoted, how often and how: one row per speaker that is a named entity (quotes whose
-- speaker is only "an official" are left out; see mart_entity_quotes for every quote).
-- first_date / last_date: publication dates of the quoting articles, null when none is dated.
CREATE OR REPLACE VIEW mart_top_speakers AS
SELECT
    q.speaker_entity_id,
    e.canonical_name,
    e.entity_type,
    count(*) AS quotes,
    count(*) FILTER (WHERE q.quote_kind = 'direct') AS direct,
    count(*) FILTER (WHERE q.quote_kind = 'indirect') AS indirect,
    count(DISTINCT q.article_id) AS articles,
    CAST(min(a.published_at) AS DATE) AS first_date,
    CAST(max(a.published_at) AS DATE) AS last_date
FROM quotes q
JOIN entities e ON e.entity_id = q.speaker_entity_id
JOIN articles a ON a.article_id = q.article_id
WHERE a.duplicate_of IS NULL
GROUP BY ALL;
