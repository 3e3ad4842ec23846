-- onrecord schema version 5 (PostgreSQL): quote clusters, the same statement across articles
-- (docs/provenance.md). Keep in step with 0005_quote_clusters.sqlite.sql.
-- Quotes stored before this version are clustered by `onrecord db upgrade`.

CREATE TABLE quote_clusters (
    id TEXT PRIMARY KEY,              -- the id of the quote that started the cluster
    reference_key TEXT NOT NULL,      -- the wording every variant is compared with
    created_at TEXT NOT NULL
);

-- Each distinct normalized wording of a cluster, once, with how it differs from the
-- reference: copies of one wording cost one row here however many articles carry them.
CREATE TABLE cluster_forms (
    cluster_id TEXT NOT NULL REFERENCES quote_clusters (id),
    form_key TEXT NOT NULL,           -- hash of the normalized words and ellipsis gaps
    wording TEXT NOT NULL,            -- JSON {"words": [...], "gaps": [...], "names": [...]}
    words INTEGER NOT NULL,           -- how many words (the fullest wording is the reference)
    variant TEXT NOT NULL,            -- verbatim | trimmed | altered
    severity TEXT,                    -- altered only: high (number, negation, name) | low
    reasons TEXT NOT NULL,            -- JSON list: number, negation, name
    diff TEXT NOT NULL,               -- JSON list of [op, words], op: equal | insert | delete
    PRIMARY KEY (cluster_id, form_key)
);

-- an exact copy finds its cluster by its wording alone
CREATE INDEX cluster_forms_key ON cluster_forms (form_key);

-- One row per stored quote; cluster_id NULL for a quote too short to trace (< 3 words).
CREATE TABLE cluster_members (
    quote_id TEXT PRIMARY KEY,
    cluster_id TEXT,
    form_key TEXT,
    article_id TEXT NOT NULL,
    paraphrase INTEGER NOT NULL       -- 1: indirect speech joining the statement
);
CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id, form_key);
CREATE INDEX cluster_members_article ON cluster_members (article_id);

-- The shingle index: each run of three normalized words -> the clusters holding it, so a
-- new quote finds its candidates by lookup, never by comparing with every cluster.
CREATE TABLE cluster_shingles (
    shingle BIGINT NOT NULL,          -- signed 64-bit hash of three words
    cluster_id TEXT NOT NULL,
    PRIMARY KEY (shingle, cluster_id)
);
CREATE INDEX cluster_shingles_cluster ON cluster_shingles (cluster_id);

-- How many clusters hold each shingle: lookups skip the common ones ("i don't think"),
-- whose lists grow with the corpus, so a quote's cost does not.
CREATE TABLE shingle_clusters (
    shingle BIGINT PRIMARY KEY,
    clusters INTEGER NOT NULL
);
