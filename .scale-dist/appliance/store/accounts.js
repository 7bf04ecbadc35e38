import { StoreError } from './errors.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import { isDomainName } from '../config.js';
const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
/** Split and check an address; returns [local, domain] lower-cased. */
export function splitAddress(address) {
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1)
        throw new StoreError('invalid', `"${address}" is not a mail address (expected name@domain)`);
    const local = address.slice(0, at).toLowerCase();
    const domain = address.slice(at + 1).toLowerCase();
    if (local.length > 64 || !LOCAL_RE.test(local))
        throw new StoreError('invalid', `"${address}" has an invalid local part`);
    if (!isDomainName(domain))
        throw new StoreError('invalid', `"${address}" has an invalid domain`);
    return [local, domain];
}
function toAccount(r) {
    return { id: r.id, address: r.address, role: r.role, quotaBytes: r.quota_bytes, usedBytes: r.used_bytes, createdAt: r.created_at };
}
export class Domains {
    db;
    constructor(db) {
        this.db = db;
    }
    add(name) {
        const n = name.toLowerCase();
        if (!isDomainName(n))
            throw new StoreError('invalid', `"${name}" is not a valid domain name`);
        const r = this.db.prepare('INSERT OR IGNORE INTO domains (name, created_at) VALUES (?, ?)').run(n, Date.now());
        if (r.changes === 0)
            throw new StoreError('exists', `the domain ${n} is already there`);
    }
    /** Add if missing (configuration domains at start). */
    ensure(name) {
        this.db.prepare('INSERT OR IGNORE INTO domains (name, created_at) VALUES (?, ?)').run(name.toLowerCase(), Date.now());
    }
    list() {
        return this.db.prepare('SELECT name FROM domains ORDER BY name').all().map((r) => r.name);
    }
    has(name) {
        return this.db.prepare('SELECT 1 FROM domains WHERE name = ?').get(name.toLowerCase()) !== undefined;
    }
    remove(name) {
        const n = name.toLowerCase();
        const used = this.db.prepare('SELECT COUNT(*) AS n FROM accounts a JOIN domains d ON a.domain_id = d.id WHERE d.name = ?').get(n);
        if (used.n > 0)
            throw new StoreError('in-use', `the domain ${n} still has ${used.n} account(s); remove them first`);
        const r = this.db.prepare('DELETE FROM domains WHERE name = ?').run(n);
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no domain ${n}`);
    }
}
export class Accounts {
    db;
    mailboxes;
    constructor(db, mailboxes) {
        this.db = db;
        this.mailboxes = mailboxes;
    }
    async create(address, password, opts = {}) {
        const [local, domain] = splitAddress(address);
        const addr = `${local}@${domain}`;
        if (password.length < 8)
            throw new StoreError('invalid', 'the password must have at least 8 characters');
        const d = this.db.prepare('SELECT id FROM domains WHERE name = ?').get(domain);
        if (!d)
            throw new StoreError('not-found', `the domain ${domain} is not one of this box's domains (add it with "postern domain add ${domain}")`);
        if (this.byAddress(addr))
            throw new StoreError('exists', `the account ${addr} already exists`);
        if (this.db.prepare('SELECT 1 FROM aliases WHERE address = ?').get(addr))
            throw new StoreError('exists', `${addr} is already an alias`);
        const hash = await hashPassword(password);
        const now = Date.now();
        const id = this.db.transaction(() => {
            const r = this.db.prepare('INSERT INTO accounts (address, domain_id, password_hash, role, quota_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
                .run(addr, d.id, hash, opts.role ?? 'member', opts.quotaBytes ?? 0, now);
            const accountId = Number(r.lastInsertRowid);
            this.mailboxes.createDefaults(accountId);
            return accountId;
        }).immediate();
        return this.byId(id);
    }
    byAddress(address) {
        const r = this.db.prepare('SELECT * FROM accounts WHERE address = ?').get(address.toLowerCase());
        return r ? toAccount(r) : undefined;
    }
    byId(id) {
        const r = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id);
        return r ? toAccount(r) : undefined;
    }
    /** The account with this address; StoreError 'not-found' when there is none. */
    require(address) {
        const a = this.byAddress(address);
        if (!a)
            throw new StoreError('not-found', `there is no account ${address}`);
        return a;
    }
    /** The account with this id; StoreError 'not-found' when there is none (removed meanwhile). */
    requireById(id) {
        const a = this.byId(id);
        if (!a)
            throw new StoreError('not-found', `account ${id} does not exist`);
        return a;
    }
    list() {
        return this.db.prepare('SELECT * FROM accounts ORDER BY address').all().map(toAccount);
    }
    count() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get().n;
    }
    /** The account if the password is right; undefined otherwise (same time either way). */
    async authenticate(address, password) {
        const r = this.db.prepare('SELECT * FROM accounts WHERE address = ?').get(address.toLowerCase().trim());
        if (!r) {
            await verifyPassword(await dummyHash(), password);
            return undefined;
        }
        return (await verifyPassword(r.password_hash, password)) ? toAccount(r) : undefined;
    }
    async setPassword(address, password) {
        if (password.length < 8)
            throw new StoreError('invalid', 'the password must have at least 8 characters');
        const hash = await hashPassword(password);
        const r = this.db.prepare('UPDATE accounts SET password_hash = ? WHERE address = ?').run(hash, address.toLowerCase());
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no account ${address}`);
    }
    setRole(address, role) {
        const r = this.db.prepare('UPDATE accounts SET role = ? WHERE address = ?').run(role, address.toLowerCase());
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no account ${address}`);
    }
    setQuota(address, quotaBytes) {
        if (!Number.isInteger(quotaBytes) || quotaBytes < 0)
            throw new StoreError('invalid', 'the quota must be a whole number of bytes (0 for none)');
        const r = this.db.prepare('UPDATE accounts SET quota_bytes = ? WHERE address = ?').run(quotaBytes, address.toLowerCase());
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no account ${address}`);
    }
    /** Remove an account with its mailboxes, messages and aliases, in one transaction. Returns the
     *  blob ids that may have lost their last reference (the caller reclaims them). */
    remove(address) {
        const acc = this.byAddress(address);
        if (!acc)
            throw new StoreError('not-found', `there is no account ${address}`);
        this.db.prepare('DELETE FROM accounts WHERE id = ?').run(acc.id);
    }
}
export class Aliases {
    db;
    constructor(db) {
        this.db = db;
    }
    add(alias, target) {
        const [l, d] = splitAddress(alias);
        const addr = `${l}@${d}`;
        if (!this.db.prepare('SELECT 1 FROM domains WHERE name = ?').get(d))
            throw new StoreError('not-found', `the domain ${d} is not one of this box's domains`);
        const t = this.db.prepare('SELECT id FROM accounts WHERE address = ?').get(target.toLowerCase());
        if (!t)
            throw new StoreError('not-found', `the target ${target} is not an account on this box`);
        if (this.db.prepare('SELECT 1 FROM accounts WHERE address = ?').get(addr))
            throw new StoreError('exists', `${addr} is an account, not free for an alias`);
        const r = this.db.prepare('INSERT OR IGNORE INTO aliases (address, account_id, created_at) VALUES (?, ?, ?)').run(addr, t.id, Date.now());
        if (r.changes === 0)
            throw new StoreError('exists', `the alias ${addr} -> ${target} already exists`);
    }
    remove(alias, target) {
        const r = target
            ? this.db.prepare('DELETE FROM aliases WHERE address = ? AND account_id = (SELECT id FROM accounts WHERE address = ?)').run(alias.toLowerCase(), target.toLowerCase())
            : this.db.prepare('DELETE FROM aliases WHERE address = ?').run(alias.toLowerCase());
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no alias ${alias}`);
    }
    list() {
        return this.db.prepare('SELECT al.address AS address, a.address AS target FROM aliases al JOIN accounts a ON a.id = al.account_id ORDER BY al.address').all();
    }
    /** Addresses (the account's own and its aliases) an account may send as. */
    addressesOf(accountId) {
        const own = this.db.prepare('SELECT address FROM accounts WHERE id = ?').get(accountId);
        const al = this.db.prepare('SELECT address FROM aliases WHERE account_id = ?').all(accountId).map((r) => r.address);
        return own ? [own.address, ...al] : al;
    }
    /** The accounts an address delivers to: the account itself, or every target of an alias.
     *  Subaddresses (user+tag@domain) deliver like user@domain. Empty when unknown. */
    resolve(address) {
        const addr = address.toLowerCase();
        const direct = this.db.prepare('SELECT id FROM accounts WHERE address = ?').get(addr);
        if (direct)
            return [direct.id];
        const viaAlias = this.db.prepare('SELECT account_id FROM aliases WHERE address = ?').all(addr).map((r) => r.account_id);
        if (viaAlias.length)
            return viaAlias;
        const plus = /^([^+]+)\+[^@]*(@.+)$/.exec(addr);
        return plus ? this.resolve(plus[1] + plus[2]) : [];
    }
}
//# sourceMappingURL=accounts.js.map