// OpenPGP records (migration 600): account keys, Autocrypt peer state, peer key changes. Data
// access only; the rules (wrapping, Autocrypt's update algorithm, trust decisions) live in
// services/pgp/.
import type { Db } from './database.js';
import { StoreError } from './errors.js';

export type PreferEncrypt = 'mutual' | 'nopreference';

export interface AccountKeyRecord {
  accountId: number;
  fingerprint: string;
  publicKey: Buffer;
  /** sealed secret key under the password; null when it needs the recovery code */
  passwordWrap: string | null;
  recoveryWrap: string;
  preferEncrypt: PreferEncrypt;
  encryptAtRest: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface AutocryptPeer {
  accountId: number;
  addr: string;
  firstSeen: number;
  lastSeen: number;
  autocryptTimestamp: number | null;
  fingerprint: string | null;
  publicKey: Buffer | null;
  preferEncrypt: PreferEncrypt;
}

export type KeyChangeStatus = 'pending' | 'accepted' | 'rejected';

export interface PeerKeyChange {
  id: number;
  accountId: number;
  addr: string;
  oldFingerprint: string;
  newFingerprint: string;
  newKey: Buffer;
  preferEncrypt: PreferEncrypt;
  firstSeen: number;
  lastSeen: number;
  status: KeyChangeStatus;
  decidedAt: number | null;
}

interface KeyRow { account_id: number; fingerprint: string; public_key: Buffer; password_wrap: string | null; recovery_wrap: string; prefer_encrypt: PreferEncrypt; encrypt_at_rest: number; created_at: number; updated_at: number }
interface PeerRow { account_id: number; addr: string; first_seen: number; last_seen: number; autocrypt_timestamp: number | null; fingerprint: string | null; public_key: Buffer | null; prefer_encrypt: PreferEncrypt }
interface ChangeRow { id: number; account_id: number; addr: string; old_fingerprint: string; new_fingerprint: string; new_key: Buffer; prefer_encrypt: PreferEncrypt; first_seen: number; last_seen: number; status: KeyChangeStatus; decided_at: number | null }

function toKey(r: KeyRow): AccountKeyRecord {
  return { accountId: r.account_id, fingerprint: r.fingerprint, publicKey: r.public_key, passwordWrap: r.password_wrap, recoveryWrap: r.recovery_wrap, preferEncrypt: r.prefer_encrypt, encryptAtRest: r.encrypt_at_rest === 1, createdAt: r.created_at, updatedAt: r.updated_at };
}
function toPeer(r: PeerRow): AutocryptPeer {
  return { accountId: r.account_id, addr: r.addr, firstSeen: r.first_seen, lastSeen: r.last_seen, autocryptTimestamp: r.autocrypt_timestamp, fingerprint: r.fingerprint, publicKey: r.public_key, preferEncrypt: r.prefer_encrypt };
}
function toChange(r: ChangeRow): PeerKeyChange {
  return { id: r.id, accountId: r.account_id, addr: r.addr, oldFingerprint: r.old_fingerprint, newFingerprint: r.new_fingerprint, newKey: r.new_key, preferEncrypt: r.prefer_encrypt, firstSeen: r.first_seen, lastSeen: r.last_seen, status: r.status, decidedAt: r.decided_at };
}

export class OpenPgpRecords {
  constructor(private readonly db: Db) {}

  // --- account keys ---

  key(accountId: number): AccountKeyRecord | undefined {
    const r = this.db.prepare('SELECT * FROM openpgp_account_keys WHERE account_id = ?').get(accountId) as KeyRow | undefined;
    return r ? toKey(r) : undefined;
  }

  /** Insert or replace an account's key (settings are kept when the row exists). */
  putKey(k: { accountId: number; fingerprint: string; publicKey: Buffer; passwordWrap: string | null; recoveryWrap: string }): void {
    const now = Date.now();
    this.db.prepare(`INSERT INTO openpgp_account_keys (account_id, fingerprint, public_key, password_wrap, recovery_wrap, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id) DO UPDATE SET fingerprint = excluded.fingerprint, public_key = excluded.public_key,
        password_wrap = excluded.password_wrap, recovery_wrap = excluded.recovery_wrap, updated_at = excluded.updated_at`)
      .run(k.accountId, k.fingerprint, k.publicKey, k.passwordWrap, k.recoveryWrap, now, now);
  }

