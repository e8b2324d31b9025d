-- Non-indexed fallback when the BM25 index is missing or stale: scans the live documents (__DOCS__
-- is docs.sql) for words starting with any query term. $terms are lower-case a-z words from the
-- query (bound); the score counts their occurrences, it is not BM25.
SELECT kind, id, article_id, title, published_at, text, score
FROM (
    SELECT d.*,
           list_sum(list_transform($terms, t -> len(regexp_extract_all(
               lower(strip_accents(d.head || ' ' || d.text)), '\b' || t))))::DOUBLE AS score
    FROM (__DOCS__) d
    WHERE $kind = 'all' OR d.kind = $kind
)
WHERE score > 0
ORDER BY score DESC, published_at DESC NULLS LAST, id
LIMIT $limit
