-- BM25-ranked hits from the fts index over search_docs. $query is bound, never formatted into SQL;
-- the fts macro tokenises it the way the index was built (lower case, accents stripped, porter stems).
SELECT kind, id, article_id, title, published_at, text, score
FROM (
    SELECT d.*, fts_main_search_docs.match_bm25(d.doc_id, $query) AS score
    FROM search_docs d
    WHERE $kind = 'all' OR d.kind = $kind
)
WHERE score IS NOT NULL
ORDER BY score DESC, published_at DESC NULLS LAST, id
LIMIT $limit
