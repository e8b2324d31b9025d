-- 006: the three big detail tables (entity_mentions, quotes, events) lose their PRIMARY KEY.
-- DuckDB checks a key through an ART index, and an insert of a load's rows (random hash ids)
-- touches most of that index, so a load held the index of every stored row in memory: 29 MB at
-- 20,000 articles, growing with the warehouse. Uniqueness is kept by the load instead: it writes
-- only rows whose ids the warehouse lacks, and sql/checks/relational.sql rejects a load that
-- would duplicate a key (same check, on the load's own rows). Columns, types, NOT NULL and
-- comments are as before; rows are copied in their stored order.
-- article_fingerprints gains body_length, so same-story grouping can tell an article's lead
-- events without reading its body.

CREATE TABLE entity_mentions__006 (
    article_id       VARCHAR NOT NULL,
    start_char       INTEGER NOT NULL,
    end_char         INTEGER NOT NULL,
    entity_id        VARCHAR NOT NULL,
    mention_text     VARCHAR NOT NULL,
    ner_label        VARCHAR,
    load_id          VARCHAR NOT NULL,
    pipeline_version VARCHAR,
    rules_version    VARCHAR,
    model_version    VARCHAR
);
INSERT INTO entity_mentions__006 SELECT * FROM entity_mentions;
DROP TABLE entity_mentions;
ALTER TABLE entity_mentions__006 RENAME TO entity_mentions;
COMMENT ON TABLE entity_mentions IS 'Each place an entity is named in an article body. Key: (article_id, start_char), checked per load.';

CREATE TABLE quotes__006 (
    quote_id          VARCHAR NOT NULL,
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
    load_id           VARCHAR NOT NULL,
    pipeline_version  VARCHAR,
    rules_version     VARCHAR,
    model_version     VARCHAR
);
INSERT INTO quotes__006 SELECT * FROM quotes;
DROP TABLE quotes;
ALTER TABLE quotes__006 RENAME TO quotes;
COMMENT ON TABLE quotes IS 'Direct and reported speech with its speaker. Key: quote_id, checked per load.';
COMMENT ON COLUMN quotes.quote_kind IS 'direct (in quotation marks) or indirect (reported speech).';
COMMENT ON COLUMN quotes.speaker_entity_id IS 'The speaker as an entity; null when the speaker is not a named entity.';
COMMENT ON COLUMN quotes.cue IS 'Lemma of the reporting verb.';
COMMENT ON COLUMN quotes.statement_id IS 'Shared by the parts of one quote split by its attribution.';

CREATE TABLE events__006 (
    event_id               VARCHAR NOT NULL,
    article_id             VARCHAR NOT NULL,
    event_type             VARCHAR NOT NULL,
    event_mode             VARCHAR,
    actor_entity_id        VARCHAR,
    actor_text             VARCHAR,
    recipient_entity_id    VARCHAR,
    recipient_text         VARCHAR,
    event_modality         VARCHAR NOT NULL,
    event_date             DATE,
    event_date_precision   VARCHAR,
    location_entity_id     VARCHAR,
    score                  DOUBLE,
    trigger                VARCHAR,
    evidence               VARCHAR NOT NULL,
    start_char             INTEGER NOT NULL,
    end_char               INTEGER NOT NULL,
    load_id                VARCHAR NOT NULL,
    event_cluster_id       VARCHAR,
    actor_country_code     VARCHAR,
    recipient_country_code VARCHAR,
    pipeline_version       VARCHAR,
    rules_version          VARCHAR,
    model_version          VARCHAR
);
INSERT INTO events__006 SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events__006 RENAME TO events;
COMMENT ON TABLE events IS 'Who did what to whom, coded with PLOVER. Key: event_id, checked per load.';
COMMENT ON COLUMN events.event_type IS 'One of the 16 PLOVER event types.';
COMMENT ON COLUMN events.event_mode IS 'PLOVER mode (visit, phone, withdraw, arrest, ...) or null.';
COMMENT ON COLUMN events.event_modality IS 'asserted, negated, future, hypothetical or reported.';
COMMENT ON COLUMN events.event_date IS 'Date the text gives, resolved against published_at; null when neither fixes it.';
COMMENT ON COLUMN events.score IS 'PLOVER conflict-cooperation score of the type and mode.';
COMMENT ON COLUMN events.evidence IS 'The sentence the event was read from; start_char/end_char locate it in the body.';
COMMENT ON COLUMN events.event_cluster_id IS 'Shared by reports of one event: same type, actor and recipient entities, dates within 3 days (or, undated, the same story). The id of the cluster''s first event.';
COMMENT ON COLUMN events.actor_country_code IS 'ISO 3166 alpha-3 of the actor entity (the country itself, or from the alias file).';
COMMENT ON COLUMN events.recipient_country_code IS 'ISO 3166 alpha-3 of the recipient entity.';
COMMENT ON COLUMN events.model_version IS 'spaCy model name and version that produced the row (see also rules_version, pipeline_version).';

ALTER TABLE article_fingerprints ADD COLUMN IF NOT EXISTS body_length INTEGER;
UPDATE article_fingerprints f SET body_length = length(a.body)
FROM articles a WHERE a.article_id = f.article_id AND f.body_length IS NULL;
COMMENT ON COLUMN article_fingerprints.body_length IS 'Characters in the article body (what an event''s start_char is compared with).';
