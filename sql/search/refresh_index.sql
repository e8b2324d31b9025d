-- Rebuild the search documents and their BM25 index. The fts index does not follow inserts, so
-- flows/search.py:refresh_index runs these statements in one transaction after each night's loads.
-- __DOCS__ is docs.sql and __COVERAGE__ coverage.sql; $built_at, $seconds and $definition are bound.
CREATE OR REPLACE TABLE search_docs AS
__DOCS__;
PRAGMA create_fts_index('search_docs', 'doc_id', 'head', 'text', stemmer = 'porter', stopwords = 'english',
                        strip_accents = 1, lower = 1, overwrite = 1);
CREATE OR REPLACE TABLE search_index_state (
    built_at     TIMESTAMP NOT NULL,
    last_load_id VARCHAR,
    articles     BIGINT NOT NULL,
    quotes       BIGINT NOT NULL,
    docs         BIGINT NOT NULL,
    seconds      DOUBLE,
    definition   VARCHAR NOT NULL
);
INSERT INTO search_index_state
SELECT $built_at, c.last_load_id, c.articles, c.quotes, (SELECT count(*) FROM search_docs), $seconds, $definition
FROM (__COVERAGE__) c;
COMMENT ON TABLE search_docs IS 'Search documents (original articles and quotes) behind the fts index fts_main_search_docs; rebuilt by newsetl search --refresh.';
COMMENT ON TABLE search_index_state IS 'When the search index was built and which load it covers; search falls back to a live scan when it is stale.';
