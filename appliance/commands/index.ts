// Every CLI command. A service adds its commands here (queue, dns, tor, peer, key, ...).
import type { Command } from './command.js';
import { start } from './start.js';
import { userAdd, userList, userPasswd, userRemove, userQuota } from './user.js';
import { domainAdd, domainList, domainRemove, aliasAdd, aliasList, aliasRemove } from './domain.js';
import { fsck } from './fsck.js';
import { certShow } from './cert.js';
import { KEY_COMMANDS } from './key.js';
import { dns } from './dns.js';
import { lock, unlock, storageSetup, storageStatus } from './storage.js';
import { TOR_COMMANDS } from './tor.js';
import { PEER_COMMANDS } from './peer.js';
import { QUEUE_COMMANDS } from './queue.js';

export const COMMANDS: readonly Command[] = [
  start,
  userAdd, userList, userPasswd, userRemove, userQuota,
  domainAdd, domainList, domainRemove,
  aliasAdd, aliasList, aliasRemove,
  fsck,
  certShow,
  ...KEY_COMMANDS,
  dns,
  lock, unlock, storageSetup, storageStatus,
  ...TOR_COMMANDS,
  ...PEER_COMMANDS,
  ...QUEUE_COMMANDS,
];
