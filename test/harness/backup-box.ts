// Helpers for the backup tests: a box with mail in several accounts and mailboxes put there by real
// clients (nodemailer over submission, imapflow APPEND/STORE/EXPUNGE), the box's state as a client
// sees it over IMAP (UIDVALIDITY, UIDs, flags, SHA-256 of every message), and the CLI's config.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { tempDir, type TestAppliance } from './appliance.js';
import { postern, type CliResult } from './cli.js';
import { createAccountKey, keyStatus } from '../../services/pgp/account-keys.js';
import { PeerBook, writePeerCard } from '../../services/smtorp/index.js';
import { addPeerCard } from '../../services/smtorp/own-card.js';
import { OnionIdentity } from '../../services/tor/onion-key.js';

export const PASSWORDS: Record<string, string> = {
  'alice@example.test': 'correct horse battery',
  'bob@example.test': 'tr0ub4dor and then some',
  'carol@example.test': 'kumquat kumquat kumquat',
};

export function cliConfig(dataDir: string, file: string): string {
  writeFileSync(file, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' } }));
  return file;
}

export function cli(config: string, args: string[], input?: string, timeoutMs = 300_000): Promise<CliResult> {
  return postern([...args, '--config', config], { ...(input !== undefined ? { input } : {}), timeoutMs });
}

export async function imapClient(app: TestAppliance, user: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user, pass: PASSWORDS[user]! }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' }, logger: false, disableAutoIdle: true });
  await c.connect();
  return c;
}

export function message(i: number, to: string, size = 0): Buffer {
  const filler = size > 0 ? '\r\n' + 'the quick brown fox jumps over the lazy dog 0123456789\r\n'.repeat(Math.ceil(size / 56)) : '';
  return Buffer.from(`From: Dora <dora@elsewhere.example>\r\nTo: ${to}\r\nSubject: note ${i}\r\nMessage-ID: <n${i}.${to}@elsewhere.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nNote number ${i} for ${to}.${filler}\r\n`);
}

/** Accounts (each with its OpenPGP key, as `user add` and the panel make them), an SMTorP peer,
 *  mail over submission, more mail appended over IMAP into several mailboxes, flags and an expunge
 *  (so the UIDs have gaps). */
export async function fillBox(app: TestAppliance, round: number): Promise<void> {
  if (round === 0) {
    await app.store.accounts.create('alice@example.test', PASSWORDS['alice@example.test']!, { role: 'admin' });
    await app.store.accounts.create('bob@example.test', PASSWORDS['bob@example.test']!);
    await app.store.accounts.create('carol@example.test', PASSWORDS['carol@example.test']!);
    for (const a of app.store.accounts.list()) if (!keyStatus(app.store, a.id)) await createAccountKey(app.store, a.id, PASSWORDS[a.address]!);
    // a peer box's card (a peer of its own: an onion key made for it, a TLS key pin)
    const peerKey = OnionIdentity.loadOrCreate(join(tempDir('postern-peer-z-'), 'smtp.key'));
    addPeerCard(app.store, app.config, writePeerCard({ host: 'mail.peer-z.test', domains: ['peer-z.test'], port: 25, spki: 'ab'.repeat(32) }, peerKey));
  }
  const transport = nodemailer.createTransport({
    host: '127.0.0.1', port: app.port('submissions'), secure: true,
    auth: { user: 'alice@example.test', pass: PASSWORDS['alice@example.test']! }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' },
  });
  try {
    for (let i = 0; i < 3; i++) {
      await transport.sendMail({ from: 'alice@example.test', to: ['bob@example.test', 'carol@example.test'], subject: `round ${round} letter ${i}`, text: `Letter ${i} of round ${round}.\n` });
    }
  } finally {
    transport.close();
  }
  for (const user of ['bob@example.test', 'carol@example.test']) {
    const c = await imapClient(app, user);
    try {
      if (round === 0) await c.mailboxCreate('Projects/Kumquat');
      for (let i = 0; i < 4; i++) await c.append(i % 2 ? 'Projects/Kumquat' : 'Archive', message(round * 10 + i, user), i === 0 ? ['\\Seen', '\\Flagged'] : []);
      await c.mailboxOpen('INBOX');
      await c.messageFlagsAdd('1', ['\\Answered', '$Label1']);
      if (round === 0) await c.messageDelete('2'); // a gap in INBOX's UIDs
    } finally {
      await c.logout();
    }
  }
}

export interface MailboxView { uidValidity: string; uidNext: string; messages: { uid: number; flags: string[]; sha256: string }[] }

/** Every mailbox of an account as an IMAP client sees it. */
export async function viewOverImap(app: TestAppliance, user: string): Promise<Record<string, MailboxView>> {
  const c = await imapClient(app, user);
  const out: Record<string, MailboxView> = {};
  try {
    for (const box of (await c.list()).map((b) => b.path).sort()) {
      const mb = await c.mailboxOpen(box, { readOnly: true });
      const messages: MailboxView['messages'] = [];
      if (mb.exists > 0) {
        for await (const m of c.fetch('1:*', { uid: true, flags: true, source: true })) {
          messages.push({ uid: m.uid, flags: [...(m.flags ?? [])].sort(), sha256: createHash('sha256').update(m.source!).digest('hex') });
        }
      }
      out[box] = { uidValidity: String(mb.uidValidity), uidNext: String(mb.uidNext), messages };
    }
  } finally {
    await c.logout();
  }
  return out;
}

export function recoveryCodeOf(stdout: string): string {
  const m = /recovery code: ([A-Z2-9]{4}(?:-[A-Z2-9]{4}){7})/.exec(stdout);
  if (!m) throw new Error(`no recovery code in:\n${stdout}`);
  return m[1]!;
}

export const configIn = (dir: string, name: string): string => join(dir, name);

/** What else a restored box must have as A had it: each account's OpenPGP key, the peer book. */
export function keysAndPeers(app: TestAppliance): { pgp: Record<string, string | undefined>; peers: unknown[] } {
  const pgp: Record<string, string | undefined> = {};
  for (const a of app.store.accounts.list()) pgp[a.address] = keyStatus(app.store, a.id)?.fingerprint;
  return { pgp, peers: new PeerBook(app.store).list() };
}
