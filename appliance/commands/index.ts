// Every CLI command. A service adds its commands here (queue, dns, tor, peer, key, ...).
import type { Command } from './command.js';
import { start } from './start.js';
import { userAdd, userList, userPasswd, userRemove, userQuota } from './user.js';
import { domainAdd, domainList, domainRemove, aliasAdd, aliasList, aliasRemove } from './domain.js';
import { fsck } from './fsck.js';
import { certShow } from './cert.js';
import { dns } from './dns.js';

export const COMMANDS: readonly Command[] = [
  start,
  userAdd, userList, userPasswd, userRemove, userQuota,
  domainAdd, domainList, domainRemove,
  aliasAdd, aliasList, aliasRemove,
  fsck,
  certShow,
  dns,
];
