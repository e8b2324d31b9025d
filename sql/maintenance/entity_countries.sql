-- Run inside a load's transaction after its rows are inserted. An entity stored without a country
-- takes the one this load's text ties it to (its title, party, office or place: see
-- transforms/entities.py, _country_votes), so a country code does not depend on which load first
-- named the entity. A country already stored is never changed. `load_entities` is the load's entity
-- frame, registered by flows/warehouse.py (fill_entity_countries).
UPDATE entities SET country_code = l.country_code
FROM load_entities l
WHERE entities.entity_id = l.entity_id AND entities.country_code IS NULL AND l.country_code IS NOT NULL;
