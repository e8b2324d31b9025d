-- 002: what dedup and story grouping compare a new article with, kept so later loads need not
-- re-read old bodies.

CREATE TABLE IF NOT EXISTS article_fingerprints (
    article_id   VARCHAR PRIMARY KEY,
    minhash      UBIGINT[] NOT NULL,
    terms        VARCHAR[] NOT NULL,
    term_weights DOUBLE[] NOT NULL,
    load_id      VARCHAR NOT NULL
);
COMMENT ON TABLE article_fingerprints IS 'Per original article: MinHash of word 5-shingles (near-duplicates) and its most informative terms (same-story groups).';
COMMENT ON COLUMN article_fingerprints.minhash IS '128 MinHash values over word 5-shingles of the normalised body.';
COMMENT ON COLUMN article_fingerprints.terms IS 'Top informative words of the body (rare in general English), weights in term_weights.';
