// Open the store for a CLI command (the appliance may be running: SQLite in WAL mode lets both in).
import type { Config } from '../config.js';
import { Store } from '../store/index.js';

export function openStore(config: Config): Store {
  const store = Store.open(config.dataDir);
  for (const d of config.domains) store.domains.ensure(d);
  return store;
}

export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T> | T): Promise<T> {
  const store = openStore(config);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
