// Reading snapshots back, trusting nothing the target says: a manifest counts only when its
// signature verifies under the key the box (or the recovery code) vouches for and its sequence
// number is the one in its file name; an object counts only when its size and SHA-256 are the
// manifest's. Every refusal says what was wrong (altered, truncated, missing, replayed).
import { decryptWith, verifyManifest } from './keys.js';
import { BackupIntegrityError, dataName, parseManifest, pieceDigest, sha256, snapshotName } from './format.js';
import { snapshotSeqs } from './snapshot.js';
export async function readManifest(target, seq, trust) {
    const raw = await target.get(snapshotName(seq));
    if (!raw)
        throw new BackupIntegrityError(`snapshot ${seq} is missing from ${target.description}`);
    let signed;
    try {
        signed = JSON.parse(raw.toString('utf8'));
    }
    catch {
        throw new BackupIntegrityError(`snapshot ${seq} on ${target.description} is damaged or truncated (its manifest is not complete JSON)`);
    }
    if (typeof signed.manifest !== 'string' || typeof signed.signature !== 'string')
        throw new BackupIntegrityError(`snapshot ${seq}: the manifest is malformed`);
    let ok = false;
    try {
        ok = verifyManifest(trust.signingPublicKey, signed.manifest, signed.signature);
    }
    catch {
        ok = false;
    }
    if (!ok)
        throw new BackupIntegrityError(`snapshot ${seq}: the manifest's signature does not verify: it was altered, or it was not written by this box`);
    const m = parseManifest(signed.manifest);
    if (m.boxId !== trust.boxId)
        throw new BackupIntegrityError(`snapshot ${seq} belongs to another box`);
    if (m.seq !== seq)
        throw new BackupIntegrityError(`the file of snapshot ${seq} holds snapshot ${m.seq}: an older snapshot was put in place of a newer one (replay); refusing it`);
    return m;
}
/** The newest snapshot's number, refusing a target whose newest is older than `lastSeen`. */
export async function newestSnapshot(target, lastSeen = 0) {
    const seqs = await snapshotSeqs(target);
    const newest = seqs.at(-1);
    if (newest === undefined)
        throw new BackupIntegrityError(`${target.description} holds no snapshot`);
    if (newest < lastSeen)
        throw new BackupIntegrityError(`${target.description}: the newest snapshot there is ${newest}, but snapshot ${lastSeen} was written or seen before: newer snapshots were removed or an older copy was put back (replay); refusing it`);
    return newest;
}
/** Fetch an object and check it against the manifest's size and SHA-256. */
export async function fetchObject(target, ref, seq) {
    const [name, size, digest] = ref;
    const data = await target.get(dataName(name));
    if (!data)
        throw new BackupIntegrityError(`snapshot ${seq}: object ${name.slice(0, 12)}... is missing from ${target.description} (the backup is incomplete)`);
    if (data.length !== size)
        throw new BackupIntegrityError(`snapshot ${seq}: object ${name.slice(0, 12)}... has ${data.length} bytes, the manifest says ${size} (truncated or altered)`);
    if (sha256(data) !== digest)
        throw new BackupIntegrityError(`snapshot ${seq}: object ${name.slice(0, 12)}... does not match the manifest's checksum (altered or damaged)`);
    return data;
}
export function objectRefs(m) {
    return new Map(m.objects.map((o) => [o[0], o]));
}
export function refOf(refs, name, m) {
    const r = refs.get(name);
    if (!r)
        throw new BackupIntegrityError(`snapshot ${m.seq}: the body names object ${name.slice(0, 12)}... that the manifest does not list`);
    return r;
}
export async function readBody(target, m, identity) {
    const refs = objectRefs(m);
    const sealed = await fetchObject(target, refOf(refs, m.body, m), m.seq);
    let body;
    try {
        body = JSON.parse((await decryptWith(identity, sealed)).toString('utf8'));
    }
    catch {
        throw new BackupIntegrityError(`snapshot ${m.seq}: its body cannot be decrypted or read`);
    }
    if (body.seq !== m.seq || body.boxId !== m.boxId)
        throw new BackupIntegrityError(`snapshot ${m.seq}: the body belongs to another snapshot`);
    return body;
}
/** Download every object of a snapshot and check it; with the identity also decrypt everything
 *  and check each message file's SHA-256 and the database copy's. */
export async function verifySnapshot(target, seq, trust, identity, progress = () => undefined) {
    const m = await readManifest(target, seq, trust);
    let bytes = 0;
    if (!identity) {
        let i = 0;
        for (const ref of m.objects) {
            bytes += (await fetchObject(target, ref, seq)).length;
            if (++i % 50 === 0)
                progress(`snapshot ${seq}: ${i}/${m.objects.length} object(s) checked`);
        }
        return { seq, createdAt: m.createdAt, objects: m.objects.length, bytes, decrypted: false };
    }
    const refs = objectRefs(m);
    const body = await readBody(target, m, identity);
    const wanted = new Set(body.db.chunks);
    let messages = 0;
    for (const [pack, pieces] of groupByPack(body)) {
        const sealed = await fetchObject(target, refOf(refs, pack, m), seq);
        bytes += sealed.length;
        const plain = await decryptWith(identity, sealed);
        for (const [key, , off, len] of pieces) {
            if (off + len > plain.length || sha256(plain.subarray(off, off + len)) !== pieceDigest(key))
                throw new BackupIntegrityError(`snapshot ${seq}: ${key.startsWith('db:') ? 'a piece of the database' : `message file ${key.slice(0, 12)}...`} does not match its checksum`);
            if (key.startsWith('db:'))
                wanted.delete(key);
            else
                messages++;
        }
    }
    if (wanted.size > 0)
        throw new BackupIntegrityError(`snapshot ${seq}: ${wanted.size} piece(s) of the database are in no pack`);
    return { seq, createdAt: m.createdAt, objects: m.objects.length, bytes: bytes + refOf(refs, m.body, m)[1], messages, dbBytes: body.db.size, decrypted: true };
}
export function groupByPack(body) {
    const byPack = new Map();
    for (const b of body.pieces) {
        const list = byPack.get(b[1]);
        if (list)
            list.push(b);
        else
            byPack.set(b[1], [b]);
    }
    return byPack;
}
//# sourceMappingURL=read.js.map