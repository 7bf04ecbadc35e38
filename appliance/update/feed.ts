// The release feed: a signed index (index.json, with index.json.minisig beside it) at a
// configurable URL: https://, or http:// of a .onion through Tor's SOCKS port (update.socks), or
// file:/// (a mirror on a USB disk). The index names each release's bundle per architecture with
// its SHA-256 and size; the bundle's own signature is checked again when it is installed. An index
// older than one already seen is refused (a mirror cannot hold the box back on an old release by
// replaying an old index).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { SocksClient } from 'socks';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { parseEndpoint, type Config } from '../config.js';
import { clientTlsOptions } from '../tls/policy.js';
import { compareVersions, isVersion, loadPublicKey, BundleError, type Arch } from './bundle.js';
import { verifySignature } from './minisign.js';
import { boxArch, currentVersion } from './releases.js';
import { updateSettings, type UpdateSettings } from './settings.js';
import { readStatus, updateStatus } from './status.js';

export const FEED_FORMAT = 'postern-feed/1';
export interface FeedBundle { url: string; sha256: string; size: number }
export interface FeedRelease { version: string; notes?: string; bundles: Partial<Record<Arch, FeedBundle>> }
export interface FeedIndex { format: typeof FEED_FORMAT; published: string; releases: FeedRelease[] }

const MAX_INDEX = 1024 * 1024;

/** TLS for an https:// feed: the project's policy (TLS 1.2+, forward-secret AEAD), certificates
 *  always verified, against update.ca when set, else the system's roots. */
async function feedTls(s: UpdateSettings): Promise<ConnectionOptions> {
  let ca: string | undefined;
  if (s.ca) {
    try { ca = await readFile(s.ca, 'utf8'); } catch (e) { throw new BundleError(`cannot read the feed's CA certificate ${s.ca}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'io'); }
  }
  return clientTlsOptions({ rejectUnauthorized: true, ...(ca ? { ca } : {}) });
}

function fetchError(url: URL, e: NodeJS.ErrnoException): BundleError {
  const code = String(e.code ?? '');
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
    return new BundleError(`cannot fetch ${url.href}: its TLS certificate is not trusted (${e.message}); a feed with its own CA needs update.ca`, 'io');
  }
  return new BundleError(`cannot fetch ${url.href}: ${e.message}`, 'io');
}

async function open(url: URL, s: UpdateSettings): Promise<IncomingMessage> {
  const tls = url.protocol === 'https:';
  const tlsOptions = tls ? await feedTls(s) : {};
  const port = Number(url.port || (tls ? 443 : 80));
  let socket: import('node:net').Socket | undefined;
  if (s.socks) {
    const proxy = parseEndpoint('update.socks', s.socks);
    // the name goes to the proxy unresolved: .onion works, and no DNS leaks
    socket = (await SocksClient.createConnection({ proxy: { host: proxy.host, port: proxy.port, type: 5 }, command: 'connect', destination: { host: url.hostname, port }, timeout: 60_000 })).socket;
  } else if (url.protocol === 'http:' && url.hostname.endsWith('.onion')) {
    throw new BundleError('a .onion feed needs Tor: set update.socks to Tor\'s SOCKS port', 'io');
  }
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(url, { timeout: 60_000, ...tlsOptions, ...(socket ? { createConnection: () => (tls ? tlsConnect({ ...tlsOptions, socket: socket!, servername: url.hostname }) : socket!) } : {}) }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new BundleError(`the feed answered ${res.statusCode} for ${url.href}`, 'io')); return; }
      resolve(res);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => reject(fetchError(url, e)));
    req.end();
  });
}

async function fetchSmall(url: URL, s: UpdateSettings): Promise<Buffer> {
  if (url.protocol === 'file:') return readFile(fileURLToPath(url));
  const res = await open(url, s);
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > MAX_INDEX) throw new BundleError(`${url.href} is larger than an index can be`, 'io');
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}

/** Fetch and verify the signed index. */
export async function fetchIndex(config: Config): Promise<FeedIndex> {
  const s = updateSettings(config);
  if (!s.feed) throw new BundleError('no release feed is configured (update.feed); a bundle file can still be applied: postern update apply FILE', 'io');
  const url = new URL(s.feed);
  const [body, sig] = await Promise.all([fetchSmall(url, s), fetchSmall(new URL(url.href + '.minisig'), s)]);
  const comment = await verifySignature(await loadPublicKey(s.publicKey), sig.toString('utf8'), body).catch((e: Error) => {
    throw new BundleError(`the feed's index is not signed by the trusted key: ${e.message}`, 'signature');
  });
  let index: FeedIndex;
  try { index = JSON.parse(body.toString('utf8')) as FeedIndex; } catch { throw new BundleError("the feed's index is not valid JSON", 'format'); }
  if (index.format !== FEED_FORMAT || !Array.isArray(index.releases) || typeof index.published !== 'string') throw new BundleError(`the feed's index is not a ${FEED_FORMAT} index`, 'format');
  if (comment !== `postern-feed published=${index.published}`) throw new BundleError("the feed's signed comment does not match its index", 'signature');
  const seen = readStatus(s.root).feedPublished;
  if (seen && index.published < seen) throw new BundleError(`the feed's index (published ${index.published}) is older than one already seen (${seen}): refused`, 'signature');
  updateStatus(s.root, (st) => { st.feedPublished = index.published; });
  return index;
}

export async function checkFeed(config: Config): Promise<{ current?: string; newest?: FeedRelease; newer: boolean }> {
  const s = updateSettings(config);
  const index = await fetchIndex(config);
  const arch = boxArch();
  const offered = index.releases.filter((r) => isVersion(r.version) && arch && r.bundles[arch]).sort((a, b) => compareVersions(b.version, a.version));
  const newest = offered[0];
  const current = await currentVersion(s.root);
  const newer = !!newest && (!current || compareVersions(newest.version, current) > 0);
  updateStatus(s.root, (st) => { if (newest) st.available = { version: newest.version, ...(newest.notes ? { notes: newest.notes } : {}), checkedAt: new Date().toISOString() }; });
  return { ...(current ? { current } : {}), ...(newest ? { newest } : {}), newer };
}

/** Download the newest release's bundle if it is newer than the running one; its path. */
export async function fetchNewest(config: Config, say: (l: string) => void = () => undefined): Promise<string | undefined> {
  const s = updateSettings(config);
  const r = await checkFeed(config);
  if (!r.newer || !r.newest) return undefined;
  const b = r.newest.bundles[boxArch()!]!;
  const url = new URL(b.url, s.feed);
  const dir = join(s.root, 'state', 'downloads');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `postern-${r.newest.version}-${boxArch()}.tar.gz`);
  const tmp = `${file}.part`;
  say(`update: downloading postern ${r.newest.version} (${(b.size / 1048576).toFixed(1)} MiB) from ${url.protocol === 'file:' ? 'a local folder' : url.host}`);
  const h = createHash('sha256');
  let n = 0;
  const source = url.protocol === 'file:' ? (await import('node:fs')).createReadStream(fileURLToPath(url)) : await open(url, s);
  await pipeline(source, async function* (chunks: AsyncIterable<Buffer>) {
    for await (const c of chunks) { n += c.length; if (n > b.size) throw new BundleError('the download is larger than the index says', 'modified'); h.update(c); yield c; }
  }, createWriteStream(tmp));
  if (n !== b.size || h.digest('hex') !== b.sha256) { await rm(tmp, { force: true }); throw new BundleError(`the downloaded bundle does not match the feed's index (size or SHA-256)`, 'modified'); }
  await rename(tmp, file);
  return file;
}
