// The SMTorP peer card: a short text block a household gives another one (file, paste or QR code)
// so their boxes deliver to each other over Tor. It names the box's mail domains, its SMTP onion
// address and the SHA-256 fingerprint of the TLS certificate the box presents (as server and as
// client), and is signed with the SMTP onion service's own Ed25519 key: the signature is checked
// against the public key inside the onion address, so a card cannot name an onion its maker does
// not control, and nobody can alter the domains or the fingerprint in transit. (A separate box
// signing key would need its own distribution and pinning; the onion key is already the box's
// identity on Tor.) The signed bytes carry a fixed context prefix, so they can never be mistaken
// for anything tor signs with that key.
import { isDomainName } from '../../appliance/config.js';
import { isOnionAddress, verifyByOnion, type OnionIdentity } from '../tor/onion-key.js';

const BEGIN = '-----BEGIN POSTERN PEER CARD-----';
const END = '-----END POSTERN PEER CARD-----';
const CONTEXT = 'postern-peer-card-v1\n';
const FIELDS = ['Version', 'Host', 'Domains', 'Onion', 'Port', 'TLS-SHA256', 'Created'] as const;

export interface PeerCard {
  host: string;
  domains: string[];
  onion: string;
  port: number;
  /** SHA-256 of the box's TLS certificate, lower-case hex */
  fingerprint: string;
  created: string;
}

export class PeerCardError extends Error {
  constructor(message: string) { super(message); this.name = 'PeerCardError'; }
}

function fieldLines(c: PeerCard): string[] {
  return [
    `Version: 1`,
    `Host: ${c.host}`,
    `Domains: ${c.domains.join(', ')}`,
    `Onion: ${c.onion}`,
    `Port: ${c.port}`,
    `TLS-SHA256: ${c.fingerprint}`,
    `Created: ${c.created}`,
  ];
}

function signedBytes(c: PeerCard): Buffer {
  return Buffer.from(CONTEXT + fieldLines(c).join('\n') + '\n', 'utf8');
}

function check(c: PeerCard): PeerCard {
  if (!isDomainName(c.host)) throw new PeerCardError(`the card's host ${JSON.stringify(c.host)} is not a host name`);
  if (c.domains.length === 0 || c.domains.length > 20) throw new PeerCardError('a card names 1 to 20 domains');
  for (const d of c.domains) if (!isDomainName(d) || d.endsWith('.onion')) throw new PeerCardError(`the card's domain ${JSON.stringify(d)} is not a mail domain`);
  if (!isOnionAddress(c.onion)) throw new PeerCardError(`the card's onion address ${JSON.stringify(c.onion)} is not a valid v3 onion address`);
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new PeerCardError('the card\'s port is not 1-65535');
  if (!/^[0-9a-f]{64}$/.test(c.fingerprint)) throw new PeerCardError('the card\'s TLS-SHA256 is not a SHA-256 fingerprint');
  if (Number.isNaN(Date.parse(c.created))) throw new PeerCardError('the card\'s Created date is not a date');
  return c;
}

/** Make and sign our card. `identity` is the SMTP onion's key. */
export function writePeerCard(card: Omit<PeerCard, 'onion' | 'created'> & { created?: string }, identity: OnionIdentity): string {
  const c = check({
    host: card.host.toLowerCase(),
    domains: [...new Set(card.domains.map((d) => d.toLowerCase()))],
    onion: identity.address,
    port: card.port,
    fingerprint: card.fingerprint.replace(/:/g, '').toLowerCase(),
    created: card.created ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const sig = identity.sign(signedBytes(c)).toString('base64');
  return [BEGIN, ...fieldLines(c), `Signature: ${sig}`, END].join('\n') + '\n';
}

/** Parse and verify a card (whitespace, CRLF and quoting by mail clients are tolerated). */
export function readPeerCard(text: string): PeerCard {
  const clean = text.replace(/\r/g, '').split('\n').map((l) => l.replace(/^[> ]+/, '').trim());
  const b = clean.indexOf(BEGIN);
  const e = clean.indexOf(END);
  if (b < 0 || e < b) throw new PeerCardError('no peer card found (it starts with "' + BEGIN + '")');
  const fields = new Map<string, string>();
  for (const l of clean.slice(b + 1, e)) {
    if (!l) continue;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(l);
    if (!m) throw new PeerCardError(`a card line is not "Name: value": ${JSON.stringify(l.slice(0, 60))}`);
    if (fields.has(m[1]!)) throw new PeerCardError(`the card has ${m[1]} twice`);
    fields.set(m[1]!, m[2]!);
  }
  for (const f of [...FIELDS, 'Signature']) if (!fields.has(f)) throw new PeerCardError(`the card has no ${f} line`);
  if (fields.get('Version') !== '1') throw new PeerCardError(`card version ${fields.get('Version')} is not supported (this Postern reads version 1)`);
  for (const k of fields.keys()) if (!(FIELDS as readonly string[]).includes(k) && k !== 'Signature') throw new PeerCardError(`the card has an unknown line ${k}`);
  const card = check({
    host: fields.get('Host')!.toLowerCase(),
    domains: fields.get('Domains')!.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    onion: fields.get('Onion')!.toLowerCase(),
    port: Number(fields.get('Port')),
    fingerprint: fields.get('TLS-SHA256')!.replace(/:/g, '').toLowerCase(),
    created: fields.get('Created')!,
  });
  const sig = Buffer.from(fields.get('Signature')!, 'base64');
  if (sig.length !== 64 || !verifyByOnion(card.onion, signedBytes(card), sig)) {
    throw new PeerCardError('the card\'s signature does not match its onion address: it was altered or not made by that box');
  }
  return card;
}
