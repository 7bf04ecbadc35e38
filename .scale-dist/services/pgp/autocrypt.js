// Autocrypt Level 1 on the box: an Autocrypt header on mail an account submits (section 2.1), and
// the per-account peer state updated from incoming mail (section 2.3). Postern adds one rule of
// its own: a peer whose key changes keeps its old key until a person accepts the new one in the
// panel or the CLI (trust on first use); the change is recorded, never silently taken.
import * as openpgp from 'openpgp';
import { firstField, headerEnd, parseHeaderFields, parseStructured } from '../../appliance/mail/header.js';
import { log, redactAddress } from '../../appliance/log.js';
import { PgpError } from './errors.js';
import { formatAutocryptHeader, parseAutocryptHeader, singleAddress } from './autocrypt-header.js';
import { fingerprintOf } from './openpgp-key.js';
function headerFields(raw) {
    return parseHeaderFields(raw.subarray(0, headerEnd(raw)));
}
function lineEnding(raw) {
    const lf = raw.indexOf(0x0a);
    return lf > 0 && raw[lf - 1] === 0x0d ? '\r\n' : '\n';
}
// ---- outgoing ----
/** The Autocrypt header for mail `accountId` sends From `from`, or undefined when it has no key or
 *  `from` is not its own address (the key's user id is the account's address). */
export function autocryptHeaderFor(store, accountId, from, eol = '\r\n') {
    const account = store.accounts.byId(accountId);
    const key = store.openpgp.key(accountId);
    if (!account || !key || account.address !== from.toLowerCase())
        return undefined;
    return formatAutocryptHeader({ addr: account.address, preferEncrypt: key.preferEncrypt, keydata: key.publicKey }, eol);
}
/** Submission step: add the header unless the message already carries one. Returns the same
 *  Buffer when nothing changes. */
