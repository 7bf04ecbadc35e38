// The SQLite database: opened once per process, WAL, foreign keys on, migrations applied at open.
// Only files in appliance/store/ touch the driver.
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';
import { StoreOpenError } from './errors.js';
export function openDatabase(file) {
    let db;
    try {
        db = new Database(file);
    }
    catch (e) {
        throw new StoreOpenError(`cannot open the database ${file}: ${e.message}`);
    }
    try {
        db.pragma('journal_mode = WAL');
        // FULL: a committed transaction is on disk when commit returns (a 250 means stored).
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 10000');
        db.pragma('cache_size = -8000'); // 8 MB: the box has 1 GB
        migrate(db);
    }
    catch (e) {
        db.close();
        throw new StoreOpenError(`cannot prepare the database ${file}: ${e.message}`);
    }
    return db;
}
export function migrate(db) {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const applied = new Set(db.prepare('SELECT id FROM schema_migrations').all().map((r) => r.id));
    const done = [];
    for (const m of MIGRATIONS) {
        if (applied.has(m.id))
            continue;
        db.transaction(() => {
            db.exec(m.sql);
            db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
        }).immediate();
        done.push(m.id);
    }
    return done;
}
//# sourceMappingURL=database.js.map