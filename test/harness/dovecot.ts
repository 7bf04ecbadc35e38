// A throwaway Dovecot (Debian's dovecot-imapd) for side-by-side tests and benchmarks: its own
// config, passwd-file user and maildir in a temporary folder, one plaintext IMAP listener on a free
// loopback port. Nothing of the system's Dovecot configuration is read or touched.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { encodeMutf7 } from '../../appliance/import/utf7.js';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './appliance.js';

export interface ThrowawayDovecot {
  port: number;
  user: string;
  password: string;
  dir: string;
  /** the user's INBOX maildir (put messages in cur/ or new/ before the first SELECT) */
  inbox: string;
  /** add a message to INBOX's maildir/cur with a fixed name order (call before clients select) */
  addMessage(raw: Buffer, n: number, flags?: string): void;
  /** Write a message file straight into a folder's Maildir (Maildir++: `Projects.2024` is the
   *  directory `.Projects.2024`, each level in modified UTF-7), much faster than APPEND: system
   *  flags (\\Seen...) become the info letters, keywords the folder's dovecot-keywords letters,
   *  `date` the file time (Dovecot's INTERNALDATE). `n` orders the names (and so the UIDs) in a
   *  folder. Call before a client selects the folder, or with `fresh` (new/) after. */
  addToFolder(folder: string, raw: Buffer, n: number, o?: { flags?: readonly string[]; date?: Date; fresh?: boolean }): void;
  /** the directory of a folder's Maildir */
  folderDir(folder: string): string;
  /** main process ids (for RSS measurements) */
  pids(): number[];
  stop(): Promise<void>;
}

function uidOf(name: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), uid, gid);
}

