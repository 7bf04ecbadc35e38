// SEARCH for the IMAP server: parse criteria, evaluate them on a mailbox, format the answer.
export { parseSearch, parseSearchDate } from './program.js';
export { evaluateSearch, searchMailbox, sentDay } from './evaluate.js';
export { formatSearchResponse, savedResult } from './response.js';
//# sourceMappingURL=index.js.map