// Two Postern appliances, each launching its own tor joined to a private Tor network on loopback,
// that know each other as SMTorP peers (cards exchanged). Shared by the SMTorP end-to-end test and
// the benchmark. Accounts: bob@peer-a.test on A, alice@example.test on B.
import { connect as tlsConnect } from 'node:tls';
import { connect } from 'node:net';
import { SocksClient } from 'socks';
import { startTestAppliance } from './appliance.js';
import { startDnsServer } from './dns-server.js';
import { startTorNetwork } from './tor-net.js';
import { addPeerCard, makeOwnCard } from '../../services/smtorp/index.js';
export const PASSWORD = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export async function waitFor(what, fn, ms = 120_000, every = 250) {
    const end = Date.now() + ms;
    let last;
    for (;;) {
        try {
            const v = await fn();
            if (v !== undefined && v !== false)
                return v;
        }
        catch (e) {
            last = e;
        }
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
        await sleep(every);
    }
}
/** One SOCKS5 CONNECT through tor (remote name resolution: the onion name goes to tor). */
export async function socksConnect(socksPort, host, port, timeoutMs = 60_000) {
    const { socket } = await SocksClient.createConnection({ proxy: { host: '127.0.0.1', port: socksPort, type: 5 }, command: 'connect', destination: { host, port }, timeout: timeoutMs });
    return socket;
}
/** Read until `re` matches the data received so far (or the socket ends / times out). */
export function readUntil(socket, re, ms = 60_000) {
    return new Promise((resolve, reject) => {
        let buf = '';
        const done = (e) => { clearTimeout(timer); socket.off('data', onData); socket.off('error', onErr); socket.off('end', onEnd); e ? reject(e) : resolve(buf); };
        const onData = (d) => { buf += d.toString('latin1'); if (re.test(buf))
            done(); };
        const onErr = (e) => done(e);
        const onEnd = () => (re.test(buf) ? done() : done(new Error(`connection ended before ${re}: ${JSON.stringify(buf.slice(0, 200))}`)));
        const timer = setTimeout(() => done(new Error(`no ${re} within ${ms} ms: ${JSON.stringify(buf.slice(0, 200))}`)), ms);
        socket.on('data', onData);
        socket.once('error', onErr);
        socket.once('end', onEnd);
    });
}
/** The SMTP banner of an onion MX, through a tor's SOCKS port (retried while the descriptor is
 *  not yet reachable). */
export async function onionBanner(socksPort, onion, ms = 120_000) {
    return waitFor(`the SMTP banner of ${onion.slice(0, 8)}…`, async () => {
        const s = await socksConnect(socksPort, onion, 25, 20_000);
        try {
            return (await readUntil(s, /^220 .*\r\n/m, 20_000)).trim();
        }
        finally {
            s.destroy();
        }
    }, ms, 1000);
}
/** A SOCKS5 CONNECT by hand: the reply code (0 success; tor's extended errors: 0xF0 descriptor
 *  not found, 0xF4 client authorization missing, 0xF5 wrong client authorization, ...). */
export function socks5Reply(socksPort, host, port, ms = 60_000) {
    return new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: socksPort });
        let buf = Buffer.alloc(0);
        let stage = 0;
        const timer = setTimeout(() => { s.destroy(); reject(new Error('SOCKS timeout')); }, ms);
        s.on('connect', () => s.write(Buffer.from([5, 1, 0])));
        s.on('data', (d) => {
            buf = Buffer.concat([buf, d]);
            if (stage === 0 && buf.length >= 2) {
                buf = buf.subarray(2);
                stage = 1;
                const name = Buffer.from(host, 'latin1');
                s.write(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([port >> 8, port & 255])]));
            }
            if (stage === 1 && buf.length >= 2) {
                clearTimeout(timer);
                s.destroy();
                resolve(buf[1]);
            }
        });
        s.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
}
/** GET / from a panel onion (TLS inside the onion connection); resolves the HTTP status line. */
export async function panelStatusLine(socksPort, onion, timeoutMs = 30_000) {
    const raw = await socksConnect(socksPort, onion, 80, timeoutMs);
    const s = tlsConnect({ socket: raw, rejectUnauthorized: false, servername: 'localhost' });
    try {
        await new Promise((resolve, reject) => { s.once('secureConnect', resolve); s.once('error', reject); });
        s.write(`GET / HTTP/1.1\r\nHost: ${onion}\r\nConnection: close\r\n\r\n`);
        return (await readUntil(s, /^HTTP\/1\.[01] \d{3}[^\r\n]*\r\n/, timeoutMs)).split('\r\n')[0];
    }
    finally {
        s.destroy();
        raw.destroy();
    }
}
export async function startSmtorpPair() {
    const net = await startTorNetwork({ timeoutMs: 180_000 });
    const dns = await startDnsServer({});
    const started = [];
    const stop = async () => {
        for (const x of started.reverse())
            await x.stop().catch(() => undefined);
        await dns.close();
        await net.stop();
    };
    try {
        const common = (hostname, domains) => ({
            config: { hostname, domains, delivery: { dnsServers: [dns.address] }, tor: { mode: 'launch', torrcInclude: net.joinTorrc } },
        });
        const a = await startTestAppliance(common('mail.peer-a.test', ['peer-a.test']));
        started.push(a);
        const b = await startTestAppliance(common('mail.example.test', ['example.test']));
        started.push(b);
        await a.store.accounts.create('bob@peer-a.test', PASSWORD);
        await b.store.accounts.create('alice@example.test', PASSWORD);
        addPeerCard(b.store, b.config, makeOwnCard(a.config, a.appliance.tls));
        addPeerCard(a.store, a.config, makeOwnCard(b.config, b.appliance.tls));
        const tor = (x) => x.appliance.service('tor');
        const onion = (x, name) => tor(x).status().onions.find((o) => o.name === name).address;
        for (const x of [a, b])
            await waitFor('tor to bootstrap', () => tor(x).status().bootstrap === 100 && tor(x).socks() ? true : undefined, 120_000);
        // A's tor reaches B's onion MX before any mail is sent (the first attempt would otherwise wait
        // for the retry schedule)
        await onionBanner(tor(a).socks().port, onion(b, 'smtp'));
        return { net, dns, a, b, tor, onion, stop };
    }
    catch (e) {
        await stop();
        throw e;
    }
}
//# sourceMappingURL=smtorp-pair.js.map