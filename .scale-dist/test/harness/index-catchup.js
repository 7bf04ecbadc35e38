// A child process for the index crash test: opens a store whose blobs wait to be indexed (an old
// store after migration 400), prints READY and indexes them in the store's own batches until it
// is killed; "DONE" when nothing is left (then it waits for the kill).
import { Store } from '../../appliance/store/index.js';
const store = Store.open(process.argv[2]);
process.stdout.write('READY\n');
store.settle();
process.stdout.write('DONE\n');
setInterval(() => undefined, 1000);
//# sourceMappingURL=index-catchup.js.map