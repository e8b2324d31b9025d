-- 003: entity columns analysts filter by, and redirects that keep entity ids stable when a later
-- load shows that two entities are one person.

ALTER TABLE entities ADD COLUMN IF NOT EXISTS name_key VARCHAR;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS mention_count INTEGER DEFAULT 0;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS first_seen TIMESTAMP;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS last_seen TIMESTAMP;
ALTER TABLE entities ADD COLUMN IF NOT EXISTS aliases VARCHAR[];
ALTER TABLE entities ADD COLUMN IF NOT EXISTS redirect_to VARCHAR;

UPDATE entities SET name_key = trim(regexp_replace(lower(strip_accents(canonical_name)), '[^a-z0-9]+', ' ', 'g'))
WHERE name_key IS NULL;

COMMENT ON COLUMN entities.name_key IS 'Accent-, case- and punctuation-free name the entity_id hashes.';
COMMENT ON COLUMN entities.mention_count IS 'Mentions in the warehouse (kept current by every load).';
COMMENT ON COLUMN entities.first_seen IS 'Earliest publication date (else load time) of an article mentioning it.';
COMMENT ON COLUMN entities.last_seen IS 'Latest publication date (else load time) of an article mentioning it.';
COMMENT ON COLUMN entities.aliases IS 'Distinct surface forms the articles used for it.';
COMMENT ON COLUMN entities.redirect_to IS 'Set when a later load merged this entity into another: follow it (see entity_redirects).';

CREATE TABLE IF NOT EXISTS entity_redirects (
    from_entity_id VARCHAR PRIMARY KEY,
    to_entity_id   VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
COMMENT ON TABLE entity_redirects IS 'Merged entities: the old id stays valid and points here at the entity it turned out to be.';
