// A message encrypted as PGP/MIME (RFC 3156 section 4) for storage: the headers a mailbox listing
// needs stay outside, everything else moves inside the encrypted part, whose Content-Type carries
// protected-headers="v1" and which repeats the original header fields, Subject included
// (draft-autocrypt-lamps-protected-headers; the outer Subject becomes "..." as in Memory Hole).
// Decrypting gives the original header fields and the original body bytes.
import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { headerEnd } from '../../appliance/mail/header.js';
import { COMPATIBLE_CONFIG } from './openpgp-key.js';
/** Header fields kept outside (delivery, listing, threading). */
export const OUTER_FIELDS = new Set(['return-path', 'from', 'sender', 'to', 'cc', 'date', 'message-id', 'in-reply-to', 'references']);
export const OUTER_SUBJECT = '...';
/** Header fields as written (folded lines kept), without their final line ending. */
function rawFields(headerBlock) {
    const lines = headerBlock.split(/\r?\n/);
    const out = [];
    for (const line of lines) {
        if (line === '')
            continue;
        if ((line[0] === ' ' || line[0] === '\t') && out.length) {
            out[out.length - 1].text += '\n' + line;
            continue;
        }
        const colon = line.indexOf(':');
        out.push({ key: colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '', text: line });
    }
    return out;
}
function withEol(text, eol) {
    return text.replace(/\r?\n/g, eol);
}
/** The inner entity: every original field except MIME-Version, with protected-headers="v1" on
 *  its Content-Type (text/plain; charset=us-ascii when there was none, RFC 2045 section 5.2). */
function innerEntity(fields, body, eol) {
    const lines = [];
    let sawType = false;
    for (const f of fields) {
        if (f.key === 'mime-version' || f.key === '')
            continue;
        if (f.key === 'content-type') {
            if (sawType)
                continue;
            sawType = true;
            // A sender's own protected-headers parameter (signed mail) is kept as it is.
            lines.push(/protected-headers\s*=/i.test(f.text) ? withEol(f.text, eol) : withEol(f.text.replace(/[\s;]*$/, ''), eol) + ';' + eol + ' protected-headers="v1"');
            continue;
        }
        lines.push(withEol(f.text, eol));
    }
    if (!sawType)
        lines.unshift('Content-Type: text/plain; charset=us-ascii; protected-headers="v1"');
    return Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, 'latin1'), body]);
}
/** Encrypt `raw` to `key` as a PGP/MIME message whose outer header lists only OUTER_FIELDS. */
export async function encryptAsPgpMime(raw, key) {
    const lf = raw.indexOf(0x0a);
    const eol = lf > 0 && raw[lf - 1] === 0x0d ? '\r\n' : '\n';
    const end = headerEnd(raw);
    const fields = rawFields(raw.subarray(0, end).toString('latin1'));
    const inner = innerEntity(fields, raw.subarray(end), eol);
    const armored = await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: inner, format: 'binary' }),
        encryptionKeys: key,
        format: 'armored',
        config: COMPATIBLE_CONFIG,
    });
    const boundary = `postern-pgp-${randomBytes(12).toString('hex')}`;
    const outer = [];
    for (const f of fields)
        if (OUTER_FIELDS.has(f.key))
            outer.push(withEol(f.text, eol));
    if (fields.some((f) => f.key === 'subject'))
        outer.push(`Subject: ${OUTER_SUBJECT}`);
    outer.push('MIME-Version: 1.0');
    outer.push(`Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";${eol} boundary="${boundary}"`);
    const text = [
        outer.join(eol),
        '',
        'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
        `--${boundary}`,
        'Content-Type: application/pgp-encrypted',
        'Content-Description: PGP/MIME version identification',
        '',
        'Version: 1',
        '',
        `--${boundary}`,
        'Content-Type: application/octet-stream; name="encrypted.asc"',
        'Content-Description: OpenPGP encrypted message',
        'Content-Disposition: inline; filename="encrypted.asc"',
        '',
        withEol(armored.trimEnd(), eol),
        '',
        `--${boundary}--`,
        '',
    ].join(eol);
    return Buffer.from(text, 'latin1');
}
//# sourceMappingURL=pgp-mime.js.map