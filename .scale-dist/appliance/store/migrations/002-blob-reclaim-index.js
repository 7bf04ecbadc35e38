// reclaim() looks for blobs nothing refers to after every expunge and finished queue entry: a
// partial index keeps that lookup from scanning every blob row.
export const id = '002-blob-reclaim-index';
export const sql = `CREATE INDEX blobs_unreferenced ON blobs(id) WHERE refs <= 0;`;
//# sourceMappingURL=002-blob-reclaim-index.js.map