-- 001: the contract tables (see CONTRACT.md). Keys are computed hashes, never allocated.

CREATE TABLE IF NOT EXISTS loads (
    load_id            VARCHAR PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    status             VARCHAR NOT NULL,          -- committed / rejected / failed
    sources            VARCHAR[],
    articles_new       INTEGER DEFAULT 0,
    articles_duplicate INTEGER DEFAULT 0,
    entities_new       INTEGER DEFAULT 0,
    mentions_new       INTEGER DEFAULT 0,
    quotes_new         INTEGER DEFAULT 0,
    events_new         INTEGER DEFAULT 0,
    quarantined        INTEGER DEFAULT 0,
    expectations_evaluated INTEGER DEFAULT 0,
    expectations_failed    INTEGER DEFAULT 0,
    validation_summary JSON,
    pipeline_version   VARCHAR,
    rules_version      VARCHAR,
    model_name         VARCHAR,
    model_version      VARCHAR,
    message            VARCHAR
);
COMMENT ON TABLE loads IS 'One row per load (a validated chunk of articles), including empty, rejected and failed ones.';
COMMENT ON COLUMN loads.status IS 'committed: rows are in the warehouse; rejected: an expectation failed, rolled back; failed: an error, rolled back.';
COMMENT ON COLUMN loads.validation_summary IS 'Great Expectations results per suite: evaluated, failed and the failing expectations.';

CREATE TABLE IF NOT EXISTS articles (
    article_id     VARCHAR PRIMARY KEY,
    source_uri     VARCHAR NOT NULL,
    content_hash   VARCHAR NOT NULL,
    title          VARCHAR,
    published_at   TIMESTAMP,
    author         VARCHAR,
    publisher      VARCHAR,
    url            VARCHAR,
    body           VARCHAR NOT NULL,
    language       VARCHAR,
    word_count     INTEGER NOT NULL,
    story_id       VARCHAR,
    duplicate_of   VARCHAR,
    load_id        VARCHAR NOT NULL
);
COMMENT ON TABLE articles IS 'One row per input article (a file, or a JSONL line).';
COMMENT ON COLUMN articles.article_id IS 'Hash of source_uri and content_hash.';
COMMENT ON COLUMN articles.content_hash IS 'Hash of the normalised text (NFC, casefolded, whitespace collapsed).';
COMMENT ON COLUMN articles.published_at IS 'Publication date the input states; null when it states none.';
COMMENT ON COLUMN articles.body IS 'Clean text; every start_char/end_char in other tables indexes into it.';
COMMENT ON COLUMN articles.story_id IS 'Equal for articles reporting the same story.';
COMMENT ON COLUMN articles.duplicate_of IS 'article_id of the first-loaded identical or near-identical article; duplicates get no NLP rows.';

CREATE TABLE IF NOT EXISTS entities (
    entity_id      VARCHAR PRIMARY KEY,
    canonical_name VARCHAR NOT NULL,
    entity_type    VARCHAR NOT NULL,
    country_code   VARCHAR,
    load_id        VARCHAR NOT NULL
);
COMMENT ON TABLE entities IS 'Canonical people, organisations and places, resolved across articles.';
COMMENT ON COLUMN entities.entity_id IS 'Hash of entity_type and the accent-, case- and punctuation-free canonical key.';
COMMENT ON COLUMN entities.canonical_name IS 'The fullest proper form seen, e.g. Nicolás Maduro.';
COMMENT ON COLUMN entities.country_code IS 'ISO 3166 alpha-3 where known.';

CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id  VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    entity_id   VARCHAR NOT NULL,
    mention_text VARCHAR NOT NULL,
    ner_label   VARCHAR,
    load_id     VARCHAR NOT NULL,
    PRIMARY KEY (article_id, start_char)
);
COMMENT ON TABLE entity_mentions IS 'Each place an entity is named in an article body.';

CREATE TABLE IF NOT EXISTS quotes (
    quote_id          VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    quote_text        VARCHAR NOT NULL,
    quote_kind        VARCHAR NOT NULL,
    speaker_entity_id VARCHAR,
    speaker_text      VARCHAR,
    speaker_role      VARCHAR,
    cue               VARCHAR,
    statement_id      VARCHAR,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    load_id           VARCHAR NOT NULL
);
COMMENT ON COLUMN quotes.quote_kind IS 'direct (in quotation marks) or indirect (reported speech).';
COMMENT ON COLUMN quotes.speaker_entity_id IS 'The speaker as an entity; null when the speaker is not a named entity.';
COMMENT ON COLUMN quotes.cue IS 'Lemma of the reporting verb.';
COMMENT ON COLUMN quotes.statement_id IS 'Shared by the parts of one quote split by its attribution.';

CREATE TABLE IF NOT EXISTS events (
    event_id             VARCHAR PRIMARY KEY,
    article_id           VARCHAR NOT NULL,
    event_type           VARCHAR NOT NULL,
    event_mode           VARCHAR,
    actor_entity_id      VARCHAR,
    actor_text           VARCHAR,
    recipient_entity_id  VARCHAR,
    recipient_text       VARCHAR,
    event_modality       VARCHAR NOT NULL,
    event_date           DATE,
    event_date_precision VARCHAR,
    location_entity_id   VARCHAR,
    score                DOUBLE,
    trigger              VARCHAR,
    evidence             VARCHAR NOT NULL,
    start_char           INTEGER NOT NULL,
    end_char             INTEGER NOT NULL,
    load_id              VARCHAR NOT NULL
);
COMMENT ON COLUMN events.event_type IS 'One of the 16 PLOVER event types.';
COMMENT ON COLUMN events.event_mode IS 'PLOVER mode (visit, phone, withdraw, arrest, ...) or null.';
COMMENT ON COLUMN events.event_modality IS 'asserted, negated, future, hypothetical or reported.';
COMMENT ON COLUMN events.event_date IS 'Date the text gives, resolved against published_at; null when neither fixes it.';
COMMENT ON COLUMN events.score IS 'PLOVER conflict-cooperation score of the type and mode.';
COMMENT ON COLUMN events.evidence IS 'The sentence the event was read from; start_char/end_char locate it in the body.';

CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_id  VARCHAR PRIMARY KEY,
    source_uri     VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    detail         VARCHAR,
    load_id        VARCHAR,
    raw            BLOB,
    raw_size       BIGINT,
    quarantined_at TIMESTAMP NOT NULL,
    retried_at     TIMESTAMP
);
COMMENT ON TABLE quarantine IS 'Input that is not a readable article, with its reason and (up to the size cap) the raw bytes to retry it.';

CREATE TABLE IF NOT EXISTS sources (
    source_uri  VARCHAR PRIMARY KEY,
    raw_hash    VARCHAR NOT NULL,
    size_bytes  BIGINT,
    load_id     VARCHAR NOT NULL,
    loaded_at   TIMESTAMP NOT NULL
);
COMMENT ON TABLE sources IS 'Files already read and the hash of their bytes: an unchanged file is skipped unread on the next run.';