  setPasswordWrap(accountId: number, wrap: string | null): void {
    this.update(accountId, 'password_wrap = ?', wrap);
  }

  setPreferEncrypt(accountId: number, value: PreferEncrypt): void {
    this.update(accountId, 'prefer_encrypt = ?', value);
  }

  setEncryptAtRest(accountId: number, on: boolean): void {
    this.update(accountId, 'encrypt_at_rest = ?', on ? 1 : 0);
  }

  private update(accountId: number, assignment: string, value: string | number | null): void {
    const r = this.db.prepare(`UPDATE openpgp_account_keys SET ${assignment}, updated_at = ? WHERE account_id = ?`).run(value, Date.now(), accountId);
    if (r.changes === 0) throw new StoreError('not-found', `account ${accountId} has no OpenPGP key`);
  }

  // --- Autocrypt peers ---

  peer(accountId: number, addr: string): AutocryptPeer | undefined {
    const r = this.db.prepare('SELECT * FROM autocrypt_peers WHERE account_id = ? AND addr = ?').get(accountId, addr.toLowerCase()) as PeerRow | undefined;
    return r ? toPeer(r) : undefined;
  }

  peers(accountId: number): AutocryptPeer[] {
    return (this.db.prepare('SELECT * FROM autocrypt_peers WHERE account_id = ? ORDER BY addr').all(accountId) as PeerRow[]).map(toPeer);
  }

  putPeer(p: AutocryptPeer): void {
    this.db.prepare(`INSERT INTO autocrypt_peers (account_id, addr, first_seen, last_seen, autocrypt_timestamp, fingerprint, public_key, prefer_encrypt)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id, addr) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen,
        autocrypt_timestamp = excluded.autocrypt_timestamp, fingerprint = excluded.fingerprint, public_key = excluded.public_key,
        prefer_encrypt = excluded.prefer_encrypt`)
      .run(p.accountId, p.addr.toLowerCase(), p.firstSeen, p.lastSeen, p.autocryptTimestamp, p.fingerprint, p.publicKey, p.preferEncrypt);
  }

  // --- peer key changes ---

  keyChanges(accountId: number, status?: KeyChangeStatus): PeerKeyChange[] {
    const rows = status
      ? this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE account_id = ? AND status = ? ORDER BY id').all(accountId, status)
      : this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE account_id = ? ORDER BY id').all(accountId);
    return (rows as ChangeRow[]).map(toChange);
  }

  keyChange(id: number): PeerKeyChange | undefined {
    const r = this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE id = ?').get(id) as ChangeRow | undefined;
    return r ? toChange(r) : undefined;
  }

  /** Record a key change seen for a peer; a pending one for the same new key is refreshed instead. */
  noteKeyChange(c: { accountId: number; addr: string; oldFingerprint: string; newFingerprint: string; newKey: Buffer; preferEncrypt: PreferEncrypt; seenAt: number }): number {
    const addr = c.addr.toLowerCase();
    const existing = this.db.prepare("SELECT id, first_seen, last_seen FROM autocrypt_key_changes WHERE account_id = ? AND addr = ? AND new_fingerprint = ? AND status = 'pending'")
      .get(c.accountId, addr, c.newFingerprint) as { id: number } | undefined;
    if (existing) {
      this.db.prepare('UPDATE autocrypt_key_changes SET last_seen = MAX(last_seen, ?), new_key = ?, prefer_encrypt = ? WHERE id = ?').run(c.seenAt, c.newKey, c.preferEncrypt, existing.id);
      return existing.id;
    }
    const r = this.db.prepare('INSERT INTO autocrypt_key_changes (account_id, addr, old_fingerprint, new_fingerprint, new_key, prefer_encrypt, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.accountId, addr, c.oldFingerprint, c.newFingerprint, c.newKey, c.preferEncrypt, c.seenAt, c.seenAt);
    return Number(r.lastInsertRowid);
  }

  setKeyChangeStatus(id: number, status: KeyChangeStatus): void {
    const r = this.db.prepare('UPDATE autocrypt_key_changes SET status = ?, decided_at = ? WHERE id = ?').run(status, Date.now(), id);
    if (r.changes === 0) throw new StoreError('not-found', `there is no key change ${id}`);
  }
}
