-- The documents search covers, read from the live tables: each original article (title and clean
-- body; a duplicate would only repeat its original) and each quote (its text, and who said it).
-- refresh_index copies this into search_docs for the BM25 index; the fallback search reads it live.
SELECT 'a:' || a.article_id AS doc_id, 'article' AS kind, a.article_id AS id, a.article_id,
       a.title, a.published_at, coalesce(a.title, '') AS head, a.body AS text
FROM articles a
WHERE a.duplicate_of IS NULL
UNION ALL
SELECT 'q:' || q.quote_id, 'quote', q.quote_id, q.article_id,
       a.title, a.published_at, coalesce(q.speaker_text, ''), q.quote_text
FROM quotes q
LEFT JOIN articles a ON a.article_id = q.article_id
