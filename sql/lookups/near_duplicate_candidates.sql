-- Stored originals that share a MinHash LSH band with one of the load's articles, oldest load
-- first, with their story: all that near-duplicate detection must compare the load with. The
-- flow used to keep every stored signature in memory for the whole run (a growing cost); the
-- warehouse answers for the load's bands instead. A band is `$2` consecutive MinHash values
-- (`$1` bands, datasketch's banding for the threshold); equal bands have equal hashes, so no
-- candidate is missed, and a hash collision only adds a candidate the exact Jaccard then drops.
-- load_prints (article_id, minhash) is the load's frame, registered by the caller.
WITH bands AS (
    SELECT unnest(range(CAST($1 AS BIGINT))) AS band
),
load_bands AS (
    SELECT DISTINCT b.band, hash(p.minhash[b.band * $2 + 1:(b.band + 1) * $2]) AS band_key
    FROM load_prints p CROSS JOIN bands b
),
hits AS (
    SELECT DISTINCT f.article_id
    FROM article_fingerprints f CROSS JOIN bands b
    SEMI JOIN load_bands l ON l.band = b.band AND l.band_key = hash(f.minhash[b.band * $2 + 1:(b.band + 1) * $2])
)
SELECT f.article_id, f.minhash, a.story_id
FROM hits h
JOIN article_fingerprints f USING (article_id)
JOIN articles a USING (article_id)
JOIN loads l ON l.load_id = a.load_id
ORDER BY l.started_at, f.article_id
