// The header fields the junk filter writes (X-Spam-Status, X-Spam-Score, X-Attachment-Risk) are
// trusted by mail clients and by people only because this box wrote them. Any of them (and any
// other X-Spam-* field) arriving from outside is renamed X-Forged-..., as forged
// Authentication-Results are (RFC 8601 section 5): a sender cannot claim "X-Spam-Status: No" or
// make a clean message look flagged. Renamed, not deleted: the message stays whole for inspection.

/** header block read at most (the same bound the MX's other header checks use: the fields
 *  past it are body text for every reader) */
const MAX_HEADER = 256 * 1024;
const OWN = /^(?:X-Spam-[\x21-\x39\x3b-\x7e]*|X-Attachment-Risk)[ \t]*:/i;

/** The message with every field this box writes itself renamed X-Forged-NAME; the same Buffer
 *  when there was none. */
export function renameForgedJunkHeaders(raw: Buffer): Buffer {
  const limit = Math.min(raw.length, MAX_HEADER);
  let end = raw.indexOf('\r\n\r\n');
  end = end < 0 || end > limit ? limit : end + 2;
  const head = raw.subarray(0, end).toString('latin1');
  // quick refusal: most mail has none
  if (!/^(?:X-Spam-|X-Attachment-Risk)/im.test(head)) return raw;
  let changed = false;
  const out = head.replace(/^[^\r\n]*/gm, (line) => {
    if (!OWN.test(line)) return line;
    changed = true;
    return `X-Forged-${line}`;
  });
  return changed ? Buffer.concat([Buffer.from(out, 'latin1'), raw.subarray(end)]) : raw;
}
