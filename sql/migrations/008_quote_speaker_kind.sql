-- 008: quotes say what kind of speaker speaks, so analysts can keep people apart from the
-- organisations, documents and unnamed sources quoted: 'person', 'organisation', 'document'
-- (a report, a statement, a poll: a document is not a person), 'anonymous' ("a White House
-- official", "sources close to the talks"); null when no speaker is found or the text does not
-- tell ("they said" with no antecedent). A column is added; nothing is renamed. Rows made before
-- this migration keep a null kind until `newsetl reprocess --stage quotes` rewrites them.

ALTER TABLE quotes ADD COLUMN IF NOT EXISTS speaker_kind VARCHAR;
COMMENT ON COLUMN quotes.speaker_kind IS 'person, organisation, document (report, statement, poll) or anonymous (unnamed source); null when unknown.';
COMMENT ON COLUMN quotes.statement_id IS 'Shared by the passages of one statement: the parts of a quote split by its attribution, the paragraphs of one quotation, the parts of reported speech around its attribution.';
