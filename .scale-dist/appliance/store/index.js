// The store: the only door to mail data. Protocols, the panel and the CLI use these operations;
// nothing else talks to SQLite or to the message files.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from './database.js';
import { StoreOpenError } from './errors.js';
import { BlobFiles } from './blobs.js';
import { Accounts, Aliases, Domains } from './accounts.js';
import { Mailboxes } from './mailboxes.js';
import { Subscriptions } from './subscriptions.js';
import { Messages } from './messages.js';
import { Delivery, prepareMessage } from './deliver.js';
import { Queue } from './queue.js';
import { GroupCommit } from './group-commit.js';
import { Settings } from './settings.js';
import { OpenPgpRecords } from './openpgp.js';
import { BackupRecords, snapshotDatabase } from './backup-records.js';
import { JunkRecords } from './junk.js';
import { ImportRecords } from './imports.js';
import { MailboxEvents } from '../events.js';
import { checkIntegrity, usage } from './fsck.js';
import { TextIndex } from './text-index.js';
import { MessageSearch } from './message-search.js';
import { searchableText } from '../mail/text.js';
import { Maintenance } from './maintenance.js';
export { StoreError } from './errors.js';
export { prepareMessage };
/** Present in a data folder while `postern restore` fills it: such a folder is never opened (a
 *  half-restored box would serve half a mailbox); the restore removes it as its last step. */
