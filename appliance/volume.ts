// The encrypted data volume (LUKS2). The appliance process is unprivileged: it asks the privileged
// helper (systemd/postern-storage.service) to open, mount and close the volume. In plain mode
// there is no volume and these do nothing.
import type { Config } from './config.js';

export class VolumeError extends Error {
  constructor(message: string) { super(message); this.name = 'VolumeError'; }
}

export async function openVolume(config: Config, passphrase: string): Promise<void> {
  if (config.storage.mode === 'plain') return;
  void passphrase;
  throw new VolumeError('LUKS storage is not available in this build yet');
}

export async function closeVolume(config: Config): Promise<void> {
  if (config.storage.mode === 'plain') return;
  throw new VolumeError('LUKS storage is not available in this build yet');
}

/** Create the LUKS2 volume with a passphrase and a recovery key (returned, shown once). */
export async function createVolume(config: Config, passphrase: string): Promise<{ recoveryKey: string }> {
  void passphrase;
  if (config.storage.mode === 'plain') throw new VolumeError('storage is a plain folder: there is no volume to create');
  throw new VolumeError('LUKS storage is not available in this build yet');
}
