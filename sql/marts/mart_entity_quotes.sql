-- One row per quote, ready to read: who said it, what, how, and in which article.
-- speaker_entity_id and speaker_name are null when the speaker is not a named entity
-- ("a White House official"); `speaker` then falls back to the words the article used.
-- published_date is null for undated articles. speaker_kind tells people from organisations,
-- documents (a report, a statement, a poll) and unnamed sources; statement_id groups the passages
-- of one statement.
CREATE OR REPLACE VIEW mart_entity_quotes AS
SELECT
    q.quote_id,
    q.article_id,
    q.speaker_entity_id,
    e.canonical_name AS speaker_name,
    e.entity_type AS speaker_type,
    coalesce(e.canonical_name, q.speaker_text) AS speaker,
    q.speaker_text,
    q.quote_text,
    q.quote_kind,
    q.cue,
    a.title AS article_title,
    a.publisher,
    CAST(a.published_at AS DATE) AS published_date,
    a.published_at,
    q.speaker_kind,
    q.statement_id
FROM quotes q
JOIN articles a ON a.article_id = q.article_id
LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
WHERE a.duplicate_of IS NULL;