async function waitForPort(port: number, ms: number, tls = false): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      // with TLS the server waits for the client: a connection is enough
      if (tls) s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('data', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A throwaway self-signed certificate for localhost and 127.0.0.1 (implicit TLS in benchmarks;
 *  a client that trusts this file as its CA verifies the server). */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

/** `layout: 'fs'`: Maildir folders nested as directories with "/" as the hierarchy separator (the
 *  Maildir++ default is "." and flat), where a deleted folder with children stays as \Noselect. */
/** `extraConf`: appended to the configuration (e.g. the scale benchmark's FTS plugin settings). */
/** `dir`: use (and keep after stop) this folder, with the maildir and indexes a previous run left
 *  there (the scale benchmark loads 100,000 messages once and measures in later runs). */
/** `starttls`: the plaintext port offers STARTTLS and requires it before a login (no implicit TLS).
 *  `namespace`: lines inside the inbox namespace block (a separator, special-use mailboxes). */
export async function startDovecot(opts: { processLimit?: number; tls?: boolean; starttls?: boolean; layout?: 'fs'; extraConf?: string; namespace?: string; dir?: string } = {}): Promise<ThrowawayDovecot> {
  const dir = opts.dir ?? tempDir('postern-dovecot-');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const port = await freePort();
  const user = 'bench';
  const password = 'bench-password';
  const asRoot = process.getuid?.() === 0;
  // Dovecot refuses mail access as root: the mail user is "nobody" when we are root.
  const mailUser = asRoot ? uidOf('nobody') ?? { uid: 65534, gid: 65534 } : { uid: process.getuid!(), gid: process.getgid!() };
  const me = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const home = join(dir, 'home');
  const inbox = join(home, 'Maildir');
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(inbox, d), { recursive: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  let tlsConf = 'ssl = no';
  if (opts.tls || opts.starttls) {
    const { cert, key } = selfSignedCert(dir);
    tlsConf = `ssl = required\nssl_cert = <${cert}\nssl_key = <${key}\nssl_min_protocol = TLSv1.2`;
  }
  const implicitTls = !!opts.tls && !opts.starttls;
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${mailUser.uid}:${mailUser.gid}::${home}::\n`);
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
${tlsConf}
disable_plaintext_auth = ${opts.starttls ? 'yes' : 'no'}
auth_mechanisms = plain login
${asRoot ? '' : `default_internal_user = ${me}\ndefault_login_user = ${me}\n`}
first_valid_uid = 1
mail_location = maildir:~/Maildir${opts.layout === 'fs' ? ':LAYOUT=fs' : ''}
${opts.namespace ? `namespace inbox {\n  inbox = yes\n${opts.namespace}\n}` : ''}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${implicitTls ? 0 : port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${implicitTls ? port : 0}
  }
}
service imap {
  process_limit = ${opts.processLimit ?? 64}
}
service auth {
  unix_listener auth-userdb {
    mode = 0666
  }
}
protocol imap {
  mail_max_userip_connections = 100
}
${opts.extraConf ?? ''}
`;
  const confPath = join(dir, 'dovecot.conf');
  writeFileSync(confPath, conf);
  mkdirSync(join(dir, 'state'), { recursive: true });
  if (asRoot) chownTree(home, mailUser.uid, mailUser.gid);
  const child = spawn('dovecot', ['-F', '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, 10_000, implicitTls);
  } catch (e) {
    child.kill('SIGTERM');
    const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}: ${stderr} ${log}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const folderDir = (folder: string) => (/^inbox$/i.test(folder) ? inbox : join(inbox, '.' + folder.split('.').map((l) => encodeMutf7(l, '.')).join('.')));
  const keywords = new Map<string, string[]>();
  const owned = (path: string) => { if (asRoot) chownSync(path, mailUser.uid, mailUser.gid); };
  const LETTERS: Record<string, string> = { '\\draft': 'D', '\\flagged': 'F', '\\answered': 'R', '\\seen': 'S', '\\deleted': 'T' };
  return {
    port, user, password, dir, inbox,
    folderDir,
    addToFolder(folder, raw, n, o = {}) {
      const fdir = folderDir(folder);
      if (!existsSync(join(fdir, 'cur'))) {
        for (const d of ['cur', 'new', 'tmp']) { mkdirSync(join(fdir, d), { recursive: true }); owned(join(fdir, d)); }
        if (fdir !== inbox) { writeFileSync(join(fdir, 'maildirfolder'), ''); owned(fdir); owned(join(fdir, 'maildirfolder')); }
      }
      let letters = '';
      const kws = keywords.get(fdir) ?? [];
      for (const f of o.flags ?? []) {
        const sys = LETTERS[f.toLowerCase()];
        if (sys) { letters += sys; continue; }
        let i = kws.indexOf(f);
        if (i < 0) {
          if (kws.length >= 26) throw new Error('Maildir holds at most 26 keywords per folder');
          kws.push(f); i = kws.length - 1;
          keywords.set(fdir, kws);
          writeFileSync(join(fdir, 'dovecot-keywords'), kws.map((k, j) => `${j} ${k}\n`).join(''));
          owned(join(fdir, 'dovecot-keywords'));
        }
        letters += String.fromCharCode(0x61 + i);
      }
      letters = [...new Set(letters)].sort().join('');
      const base = `${now - 1_000_000 + n}.M${n}P1.postern,S=${raw.length}`;
      const path = o.fresh ? join(fdir, 'new', base) : join(fdir, 'cur', `${base}:2,${letters}`);
      writeFileSync(path, raw);
      owned(path);
      if (o.date) utimesSync(path, o.date, o.date);
    },
    addMessage(raw, n, flags = '') {
      // Maildir name: <time>.<unique>.<host>,S=<size>:2,<flags>; time orders the UIDs.
      const name = `${now - 1_000_000 + n}.M${n}P1.postern,S=${raw.length}:2,${flags}`;
      const path = join(inbox, 'cur', name);
      writeFileSync(path, raw);
      if (asRoot) chownSync(path, mailUser.uid, mailUser.gid);
    },
    pids() {
      // The master and its children (imap, imap-login, auth, ...).
      const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' });
      return [child.pid!, ...r.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0)];
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
