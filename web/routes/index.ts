// Every panel route, registered once; access.ts says who may reach each.
import type { Hono } from 'hono';
import type { PanelEnv } from '../context.js';
import { publicRoutes } from './public.js';
import { signinRoutes } from './signin.js';
import { setupRoutes } from './setup.js';
import { welcomeRoutes } from './welcome.js';
import { unlockRoutes } from './unlock.js';
import { lockRoutes } from './lock.js';
import { homeRoutes } from './home.js';
import { devicesRoutes } from './devices.js';
import { autoconfigRoutes } from './autoconfig.js';
import { wkdRoutes } from './wkd.js';
import { dashboardRoutes } from './dashboard.js';
import { accountsRoutes } from './accounts.js';
import { aliasesRoutes } from './aliases.js';
import { domainsRoutes } from './domains.js';
import { queueRoutes } from './queue.js';
import { peersRoutes } from './peers.js';
import { logsRoutes } from './logs.js';
import { onionAccessRoutes } from './onion-access.js';
import { openpgpRoutes } from './openpgp.js';
import { updatesRoutes } from './updates.js';
import { junkRoutes } from './junk.js';
import { importRoutes } from './import.js';

export function registerRoutes(app: Hono<PanelEnv>): void {
  for (const register of [publicRoutes, autoconfigRoutes, wkdRoutes, signinRoutes, setupRoutes, welcomeRoutes, unlockRoutes, lockRoutes,
    homeRoutes, devicesRoutes, dashboardRoutes, accountsRoutes, aliasesRoutes, domainsRoutes, queueRoutes, peersRoutes, onionAccessRoutes, logsRoutes, openpgpRoutes, updatesRoutes, junkRoutes, importRoutes]) {
    register(app);
  }
}
