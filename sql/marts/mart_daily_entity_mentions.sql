-- Mentions of each entity per publication day: the series behind "who is in the news, when".
-- Only original articles (duplicates carry no NLP rows, and filtering keeps it so if that changes)
-- and only articles with a known publication date (an undated article has no place on a time axis).
-- mentions: every place the entity is named; articles: how many distinct articles name it.
CREATE OR REPLACE VIEW mart_daily_entity_mentions AS
SELECT
    CAST(a.published_at AS DATE) AS day,
    m.entity_id,
    e.canonical_name,
    e.entity_type,
    e.country_code,
    count(*) AS mentions,
    count(DISTINCT m.article_id) AS articles
FROM entity_mentions m
JOIN articles a ON a.article_id = m.article_id
JOIN entities e ON e.entity_id = m.entity_id
WHERE a.duplicate_of IS NULL
  AND a.published_at IS NOT NULL
GROUP BY ALL;
