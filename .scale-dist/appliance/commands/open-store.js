import { Store } from '../store/index.js';
export function openStore(config) {
    const store = Store.open(config.dataDir);
    for (const d of config.domains)
        store.domains.ensure(d);
    return store;
}
export async function withStore(config, fn) {
    const store = openStore(config);
    try {
        return await fn(store);
    }
    finally {
        store.close();
    }
}
//# sourceMappingURL=open-store.js.map