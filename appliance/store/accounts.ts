// Domains, accounts and aliases.
import type { Db } from './database.js';
import { StoreError } from './errors.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import { isDomainName } from '../config.js';
import type { Mailboxes } from './mailboxes.js';

export type Role = 'admin' | 'member';

export interface Account {
  id: number;
  address: string;
  role: Role;
  quotaBytes: number;
  usedBytes: number;
  createdAt: number;
}

export interface Alias { address: string; target: string }

const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

/** Split and check an address; returns [local, domain] lower-cased. */
export function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) throw new StoreError('invalid', `"${address}" is not a mail address (expected name@domain)`);
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_RE.test(local)) throw new StoreError('invalid', `"${address}" has an invalid local part`);
  if (!isDomainName(domain)) throw new StoreError('invalid', `"${address}" has an invalid domain`);
  return [local, domain];
}

interface AccountRow { id: number; address: string; role: Role; quota_bytes: number; used_bytes: number; created_at: number; password_hash: string }

function toAccount(r: AccountRow): Account {
  return { id: r.id, address: r.address, role: r.role, quotaBytes: r.quota_bytes, usedBytes: r.used_bytes, createdAt: r.created_at };
}

export class Domains {
  constructor(private readonly db: Db) {}

  add(name: string): void {
    const n = name.toLowerCase();
    if (!isDomainName(n)) throw new StoreError('invalid', `"${name}" is not a valid domain name`);
    const r = this.db.prepare('INSERT OR IGNORE INTO domains (name, created_at) VALUES (?, ?)').run(n, Date.now());
    if (r.changes === 0) throw new StoreError('exists', `the domain ${n} is already there`);
  }

  /** Add if missing (configuration domains at start). */
  ensure(name: string): void {
    this.db.prepare('INSERT OR IGNORE INTO domains (name, created_at) VALUES (?, ?)').run(name.toLowerCase(), Date.now());
  }

