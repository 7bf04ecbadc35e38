// The backups this box holds for peer boxes (`postern backup hold add ONION --quota 2G`): one entry
// per peer, pinned to the TLS public key of that peer's SMTorP card, with the quota the household
// set and, once the peer registered it, the public half of its retrieval key. Kept in the store's
// settings (a handful of entries); the objects are files under <data>/peer-backups/<onion id>/,
// written like a folder target's (temporary file, fsync, rename), opaque to this box.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { TargetError } from './target.js';

const KEY = 'backup.holds';

export interface Hold {
  /** the peer's SMTP onion address (its card's) */
  onion: string;
  /** SHA-256 of the TLS SubjectPublicKeyInfo its card pins */
  spki: string;
  quota: number;
  /** SPKI base64 of the key a restoring box signs with (registered by the peer) */
  retrievalKey?: string;
  added: string;
}

export class HoldBook {
  constructor(private readonly store: Store) {}

  list(): Hold[] {
    const v = this.store.settings.getJson<Hold[]>(KEY);
    return Array.isArray(v) ? v : [];
  }

  get(onion: string): Hold | undefined {
    return this.list().find((h) => h.onion === onion.toLowerCase());
  }

  bySpki(spki: string): Hold | undefined {
    return this.list().find((h) => h.spki === spki);
  }

  byRetrievalKey(pub: string): Hold | undefined {
    return this.list().find((h) => h.retrievalKey === pub);
  }

  add(onion: string, spki: string, quota: number): { created: boolean } {
    return this.store.transaction(() => {
      const holds = this.list();
      const i = holds.findIndex((h) => h.onion === onion);
      if (holds.some((h, j) => j !== i && h.spki === spki)) throw new TargetError('another peer entry pins the same TLS key');
      if (i >= 0) { holds[i] = { ...holds[i]!, spki, quota }; } else holds.push({ onion, spki, quota, added: new Date().toISOString() });
      this.store.settings.setJson(KEY, holds);
      return { created: i < 0 };
    });
  }

  setRetrievalKey(onion: string, pub: string): void {
    this.store.transaction(() => {
      const holds = this.list();
      const h = holds.find((x) => x.onion === onion);
      if (!h) return;
      if (holds.some((x) => x !== h && x.retrievalKey === pub)) throw new TargetError('that retrieval key belongs to another peer');
      h.retrievalKey = pub;
      this.store.settings.setJson(KEY, holds);
    });
  }

  remove(onion: string): boolean {
    return this.store.transaction(() => {
      const holds = this.list();
      const rest = holds.filter((h) => h.onion !== onion.toLowerCase());
      if (rest.length === holds.length) return false;
      this.store.settings.setJson(KEY, rest);
      return true;
    });
  }

  folder(h: Pick<Hold, 'onion'>): string {
    return holdFolder(this.store.dataDir, h.onion);
  }
}

export function holdFolder(dataDir: string, onion: string): string {
  return join(dataDir, 'peer-backups', onion.replace(/\.onion$/, ''));
}

/** Bytes stored in a hold's folder (its temporary files not counted). */
export function usedBytes(dir: string): number {
  let total = 0;
  const walk = (d: string): void => {
    let names: string[];
    try { names = readdirSync(d); } catch { return; }
    for (const n of names) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) { if (!(d === dir && n === 'tmp')) walk(p); } else total += st.size;
    }
  };
  walk(dir);
  return total;
}
