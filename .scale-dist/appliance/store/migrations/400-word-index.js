// The word index (appliance/store/text-index.ts) replaces the trigram index per blob, which took
// 145 % of the mail's size. The old table is dropped here; every existing blob is queued in
// text_index_pending and indexed in small batches after the store opens (Store.maintain), so a
// large store converts without holding the database for minutes, and a crash resumes where it
// stopped. Until a blob is indexed, SEARCH verifies it by reading it.
export const id = '400-word-index';
// FTS5's ascii tokenizer with every printable ASCII character as a token character: the text is
// already split into terms (joined by single spaces) by text-index.ts, so FTS5 splits on spaces
// only (non-ASCII characters are always token characters for it).
const TOKENIZE = String.raw `"ascii tokenchars '!#$%&''()*+,-./:;<=>?@[\]^_` + '`' + String.raw `{|}~""'"`;
export const sql = `
DROP TABLE IF EXISTS blob_text;
CREATE VIRTUAL TABLE message_words USING fts5(headers, body, f_from, f_to, f_cc, f_bcc, f_subject,
  content='', contentless_delete=1, tokenize=${TOKENIZE});
CREATE TABLE search_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE search_terms_tri USING fts5(term, content='search_terms', content_rowid='id',
  detail='none', tokenize="trigram case_sensitive 1");
CREATE TABLE text_index_pending (blob_id INTEGER PRIMARY KEY);
INSERT INTO text_index_pending (blob_id) SELECT id FROM blobs;
`;
//# sourceMappingURL=400-word-index.js.map