export const RESTORE_MARKER = 'restore-in-progress';
export class Store {
    dataDir;
    db;
    domains;
    accounts;
    aliases;
    mailboxes;
    /** the subscription list: names, independent of mailbox existence (RFC 3501 6.3.6) */
    subscriptions;
    messages;
    queue;
    settings;
    /** OpenPGP keys, Autocrypt peers and key changes (services/pgp) */
    openpgp;
    /** the junk filter's models, training records and correspondents (appliance/junk) */
    junk;
    blobs;
    /** backup targets and what the box has put on them (appliance/backup) */
    backups;
    /** the word index behind SEARCH (text-index.ts) */
    textIndex;
    /** SEARCH in SQL over a mailbox, streamed (message-search.ts) */
    search;
    /** what imports brought into accounts (appliance/import) */
    imports;
    events = new MailboxEvents();
    /** reclaim of expunged content and indexing of old blobs, in the background */
    maintenance;
    delivery;
    /** concurrent acceptances share one fsynced commit (acceptGrouped) */
    groupCommit;
    closed = false;
    constructor(dataDir, db) {
        this.dataDir = dataDir;
        this.db = db;
        this.blobs = new BlobFiles(dataDir);
        this.settings = new Settings(db);
        this.openpgp = new OpenPgpRecords(db);
        this.backups = new BackupRecords(db);
        this.junk = new JunkRecords(db);
        this.imports = new ImportRecords(db);
        this.mailboxes = new Mailboxes(db);
        this.subscriptions = new Subscriptions(db);
        this.domains = new Domains(db);
        this.accounts = new Accounts(db, this.mailboxes);
        this.aliases = new Aliases(db);
        this.textIndex = new TextIndex(db);
        this.search = new MessageSearch(db, this.textIndex, this.blobs);
        this.messages = new Messages(db, this.search, this.events, () => this.nudge());
        this.queue = new Queue(db);
        this.delivery = new Delivery(db, this.blobs, this.textIndex);
        this.groupCommit = new GroupCommit(db, this.blobs, this.delivery, this.queue);
        this.maintenance = new Maintenance({
            reclaimDue: () => this.db.prepare('SELECT 1 FROM blobs WHERE refs <= 0 LIMIT 1').get() !== undefined,
            reclaim: (limit) => this.reclaimSome(limit),
            indexDue: () => this.textIndex.pending(),
            index: (limit) => this.textIndex.catchUp(limit, (h) => this.blobs.read(h), searchableText),
        });
    }
    static open(dataDir, opts = {}) {
        if (!opts.restoring && existsSync(join(dataDir, RESTORE_MARKER))) {
            throw new StoreOpenError(`a restore into ${dataDir} did not finish: run "postern restore" again to complete it (nothing is served from a half-restored folder)`);
        }
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const db = openDatabase(join(dataDir, 'postern.db'));
        return new Store(dataDir, db);
    }
    /** Deliver a message to mailboxes atomically; IMAP sessions are told after the commit. */
    deliver(targets, raw, internalDate) {
        const out = this.delivery.deliver(targets, raw, internalDate);
        for (const d of out)
            this.events.emit({ accountId: d.accountId, mailboxId: d.mailboxId, kind: 'exists' });
        return out;
    }
    /** Deliver to some mailboxes and queue for remote recipients, all in one transaction. */
    accept(targets, remote, raw) {
        const p = Buffer.isBuffer(raw) ? prepareMessage(raw) : raw;
        const result = this.db.transaction(() => {
            const delivered = this.delivery.deliver(targets, p);
            let queued = [];
            if (remote && remote.recipients.length) {
                const blobId = this.delivery.storeBlob(p);
                queued = this.queue.add(blobId, remote.mailFrom, remote.recipients, { ...(remote.accountId !== undefined ? { accountId: remote.accountId } : {}), ...(remote.envid ? { envid: remote.envid } : {}) });
            }
            return { delivered, queued };
        }).immediate();
        for (const d of result.delivered)
            this.events.emit({ accountId: d.accountId, mailboxId: d.mailboxId, kind: 'exists' });
        return result;
    }
    /** Deliver and queue like accept(), but asynchronously and together with other callers': the
     *  message files are written and fsynced in the thread pool, and every request that is ready
     *  meanwhile is committed in the same transaction (group commit). When the promise resolves,
     *  everything of this request is durable; when it rejects, nothing of it is stored. */
    async acceptGrouped(request) {
        const out = await this.groupCommit.accept(request);
        for (const d of out.delivered)
            this.events.emit({ accountId: d.accountId, mailboxId: d.mailboxId, kind: 'exists' });
        return out;
    }
    /** Store a message for the outbound queue only. */
    enqueue(raw, mailFrom, recipients, opts = {}) {
        return this.accept([], { mailFrom, recipients, ...opts }, raw).queued;
    }
    /** Read a whole message file. */
    readMessage(hash) {
        return this.blobs.read(hash);
    }
    /** Remove blobs nothing refers to any more: rows first (in one transaction), then the files. */
    reclaim() {
        let total = 0;
        for (let n = this.reclaimSome(500); n > 0; n = this.reclaimSome(500))
            total += n;
        return total;
    }
    /** Reclaim at most `limit` unreferenced blobs (rows and index rows in one transaction, then
     *  their files). The store runs this on its own within RECLAIM_BOUND_MS of any expunge, move,
     *  mailbox or account removal (maintenance.ts); callers may also run reclaim() at once. */
    reclaimSome(limit) {
        if (this.closed)
            return 0;
        const gone = this.db.transaction(() => {
            const rows = this.db.prepare('SELECT id, hash FROM blobs WHERE refs <= 0 LIMIT ?').all(limit);
            const delBlob = this.db.prepare('DELETE FROM blobs WHERE id = ?');
            for (const r of rows) {
                this.textIndex.remove(r.id);
                delBlob.run(r.id);
            }
            return rows;
        }).immediate();
        for (const r of gone)
            this.blobs.remove(r.hash);
        return gone.length;
    }
    /** Run the background work now until nothing is due (tests, CLI): reclaim, then index. */
    settle() {
        this.maintenance.runAll();
    }
    /** Ask for background work soon (after an expunge; the periodic check finds it anyway). */
    nudge() {
        this.maintenance.nudge();
    }
    /** Verify every blob against its hash and every row against its blob (postern fsck). */
    check(onProgress) {
        return checkIntegrity(this.db, this.blobs, onProgress);
    }
    /** Bytes used by mail and how many messages there are (for the panel). */
    usage() {
        return usage(this.db);
    }
    /** An online copy of the database into `destFile` (consistent while mail arrives) and the
     *  message files it refers to (for a backup). */
    snapshotDatabase(destFile, seen) {
        return snapshotDatabase(this.db, destFile, seen);
    }
    /** Run several store operations in one transaction. */
    transaction(fn) {
        return this.db.transaction(fn).immediate();
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.maintenance.stop();
        this.groupCommit.close();
        this.blobs.close();
        try {
            this.db.pragma('wal_checkpoint(TRUNCATE)');
        }
        catch { /* busy: fine */ }
        this.db.close();
    }
}
//# sourceMappingURL=index.js.map