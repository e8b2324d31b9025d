-- 004: actor and recipient countries on events; the same event reported by several articles shares an event_cluster_id, so syndicated
-- and retold stories are not double counted (see sql/maintenance/cluster_events.sql).

ALTER TABLE events ADD COLUMN IF NOT EXISTS event_cluster_id VARCHAR;
UPDATE events SET event_cluster_id = event_id WHERE event_cluster_id IS NULL;
COMMENT ON COLUMN events.event_cluster_id IS 'Shared by reports of one event: same type, actor and recipient entities, dates within 3 days (or, undated, the same story). The id of the cluster''s first event.';

ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_country_code VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS recipient_country_code VARCHAR;
COMMENT ON COLUMN events.actor_country_code IS 'ISO 3166 alpha-3 of the actor entity (the country itself, or from the alias file).';
COMMENT ON COLUMN events.recipient_country_code IS 'ISO 3166 alpha-3 of the recipient entity.';
