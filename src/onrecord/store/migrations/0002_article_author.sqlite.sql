-- onrecord schema version 2: the article's author, from the HTML metadata (trafilatura).
ALTER TABLE articles ADD COLUMN author TEXT;
