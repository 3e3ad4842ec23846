-- onrecord schema version 4: each quote keeps the quoted words alone (content: its parts
-- joined with " … ", quotation marks stripped; text still holds the covering span), and
-- full-text search indexes those words, not the attribution between them.
ALTER TABLE quotes ADD COLUMN content TEXT;
-- Rows stored before: their parts joined from the article text (marks are stripped only
-- for quotes extracted again).
UPDATE quotes SET content = CASE
    WHEN parts = '[]' THEN text
    ELSE (
        SELECT group_concat(piece, ' … ') FROM (
            SELECT substr(a.text, json_extract(p.value, '$.start') + 1,
                          json_extract(p.value, '$.end') - json_extract(p.value, '$.start'))
                   AS piece
            FROM articles a, json_each(quotes.parts) p
            WHERE a.id = quotes.article_id
            ORDER BY p.key
        )
    )
END;
DROP TRIGGER quotes_fts_insert;
DROP TRIGGER quotes_fts_delete;
DROP TABLE quotes_fts;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    content, content='quotes', content_rowid='seq', tokenize='porter unicode61'
);
INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