export async function addAutocryptHeader(store, msg) {
    const fields = headerFields(msg.raw);
    if (fields.some((f) => f.key === 'autocrypt'))
        return msg.raw;
    const fromHeader = firstField(fields, 'from');
    const from = fromHeader ? singleAddress(fromHeader) : undefined;
    if (!from)
        return msg.raw;
    const eol = lineEnding(msg.raw);
    const header = autocryptHeaderFor(store, msg.accountId, from, eol);
    if (!header)
        return msg.raw;
    return Buffer.concat([Buffer.from(header + eol), msg.raw]);
}
/** The effective date (section 2.3): the Date header, or now when absent or in the future. */
function effectiveDate(fields, now) {
    const d = firstField(fields, 'date');
    const t = d ? Date.parse(d.replace(/\([^()]*\)/g, ' ').trim()) : NaN;
    return Number.isFinite(t) ? Math.min(t, now) : now;
}
async function usableKey(keydata) {
    let key;
    try {
        key = await openpgp.readKey({ binaryKey: keydata });
    }
    catch (e) {
        throw new PgpError('invalid', `Autocrypt keydata is not an OpenPGP key: ${e.message}`);
    }
    if (key.isPrivate())
        throw new PgpError('invalid', 'Autocrypt keydata holds a secret key');
    try {
        await key.getEncryptionKey();
    }
    catch (e) {
        throw new PgpError('invalid', `Autocrypt key cannot encrypt: ${e.message}`);
    }
    return { fingerprint: fingerprintOf(key), binary: Buffer.from(key.write()) };
}
/** Update the account's peer state from one incoming message (Autocrypt Level 1, section 2.3). */
export async function processInbound(store, accountId, raw, now = Date.now()) {
    const fields = headerFields(raw);
    const fromValue = fields.filter((f) => f.key === 'from');
    if (fromValue.length !== 1)
        return { kind: 'ignored', reason: 'not exactly one From header' };
    const from = singleAddress(fromValue[0].value);
    if (!from)
        return { kind: 'ignored', reason: 'From is not a single address' };
    if (store.aliases.addressesOf(accountId).includes(from))
        return { kind: 'ignored', reason: 'mail from the account itself' };
    const ct = firstField(fields, 'content-type');
    if (ct && parseStructured(ct).value.toLowerCase() === 'multipart/report')
        return { kind: 'ignored', reason: 'multipart/report (a bounce or receipt)' };
    // Valid headers for this sender; more than one valid header means none (section 2.3).
    const valid = [];
    for (const f of fields.filter((x) => x.key === 'autocrypt')) {
        try {
            const h = parseAutocryptHeader(f.value);
            if (h.addr === from)
                valid.push(h);
        }
        catch (e) {
            if (!(e instanceof PgpError))
                throw e;
            log.debug('pgp.autocrypt.header-ignored', { reason: e.message });
        }
    }
    const header = valid.length === 1 ? valid[0] : undefined;
    const date = effectiveDate(fields, now);
    const peer = store.openpgp.peer(accountId, from);
    if (peer && peer.autocryptTimestamp !== null && date < peer.autocryptTimestamp)
        return { kind: 'ignored', reason: 'older than the last Autocrypt header seen' };
    if (!header) {
        if (peer && date > peer.lastSeen)
            store.openpgp.putPeer({ ...peer, lastSeen: date });
        return peer ? { kind: 'seen', addr: from } : { kind: 'ignored', reason: 'no valid Autocrypt header' };
    }
    let key;
    try {
        key = await usableKey(header.keydata);
    }
    catch (e) {
        if (!(e instanceof PgpError))
            throw e;
        if (peer && date > peer.lastSeen)
            store.openpgp.putPeer({ ...peer, lastSeen: date });
        return { kind: 'ignored', reason: e.message };
    }
    const lastSeen = Math.max(peer?.lastSeen ?? date, date);
    if (peer?.fingerprint && peer.fingerprint !== key.fingerprint) {
        // A different key: record it and keep the old one until a person decides.
        const changeId = store.transaction(() => {
            store.openpgp.putPeer({ ...peer, lastSeen });
            return store.openpgp.noteKeyChange({ accountId, addr: from, oldFingerprint: peer.fingerprint, newFingerprint: key.fingerprint, newKey: key.binary, preferEncrypt: header.preferEncrypt, seenAt: date });
        });
        log.warn('pgp.autocrypt.key-change', { account: accountId, peer: redactAddress(from) });
        return { kind: 'key-change', addr: from, changeId, oldFingerprint: peer.fingerprint, newFingerprint: key.fingerprint };
    }
    store.openpgp.putPeer({
        accountId, addr: from, firstSeen: peer?.firstSeen ?? date, lastSeen, autocryptTimestamp: date,
        fingerprint: key.fingerprint, publicKey: key.binary, preferEncrypt: header.preferEncrypt,
    });
    return { kind: 'updated', addr: from, fingerprint: key.fingerprint };
}
// ---- for the panel and the CLI ----
export function listPeers(store, accountId) {
    return store.openpgp.peers(accountId);
}
export function pendingKeyChanges(store, accountId) {
    return store.openpgp.keyChanges(accountId, 'pending');
}
export function keyChangeHistory(store, accountId) {
    return store.openpgp.keyChanges(accountId);
}
/** Accept (the peer's key becomes the new one) or reject (the old key stays) a recorded change. */
export function decideKeyChange(store, accountId, changeId, accept) {
    store.transaction(() => {
        const c = store.openpgp.keyChange(changeId);
        if (!c || c.accountId !== accountId)
            throw new PgpError('not-found', `there is no key change ${changeId} for this account`);
        if (c.status !== 'pending')
            throw new PgpError('invalid', `the key change ${changeId} was already ${c.status}`);
        store.openpgp.setKeyChangeStatus(changeId, accept ? 'accepted' : 'rejected');
        if (!accept)
            return;
        const peer = store.openpgp.peer(accountId, c.addr);
        store.openpgp.putPeer({
            accountId, addr: c.addr, firstSeen: peer?.firstSeen ?? c.firstSeen, lastSeen: Math.max(peer?.lastSeen ?? 0, c.lastSeen),
            autocryptTimestamp: c.lastSeen, fingerprint: c.newFingerprint, publicKey: c.newKey, preferEncrypt: c.preferEncrypt,
        });
        // Other pending changes for the same peer are superseded by this decision.
        for (const other of store.openpgp.keyChanges(accountId, 'pending'))
            if (other.addr === c.addr)
                store.openpgp.setKeyChangeStatus(other.id, 'rejected');
    });
}
//# sourceMappingURL=autocrypt.js.map