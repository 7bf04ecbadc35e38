// Every command the server knows, by name (UID commands as "UID FETCH").
import type { CommandHandler } from '../session-state.js';
import { CAPABILITY, CHECK, ENABLE, ID, LOGOUT, NAMESPACE, NOOP } from './session.js';
import { STARTTLS } from './starttls.js';
import { AUTHENTICATE, LOGIN } from './login.js';
import { LIST, LSUB } from './list.js';
import { STATUS } from './status.js';
import { CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE } from './mailboxes.js';
import { CLOSE, EXAMINE, SELECT, UNSELECT } from './select.js';
import { EXPUNGE, UID_EXPUNGE } from './expunge.js';
import { STORE, UID_STORE } from './store.js';
import { COPY, MOVE, UID_COPY, UID_MOVE } from './copy.js';
import { APPEND } from './append.js';
import { IDLE } from './idle.js';
import { NOTIFY } from './notify.js';
import { GETQUOTA, GETQUOTAROOT, SETQUOTA } from './quota.js';
import { FETCH, UID_FETCH } from './fetch.js';
import { CANCELUPDATE, SEARCH, UID_SEARCH } from './search.js';
import { SORT, THREAD, UID_SORT, UID_THREAD } from './sort.js';

export const COMMANDS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ['CAPABILITY', CAPABILITY], ['NOOP', NOOP], ['LOGOUT', LOGOUT], ['ID', ID], ['CHECK', CHECK],
  ['STARTTLS', STARTTLS], ['LOGIN', LOGIN], ['AUTHENTICATE', AUTHENTICATE],
  ['ENABLE', ENABLE], ['NAMESPACE', NAMESPACE], ['LIST', LIST], ['LSUB', LSUB], ['STATUS', STATUS],
  ['CREATE', CREATE], ['DELETE', DELETE], ['RENAME', RENAME], ['SUBSCRIBE', SUBSCRIBE], ['UNSUBSCRIBE', UNSUBSCRIBE],
  ['SELECT', SELECT], ['EXAMINE', EXAMINE], ['CLOSE', CLOSE], ['UNSELECT', UNSELECT],
  ['EXPUNGE', EXPUNGE], ['UID EXPUNGE', UID_EXPUNGE],
  ['STORE', STORE], ['UID STORE', UID_STORE],
  ['COPY', COPY], ['UID COPY', UID_COPY], ['MOVE', MOVE], ['UID MOVE', UID_MOVE],
  ['APPEND', APPEND], ['IDLE', IDLE], ['NOTIFY', NOTIFY],
  ['GETQUOTA', GETQUOTA], ['GETQUOTAROOT', GETQUOTAROOT], ['SETQUOTA', SETQUOTA],
  ['FETCH', FETCH], ['UID FETCH', UID_FETCH], ['SEARCH', SEARCH], ['UID SEARCH', UID_SEARCH], ['CANCELUPDATE', CANCELUPDATE],
  ['SORT', SORT], ['UID SORT', UID_SORT], ['THREAD', THREAD], ['UID THREAD', UID_THREAD],
]);
