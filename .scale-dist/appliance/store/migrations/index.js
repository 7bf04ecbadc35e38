// Every migration, in the order it is applied. Applied migrations are recorded by id, so a
// migration added by any piece of work is applied once on every database that lacks it.
// Add a file NNN-name.ts exporting { id, sql } and list it here; never edit an applied one.
import * as base from './001-base.js';
import * as blobReclaimIndex from './002-blob-reclaim-index.js';
import * as openpgp from './600-openpgp.js';
import * as queueNotified from './300-queue-notified.js';
import * as panelSessions from './710-panel-sessions.js';
import * as recent from './310-recent.js';
import * as subscriptions from './320-subscriptions.js';
import * as dsn from './330-dsn.js';
import * as backup from './900-backup.js';
import * as junk from './800-junk.js';
import * as wordIndex from './400-word-index.js';
import * as wordIndexColumns from './401-word-index-columns.js';
import * as imports from './820-imports.js';
export const MIGRATIONS = [base, openpgp, queueNotified, blobReclaimIndex, recent, subscriptions, dsn, panelSessions, backup, junk, wordIndex, wordIndexColumns, imports];
//# sourceMappingURL=index.js.map