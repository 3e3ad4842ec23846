-- onrecord schema version 1 (SQLite). Keep in step with 0001_initial.postgres.sql:
-- the same tables, columns and views; only types, identity columns and full-text differ.
-- Small rows keyed by (article_id, local_id) are WITHOUT ROWID tables: no second index.

CREATE TABLE articles (
    id TEXT PRIMARY KEY,              -- sha256 of the whitespace-normalized text, 16 hex
    url TEXT UNIQUE,
    title TEXT,
    published TEXT,                   -- ISO date YYYY-MM-DD
    outlet TEXT,
    text TEXT NOT NULL,
    source_path TEXT,                 -- the input it came from (file, file#line, file@offset)
    schema_version INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_source_path ON articles (source_path);

CREATE TABLE sources (
    id TEXT PRIMARY KEY,              -- global id, stable for the same identity
    name TEXT NOT NULL,               -- the fullest name seen
    kind TEXT NOT NULL,               -- person | organization | group | anonymous
    match_key TEXT NOT NULL,          -- surname (person) or normalized name: candidate lookup
    created_at TEXT NOT NULL
);
CREATE INDEX sources_match ON sources (kind, match_key);

CREATE TABLE source_aliases (
    source_id TEXT NOT NULL REFERENCES sources (id),
    alias TEXT NOT NULL,
    PRIMARY KEY (source_id, alias)
) WITHOUT ROWID;
CREATE INDEX source_aliases_alias ON source_aliases (alias);

CREATE TABLE source_attributes (
    source_id TEXT NOT NULL REFERENCES sources (id),
    attribute TEXT NOT NULL,          -- title | affiliation
    value TEXT NOT NULL,
    PRIMARY KEY (source_id, attribute, value)
) WITHOUT ROWID;

CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles (id),
    local_id TEXT NOT NULL,           -- the source's id inside the article's record
    source_id TEXT NOT NULL REFERENCES sources (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    titles TEXT NOT NULL,             -- JSON list
    affiliations TEXT NOT NULL,       -- JSON list
    mentions TEXT NOT NULL,           -- JSON list of {"start","end"}
    PRIMARY KEY (article_id, local_id)
) WITHOUT ROWID;
CREATE INDEX article_sources_source ON article_sources (source_id);

CREATE TABLE quotes (
    seq INTEGER PRIMARY KEY,          -- row number for the full-text index
    id TEXT NOT NULL UNIQUE,          -- article_id:local_id
    article_id TEXT NOT NULL REFERENCES articles (id),
    local_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,               -- direct | indirect | mixed
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,        -- end-exclusive
    parts TEXT NOT NULL,              -- JSON list of {"start","end"}
    cue_text TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    speaker_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    local_source_id TEXT,
    source_id TEXT REFERENCES sources (id)
);
CREATE INDEX quotes_article ON quotes (article_id);
CREATE INDEX quotes_source ON quotes (source_id);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles (id),
    local_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    label TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
) WITHOUT ROWID;

CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles (id),
    local_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    value REAL NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT,
    change TEXT,
    is_each INTEGER NOT NULL,
    quantified TEXT,
    approximate INTEGER NOT NULL,
    bound TEXT,
    high REAL,
    sentence TEXT NOT NULL,           -- the sentence around the figure
    quote_id TEXT,                    -- the quote that contains it, if any
    PRIMARY KEY (article_id, local_id)
) WITHOUT ROWID;

CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles (id),
    local_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (article_id, local_id)
) WITHOUT ROWID;

CREATE TABLE failures (
    path TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);

CREATE VIEW quotes_with_sources AS
SELECT q.id AS quote_id, q.kind, q.text, q.start_char, q.end_char,
       q.source_id, s.name AS source_name, s.kind AS source_kind,
       q.article_id, a.title AS article_title, a.url AS article_url,
       a.outlet, a.published
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN sources s ON s.id = q.source_id;

CREATE VIEW source_summary AS
SELECT s.id, s.name, s.kind,
       COUNT(q.id) AS quotes,
       COUNT(DISTINCT q.article_id) AS articles,
       COUNT(DISTINCT a.outlet) AS outlets,
       MIN(a.published) AS first_seen,
       MAX(a.published) AS last_seen
FROM sources s
LEFT JOIN quotes q ON q.source_id = s.id
LEFT JOIN articles a ON a.id = q.article_id
GROUP BY s.id, s.name, s.kind;

-- Full text over quotes (porter stemming), kept in step by triggers.
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='seq', tokenize='porter unicode61'
);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;
