// What every panel route sees: the appliance seams it was started with, and per request the
// session, the signed-in account (read from the store on every request, so a removed account or a
// changed role takes effect at once) and the client's address (for throttling; logged redacted).
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Config } from '../appliance/config.js';
import type { ApplianceHandle } from '../appliance/service.js';
import type { TlsMaterial } from '../appliance/tls/authority.js';
import type { Account, Store } from '../appliance/store/index.js';
import type { Session, Sessions } from './sessions.js';
import type { LoginThrottle } from './throttle.js';

export interface PanelDeps {
  config: Config;
  tls: TlsMaterial;
  appliance: ApplianceHandle;
  sessions: Sessions;
  /** failed sign-ins and unlocks per client (address, or tor circuit on the onion listener); per
   *  account: the store's lockout shared with SMTP and IMAP (appliance/auth-lockout.ts) */
  clientThrottle: LoginThrottle;
}

export interface PanelVariables {
  deps: PanelDeps;
  session: Session | undefined;
  account: Account | undefined;
  clientAddress: string;
}

export interface PanelEnv { Bindings: HttpBindings; Variables: PanelVariables }

export type PanelContext = Context<PanelEnv>;

/** The open store; routes that need it are only reachable while the box is unlocked (access.ts). */
export function storeOf(c: PanelContext): Store {
  const s = c.var.deps.appliance.store;
  if (!s) throw new Error('the store is locked');
  return s;
}

/** The signed-in account; only called from routes the access table limits to signed-in users. */
export function accountOf(c: PanelContext): Account {
  const a = c.var.account;
  if (!a) throw new Error('not signed in');
  return a;
}

export function sessionOf(c: PanelContext): Session {
  const s = c.var.session;
  if (!s) throw new Error('no session');
  return s;
}
