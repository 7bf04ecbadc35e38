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
export const MAIL_SERVICES = [
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
];
export const SYSTEM_SERVICES = [
    ['control', startControlSocket],
    ['panel', startPanel],
    ['tor', startTor],
];
/** Stand-ins for the mail listeners while the box is locked (SMTP 421 / IMAP BYE). */
export { startLockedListeners } from './locked.js';
//# sourceMappingURL=services.js.map