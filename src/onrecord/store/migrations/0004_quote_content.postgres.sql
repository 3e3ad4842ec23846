-- onrecord schema version 4: each quote keeps the quoted words alone (content: its parts
-- joined with " … ", quotation marks stripped; text still holds the covering span), and
-- full-text search indexes those words, not the attribution between them.
ALTER TABLE quotes ADD COLUMN content TEXT;
-- Rows stored before: their parts joined from the article text (marks are stripped only
-- for quotes extracted again).
UPDATE quotes SET content = CASE
    WHEN parts = '[]' THEN text
    ELSE (
        SELECT string_agg(
            substr(a.text, (p.value ->> 'start')::int + 1,
                   (p.value ->> 'end')::int - (p.value ->> 'start')::int),
            ' … ' ORDER BY p.ordinality)
        FROM articles a, jsonb_array_elements(quotes.parts::jsonb) WITH ORDINALITY p
        WHERE a.id = quotes.article_id
    )
END;
DROP INDEX quotes_tsv;
ALTER TABLE quotes DROP COLUMN tsv;
ALTER TABLE quotes ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce(content, text))) STORED;
CREATE INDEX quotes_tsv ON quotes USING GIN (tsv);
