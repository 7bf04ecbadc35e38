// SEARCH for the IMAP server: parse criteria, evaluate them on a mailbox, format the answer.
export { parseSearch, parseSearchDate, type SearchProgram, type SearchKey, type ReturnOption } from './program.js';
export { evaluateSearch, searchMailbox, sentDay, type SearchContext, type SearchOutcome } from './evaluate.js';
export { formatSearchResponse, savedResult, type SearchResult } from './response.js';
