import { PanelSessionRecords } from './panel-sessions.js';
export { PanelSessionRecords };
export class Settings {
    db;
    /** signed-in panel sessions (hashed cookies), so a restart does not sign the household out */
    panelSessions;
    constructor(db) {
        this.db = db;
        this.panelSessions = new PanelSessionRecords(db);
    }
    get(key) {
        return this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key)?.value;
    }
    set(key, value) {
        this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    }
    delete(key) {
        this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    }
    getJson(key) {
        const v = this.get(key);
        return v === undefined ? undefined : JSON.parse(v);
    }
    setJson(key, value) {
        this.set(key, JSON.stringify(value));
    }
}
//# sourceMappingURL=settings.js.map