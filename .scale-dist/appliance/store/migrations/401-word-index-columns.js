// The word index without token positions (detail='column'): positions were about half of it, and
// they only served phrase queries, whose candidates are verified anyway (text-index.ts, rule 2:
// a needle of several words is looked up as all of its words). The table is rebuilt empty and
// every blob queued again; the store re-indexes in the background as after migration 400.
export const id = '401-word-index-columns';
const TOKENIZE = String.raw `"ascii tokenchars '!#$%&''()*+,-./:;<=>?@[\]^_` + '`' + String.raw `{|}~""'"`;
export const sql = `
DROP TABLE message_words;
CREATE VIRTUAL TABLE message_words USING fts5(headers, body, f_from, f_to, f_cc, f_bcc, f_subject,
  content='', contentless_delete=1, detail='column', tokenize=${TOKENIZE});
INSERT OR IGNORE INTO text_index_pending (blob_id) SELECT id FROM blobs;
`;
//# sourceMappingURL=401-word-index-columns.js.map