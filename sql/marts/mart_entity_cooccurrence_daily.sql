-- Pairs of entities named in the same article, per publication day: the edges of "who appears
-- with whom". Each unordered pair appears once per day, with entity_a < entity_b (by entity_id),
-- so summing `articles` over days never counts a pair twice. Same article scope as
-- mart_daily_entity_mentions: originals with a known publication date.
CREATE OR REPLACE VIEW mart_entity_cooccurrence_daily AS
WITH article_entities AS (
    SELECT DISTINCT CAST(a.published_at AS DATE) AS day, m.article_id, m.entity_id
    FROM entity_mentions m
    JOIN articles a ON a.article_id = m.article_id
    WHERE a.duplicate_of IS NULL
      AND a.published_at IS NOT NULL
)
SELECT
    x.day,
    x.entity_id AS entity_a,
    y.entity_id AS entity_b,
    ea.canonical_name AS name_a,
    eb.canonical_name AS name_b,
    ea.entity_type AS type_a,
    eb.entity_type AS type_b,
    count(*) AS articles
FROM article_entities x
JOIN article_entities y ON y.article_id = x.article_id AND x.entity_id < y.entity_id
JOIN entities ea ON ea.entity_id = x.entity_id
JOIN entities eb ON eb.entity_id = y.entity_id
GROUP BY ALL;
