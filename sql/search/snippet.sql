-- Final shape of a search result: a short window of the text around the first query term found
-- ($needles: the query's terms and their stems, lower case, accents stripped). __HITS__ is
-- search_bm25.sql or search_fallback.sql.
WITH hits AS (
    __HITS__
),
located AS (
    SELECT h.*,
           greatest(coalesce(list_min(list_filter(
               list_transform($needles, n -> strpos(lower(strip_accents(h.text)), n)), p -> p > 0)), 1) - 60,
               1) AS win
    FROM hits h
),
windowed AS (
    -- start after the first space in the window (not mid-word); stop at the last space in it
    SELECT l.*,
           CASE WHEN win = 1 THEN 1 ELSE win + strpos(substr(text, win, 60), ' ') END AS start
    FROM located l
)
SELECT kind, id, article_id, title, published_at,
       trim(regexp_replace(
           CASE WHEN start > 1 THEN '… ' ELSE '' END
           || CASE WHEN start + 220 <= length(text)
                   THEN regexp_replace(substr(text, start, 220), '\s+\S*$', '') || ' …'
                   ELSE substr(text, start) END,
           '\s+', ' ', 'g')) AS snippet,
       score
FROM windowed
ORDER BY score DESC, published_at DESC NULLS LAST, id
