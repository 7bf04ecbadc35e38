// The SMTorP peer card: a short text block a household gives another one (file, paste or QR code)
// so their boxes deliver to each other over Tor. It names the box's mail domains, its SMTP onion
// address and the SHA-256 of the SubjectPublicKeyInfo of the TLS certificate the box presents (as
// server and as client; `TLS-SPKI-SHA256`, card version 2), and is signed with the SMTP onion service's own Ed25519 key: the signature is checked
// against the public key inside the onion address, so a card cannot name an onion its maker does
// not control, and nobody can alter the domains or the fingerprint in transit. (A separate box
// signing key would need its own distribution and pinning; the onion key is already the box's
// identity on Tor.) The signed bytes carry a fixed context prefix, so they can never be mistaken
// for anything tor signs with that key.
// Pinning the public key rather than the certificate (as DANE 3 1 1 and HPKP do) keeps a card valid
// when the box re-issues its certificate for a new domain or renews it: the key stays. Version 1
// cards pinned the certificate itself (`TLS-SHA256`); they are still read and honoured, and the
// peer list says such a peer should send a new card.
import { isDomainName } from '../../appliance/config.js';
import { isOnionAddress, verifyByOnion } from '../tor/onion-key.js';
const BEGIN = '-----BEGIN POSTERN PEER CARD-----';
const END = '-----END POSTERN PEER CARD-----';
const FIELDS = {
    1: ['Version', 'Host', 'Domains', 'Onion', 'Port', 'TLS-SHA256', 'Created'],
    2: ['Version', 'Host', 'Domains', 'Onion', 'Port', 'TLS-SPKI-SHA256', 'Created'],
};
function version(c) {
    return c.spki !== undefined ? 2 : 1;
}
export class PeerCardError extends Error {
    constructor(message) { super(message); this.name = 'PeerCardError'; }
}
function fieldLines(c) {
    return [
        `Version: ${version(c)}`,
        `Host: ${c.host}`,
        `Domains: ${c.domains.join(', ')}`,
        `Onion: ${c.onion}`,
        `Port: ${c.port}`,
        c.spki !== undefined ? `TLS-SPKI-SHA256: ${c.spki}` : `TLS-SHA256: ${c.fingerprint ?? ''}`,
        `Created: ${c.created}`,
    ];
}
function signedBytes(c) {
    return Buffer.from(`postern-peer-card-v${version(c)}\n` + fieldLines(c).join('\n') + '\n', 'utf8');
}
function check(c) {
    if (!isDomainName(c.host))
        throw new PeerCardError(`the card's host ${JSON.stringify(c.host)} is not a host name`);
    if (c.domains.length === 0 || c.domains.length > 20)
        throw new PeerCardError('a card names 1 to 20 domains');
    for (const d of c.domains)
        if (!isDomainName(d) || d.endsWith('.onion'))
            throw new PeerCardError(`the card's domain ${JSON.stringify(d)} is not a mail domain`);
    if (!isOnionAddress(c.onion))
        throw new PeerCardError(`the card's onion address ${JSON.stringify(c.onion)} is not a valid v3 onion address`);
    if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535)
        throw new PeerCardError('the card\'s port is not 1-65535');
    if ((c.spki === undefined) === (c.fingerprint === undefined))
        throw new PeerCardError('a card pins either the TLS public key or (older cards) the certificate');
    if (c.spki !== undefined && !/^[0-9a-f]{64}$/.test(c.spki))
        throw new PeerCardError('the card\'s TLS-SPKI-SHA256 is not a SHA-256 value');
    if (c.fingerprint !== undefined && !/^[0-9a-f]{64}$/.test(c.fingerprint))
        throw new PeerCardError('the card\'s TLS-SHA256 is not a SHA-256 fingerprint');
    if (Number.isNaN(Date.parse(c.created)))
        throw new PeerCardError('the card\'s Created date is not a date');
    return c;
}
function hex(v) {
    return v.replace(/:/g, '').toLowerCase();
}
/** Make and sign our card. `identity` is the SMTP onion's key. Give `spki` (a version 2 card);
 *  `fingerprint` alone makes a version 1 card as older boxes did. */
export function writePeerCard(card, identity) {
    const c = check({
        host: card.host.toLowerCase(),
        domains: [...new Set(card.domains.map((d) => d.toLowerCase()))],
        onion: identity.address,
        port: card.port,
        ...(card.spki !== undefined ? { spki: hex(card.spki) } : card.fingerprint !== undefined ? { fingerprint: hex(card.fingerprint) } : {}),
        created: card.created ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const sig = identity.sign(signedBytes(c)).toString('base64');
    return [BEGIN, ...fieldLines(c), `Signature: ${sig}`, END].join('\n') + '\n';
}
/** Parse and verify a card (whitespace, CRLF and quoting by mail clients are tolerated). */
export function readPeerCard(text) {
    const clean = text.replace(/\r/g, '').split('\n').map((l) => l.replace(/^[> ]+/, '').trim());
    const b = clean.indexOf(BEGIN);
    const e = clean.indexOf(END);
    if (b < 0 || e < b)
        throw new PeerCardError('no peer card found (it starts with "' + BEGIN + '")');
    const fields = new Map();
    for (const l of clean.slice(b + 1, e)) {
        if (!l)
            continue;
        const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(l);
        if (!m)
            throw new PeerCardError(`a card line is not "Name: value": ${JSON.stringify(l.slice(0, 60))}`);
        if (fields.has(m[1]))
            throw new PeerCardError(`the card has ${m[1]} twice`);
        fields.set(m[1], m[2]);
    }
    const v = fields.get('Version');
    if (v !== '1' && v !== '2')
        throw new PeerCardError(`card version ${v ?? '(none)'} is not supported (this Postern reads versions 1 and 2)`);
    const names = FIELDS[v === '1' ? 1 : 2];
    for (const f of [...names, 'Signature'])
        if (!fields.has(f))
            throw new PeerCardError(`the card has no ${f} line`);
    for (const k of fields.keys())
        if (!names.includes(k) && k !== 'Signature')
            throw new PeerCardError(`the card has an unknown line ${k}`);
    const card = check({
        host: fields.get('Host').toLowerCase(),
        domains: fields.get('Domains').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
        onion: fields.get('Onion').toLowerCase(),
        port: Number(fields.get('Port')),
        ...(v === '1' ? { fingerprint: hex(fields.get('TLS-SHA256')) } : { spki: hex(fields.get('TLS-SPKI-SHA256')) }),
        created: fields.get('Created'),
    });
    const sig = Buffer.from(fields.get('Signature'), 'base64');
    if (sig.length !== 64 || !verifyByOnion(card.onion, signedBytes(card), sig)) {
        throw new PeerCardError('the card\'s signature does not match its onion address: it was altered or not made by that box');
    }
    return card;
}
//# sourceMappingURL=card.js.map