  list(): string[] {
    return (this.db.prepare('SELECT name FROM domains ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }

  has(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM domains WHERE name = ?').get(name.toLowerCase()) !== undefined;
  }

  remove(name: string): void {
    const n = name.toLowerCase();
    const used = this.db.prepare('SELECT COUNT(*) AS n FROM accounts a JOIN domains d ON a.domain_id = d.id WHERE d.name = ?').get(n) as { n: number };
    if (used.n > 0) throw new StoreError('in-use', `the domain ${n} still has ${used.n} account(s); remove them first`);
    const r = this.db.prepare('DELETE FROM domains WHERE name = ?').run(n);
    if (r.changes === 0) throw new StoreError('not-found', `there is no domain ${n}`);
  }
}

export class Accounts {
  constructor(private readonly db: Db, private readonly mailboxes: Mailboxes) {}

  async create(address: string, password: string, opts: { role?: Role; quotaBytes?: number } = {}): Promise<Account> {
    const [local, domain] = splitAddress(address);
    const addr = `${local}@${domain}`;
    if (password.length < 8) throw new StoreError('invalid', 'the password must have at least 8 characters');
    const d = this.db.prepare('SELECT id FROM domains WHERE name = ?').get(domain) as { id: number } | undefined;
    if (!d) throw new StoreError('not-found', `the domain ${domain} is not one of this box's domains (add it with "postern domain add ${domain}")`);
    if (this.byAddress(addr)) throw new StoreError('exists', `the account ${addr} already exists`);
    if (this.db.prepare('SELECT 1 FROM aliases WHERE address = ?').get(addr)) throw new StoreError('exists', `${addr} is already an alias`);
    const hash = await hashPassword(password);
    const now = Date.now();
    const id = this.db.transaction(() => {
      const r = this.db.prepare('INSERT INTO accounts (address, domain_id, password_hash, role, quota_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(addr, d.id, hash, opts.role ?? 'member', opts.quotaBytes ?? 0, now);
      const accountId = Number(r.lastInsertRowid);
      this.mailboxes.createDefaults(accountId);
      return accountId;
    }).immediate();
    return this.byId(id)!;
  }

  byAddress(address: string): Account | undefined {
    const r = this.db.prepare('SELECT * FROM accounts WHERE address = ?').get(address.toLowerCase()) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byId(id: number): Account | undefined {
    const r = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  /** The account with this address; StoreError 'not-found' when there is none. */
  require(address: string): Account {
    const a = this.byAddress(address);
    if (!a) throw new StoreError('not-found', `there is no account ${address}`);
    return a;
  }

  /** The account with this id; StoreError 'not-found' when there is none (removed meanwhile). */
  requireById(id: number): Account {
    const a = this.byId(id);
    if (!a) throw new StoreError('not-found', `account ${id} does not exist`);
    return a;
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY address').all() as AccountRow[]).map(toAccount);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  }

  /** The account if the password is right; undefined otherwise (same time either way). */
  async authenticate(address: string, password: string): Promise<Account | undefined> {
    const r = this.db.prepare('SELECT * FROM accounts WHERE address = ?').get(address.toLowerCase().trim()) as AccountRow | undefined;
    if (!r) {
      await verifyPassword(await dummyHash(), password);
      return undefined;
    }
    return (await verifyPassword(r.password_hash, password)) ? toAccount(r) : undefined;
  }

  async setPassword(address: string, password: string): Promise<void> {
    if (password.length < 8) throw new StoreError('invalid', 'the password must have at least 8 characters');
    const hash = await hashPassword(password);
    const r = this.db.prepare('UPDATE accounts SET password_hash = ? WHERE address = ?').run(hash, address.toLowerCase());
    if (r.changes === 0) throw new StoreError('not-found', `there is no account ${address}`);
  }

  setRole(address: string, role: Role): void {
    const r = this.db.prepare('UPDATE accounts SET role = ? WHERE address = ?').run(role, address.toLowerCase());
    if (r.changes === 0) throw new StoreError('not-found', `there is no account ${address}`);
  }

  setQuota(address: string, quotaBytes: number): void {
    if (!Number.isInteger(quotaBytes) || quotaBytes < 0) throw new StoreError('invalid', 'the quota must be a whole number of bytes (0 for none)');
    const r = this.db.prepare('UPDATE accounts SET quota_bytes = ? WHERE address = ?').run(quotaBytes, address.toLowerCase());
    if (r.changes === 0) throw new StoreError('not-found', `there is no account ${address}`);
  }

  /** Remove an account with its mailboxes, messages and aliases, in one transaction. Returns the
   *  blob ids that may have lost their last reference (the caller reclaims them). */
  remove(address: string): void {
    const acc = this.byAddress(address);
    if (!acc) throw new StoreError('not-found', `there is no account ${address}`);
    this.db.prepare('DELETE FROM accounts WHERE id = ?').run(acc.id);
  }
}

export class Aliases {
  constructor(private readonly db: Db) {}

  add(alias: string, target: string): void {
    const [l, d] = splitAddress(alias);
    const addr = `${l}@${d}`;
    if (!this.db.prepare('SELECT 1 FROM domains WHERE name = ?').get(d)) throw new StoreError('not-found', `the domain ${d} is not one of this box's domains`);
    const t = this.db.prepare('SELECT id FROM accounts WHERE address = ?').get(target.toLowerCase()) as { id: number } | undefined;
    if (!t) throw new StoreError('not-found', `the target ${target} is not an account on this box`);
    if (this.db.prepare('SELECT 1 FROM accounts WHERE address = ?').get(addr)) throw new StoreError('exists', `${addr} is an account, not free for an alias`);
    const r = this.db.prepare('INSERT OR IGNORE INTO aliases (address, account_id, created_at) VALUES (?, ?, ?)').run(addr, t.id, Date.now());
    if (r.changes === 0) throw new StoreError('exists', `the alias ${addr} -> ${target} already exists`);
  }

  remove(alias: string, target?: string): void {
    const r = target
      ? this.db.prepare('DELETE FROM aliases WHERE address = ? AND account_id = (SELECT id FROM accounts WHERE address = ?)').run(alias.toLowerCase(), target.toLowerCase())
      : this.db.prepare('DELETE FROM aliases WHERE address = ?').run(alias.toLowerCase());
    if (r.changes === 0) throw new StoreError('not-found', `there is no alias ${alias}`);
  }

  list(): Alias[] {
    return this.db.prepare('SELECT al.address AS address, a.address AS target FROM aliases al JOIN accounts a ON a.id = al.account_id ORDER BY al.address').all() as Alias[];
  }

  /** Addresses (the account's own and its aliases) an account may send as. */
  addressesOf(accountId: number): string[] {
    const own = this.db.prepare('SELECT address FROM accounts WHERE id = ?').get(accountId) as { address: string } | undefined;
    const al = (this.db.prepare('SELECT address FROM aliases WHERE account_id = ?').all(accountId) as { address: string }[]).map((r) => r.address);
    return own ? [own.address, ...al] : al;
  }

  /** The accounts an address delivers to: the account itself, or every target of an alias.
   *  Subaddresses (user+tag@domain) deliver like user@domain. Empty when unknown. */
  resolve(address: string): number[] {
    const addr = address.toLowerCase();
    const direct = this.db.prepare('SELECT id FROM accounts WHERE address = ?').get(addr) as { id: number } | undefined;
    if (direct) return [direct.id];
    const viaAlias = (this.db.prepare('SELECT account_id FROM aliases WHERE address = ?').all(addr) as { account_id: number }[]).map((r) => r.account_id);
    if (viaAlias.length) return viaAlias;
    const plus = /^([^+]+)\+[^@]*(@.+)$/.exec(addr);
    return plus ? this.resolve(plus[1]! + plus[2]!) : [];
  }
}
