// The services the appliance runs, in start order. Mail services run while the store is open;
// system services (the panel, Tor) run from boot, also while the box is locked.
import type { ServiceStarter, SystemServiceStarter } from './service.js';
import { startDelivery } from '../services/delivery/index.js';
import { startSmtp } from '../services/smtp/index.js';
import { startImap } from '../services/imap/index.js';
import { startPgp } from '../services/pgp/service.js';
import { startJunk } from './junk/service.js';
import { startPanel } from '../web/panel.js';
import { startControlSocket } from './control/server.js';
import { startTor } from '../services/tor/index.js';
import { startSmtorp } from '../services/smtorp/index.js';
import { startBackupSchedule } from './backup/schedule.js';
import { startPeerBackup } from '../services/peer-backup/index.js';

export const MAIL_SERVICES: ReadonlyArray<[string, ServiceStarter]> = [
  // first: its peer routes must exist before the delivery runner picks up queued mail
  ['smtorp', startSmtorp],
  ['delivery', startDelivery],
  ['pgp', startPgp],
  // before SMTP: its verdict must be registered when mail comes in
  ['junk', startJunk],
  ['smtp', startSmtp],
  ['imap', startImap],
  // the daily backups (appliance/backup): no listener, a timer while the store is open
  ['backup', startBackupSchedule],
  // the backups this box holds for peer boxes (port 7425 of the SMTP onion)
  ['peer-backup', startPeerBackup],
];

export const SYSTEM_SERVICES: ReadonlyArray<[string, SystemServiceStarter]> = [
  ['control', startControlSocket],
  ['panel', startPanel],
  ['tor', startTor],
];

/** Stand-ins for the mail listeners while the box is locked (SMTP 421 / IMAP BYE). */
export { startLockedListeners } from './locked.js';
