// Small key/value settings kept in the database (first-run state, secrets made at first start,
// what the household chose in the panel), and the panel's signed-in sessions.
import type { Db } from './database.js';
import { PanelSessionRecords } from './panel-sessions.js';
export type { PanelSessionRecord } from './panel-sessions.js';
export { PanelSessionRecords };

export class Settings {
  /** signed-in panel sessions (hashed cookies), so a restart does not sign the household out */
  readonly panelSessions: PanelSessionRecords;

  constructor(private readonly db: Db) {
    this.panelSessions = new PanelSessionRecords(db);
  }

  get(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  getJson<T>(key: string): T | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
