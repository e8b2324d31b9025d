-- 005: every row says which pipeline, rule data and model produced it, so an analyst can tell
-- rows made before a rules or model upgrade from rows made after it (and `newsetl reprocess`
-- can replace the old ones). Rows that predate this migration take their load's versions.

ALTER TABLE articles ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS model_version VARCHAR;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS model_version VARCHAR;
ALTER TABLE entity_mentions ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;
ALTER TABLE entity_mentions ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE entity_mentions ADD COLUMN IF NOT EXISTS model_version VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS model_version VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS pipeline_version VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS rules_version VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS model_version VARCHAR;

UPDATE articles t SET pipeline_version = l.pipeline_version, rules_version = l.rules_version,
    model_version = l.model_version FROM loads l WHERE t.load_id = l.load_id AND t.pipeline_version IS NULL;
UPDATE entities t SET pipeline_version = l.pipeline_version, rules_version = l.rules_version,
    model_version = l.model_version FROM loads l WHERE t.load_id = l.load_id AND t.pipeline_version IS NULL;
UPDATE entity_mentions t SET pipeline_version = l.pipeline_version, rules_version = l.rules_version,
    model_version = l.model_version FROM loads l WHERE t.load_id = l.load_id AND t.pipeline_version IS NULL;
UPDATE quotes t SET pipeline_version = l.pipeline_version, rules_version = l.rules_version,
    model_version = l.model_version FROM loads l WHERE t.load_id = l.load_id AND t.pipeline_version IS NULL;
UPDATE events t SET pipeline_version = l.pipeline_version, rules_version = l.rules_version,
    model_version = l.model_version FROM loads l WHERE t.load_id = l.load_id AND t.pipeline_version IS NULL;

-- a load is a nightly 'load' or a 'reprocess' of stored articles with newer rules or model
ALTER TABLE loads ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'load';
UPDATE loads SET kind = 'load' WHERE kind IS NULL;
COMMENT ON COLUMN events.model_version IS 'spaCy model name and version that produced the row (see also rules_version, pipeline_version).';
COMMENT ON COLUMN loads.kind IS 'load (new articles) or reprocess (NLP rerun on stored articles after an upgrade).';
