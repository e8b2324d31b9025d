-- What a fresh search index must cover: the newest committed load that wrote articles or quotes
-- (a nightly load or a reprocess), and how many original articles and quotes there are now.
SELECT
    (SELECT l.load_id FROM loads l
     WHERE l.status = 'committed'
       AND l.load_id IN (SELECT load_id FROM articles UNION SELECT load_id FROM quotes)
     ORDER BY l.started_at DESC, l.load_id DESC
     LIMIT 1) AS last_load_id,
    (SELECT count(*) FROM articles WHERE duplicate_of IS NULL) AS articles,
    (SELECT count(*) FROM quotes) AS quotes
