// What the box remembers about its backups (migration 900): the targets, the objects it has put
// on each (name, size, SHA-256 of the stored bytes) and, per message file, the pack that holds it.
// Reached as `store.backups`; the backup code never touches SQL.
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
function toRecord(r) {
    return { name: r.name, kind: r.kind, location: r.location, createdAt: r.created_at, lastSeq: r.last_seq, lastRunAt: r.last_run_at, lastOkAt: r.last_ok_at, lastError: r.last_error };
}
export class BackupRecords {
    db;
    constructor(db) {
        this.db = db;
    }
    addTarget(name, kind, location, now = Date.now()) {
        if (this.target(name))
            throw new StoreError('exists', `a backup target named ${name} exists already`);
        this.db.prepare('INSERT INTO backup_targets (name, kind, location, created_at) VALUES (?, ?, ?, ?)').run(name, kind, location, now);
        return this.target(name);
    }
    removeTarget(name) {
        if (this.db.prepare('DELETE FROM backup_targets WHERE name = ?').run(name).changes === 0)
            throw new StoreError('not-found', `no backup target named ${name}`);
    }
    target(name) {
        const r = this.db.prepare('SELECT * FROM backup_targets WHERE name = ?').get(name);
        return r ? toRecord(r) : undefined;
    }
    targets() {
        return this.db.prepare('SELECT * FROM backup_targets ORDER BY name').all().map(toRecord);
    }
    /** A run started (last_run_at) or ended: ok (last_ok_at, last_seq) or with an error. */
    recordRun(name, result) {
        if (result.error !== undefined) {
            this.db.prepare('UPDATE backup_targets SET last_run_at = ?, last_error = ? WHERE name = ?').run(result.at, result.error, name);
        }
        else {
            this.db.prepare('UPDATE backup_targets SET last_run_at = ?, last_ok_at = ?, last_error = NULL, last_seq = MAX(last_seq, ?) WHERE name = ?').run(result.at, result.at, result.seq ?? 0, name);
        }
    }
    hasObject(target, name) {
        return this.db.prepare('SELECT name, size, sha256 FROM backup_objects WHERE target = ? AND name = ?').get(target, name);
    }
    /** An object is on the target, and (for a pack) the message files it holds. One transaction:
     *  the box never believes a message file is backed up without its pack. */
    addObject(target, obj, blobs = []) {
        this.db.transaction(() => {
            this.db.prepare('INSERT OR REPLACE INTO backup_objects (target, name, size, sha256) VALUES (?, ?, ?, ?)').run(target, obj.name, obj.size, obj.sha256);
            const ins = this.db.prepare('INSERT OR REPLACE INTO backup_blobs (target, hash, pack, offset, length) VALUES (?, ?, ?, ?, ?)');
            for (const b of blobs)
                ins.run(target, b.hash, b.pack, b.offset, b.length);
        }).immediate();
    }
    /** Forget objects pruned from the target (and the message files their packs held). */
    removeObjects(target, names) {
        this.db.transaction(() => {
            const delObj = this.db.prepare('DELETE FROM backup_objects WHERE target = ? AND name = ?');
            const delBlobs = this.db.prepare('DELETE FROM backup_blobs WHERE target = ? AND pack = ?');
            for (const n of names) {
                delObj.run(target, n);
                delBlobs.run(target, n);
            }
        }).immediate();
    }
    /** Forget everything the box believed was on the target (it was emptied or replaced). */
    forgetObjects(target) {
        this.db.transaction(() => {
            this.db.prepare('DELETE FROM backup_objects WHERE target = ?').run(target);
            this.db.prepare('DELETE FROM backup_blobs WHERE target = ?').run(target);
        }).immediate();
    }
    packedBlobs(target) {
        const rows = this.db.prepare('SELECT hash, pack, offset, length FROM backup_blobs WHERE target = ?').all(target);
        return new Map(rows.map((r) => [r.hash, r]));
    }
    objects(target) {
        return this.db.prepare('SELECT name, size, sha256 FROM backup_objects WHERE target = ?').all(target);
    }
}
/** An online copy of the database (SQLite's backup API, consistent while mail keeps arriving) and
 *  the message files that copy refers to. */
/** `seq` is the snapshot this copy travels in: the copy records it as the target's last sequence
 *  number, so a box restored from it knows that snapshot existed (and refuses a target that later
 *  shows only older ones), while the live box records it only once the snapshot is complete. */
export async function snapshotDatabase(db, destFile, seen) {
    await db.backup(destFile);
    const copy = new Database(destFile, { fileMustExist: true });
    try {
        copy.pragma('journal_mode = DELETE'); // one self-contained file: the restored box opens it as is
        if (seen)
            copy.prepare('UPDATE backup_targets SET last_seq = MAX(last_seq, ?) WHERE name = ?').run(seen.seq, seen.target);
        const blobs = copy.prepare('SELECT hash, size FROM blobs WHERE refs > 0 ORDER BY id').all();
        return { blobs };
    }
    finally {
        copy.close();
    }
}
//# sourceMappingURL=backup-records.js.map