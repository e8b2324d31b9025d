-- 007: the sector of an event's actor and recipient (issue 17): what kind of body acted, read from
-- the words the text uses for it (transforms/data/sectors.yaml): a head noun ("the Israeli army"),
-- an organisation's name ("Supreme Court"), a known body ("United Nations"), the role a person was
-- introduced with ("Prime Minister X"), a country named as an actor (its government). Columns only.
ALTER TABLE events ADD COLUMN IF NOT EXISTS actor_sector VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS recipient_sector VARCHAR;
COMMENT ON COLUMN events.actor_sector IS 'government, military, police, judiciary, legislature, party, rebels, business, media, civilians, igo or ngo; null when the text gives none.';
COMMENT ON COLUMN events.recipient_sector IS 'The recipient''s sector, as actor_sector; null when the text gives none.';
