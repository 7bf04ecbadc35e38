// Real tor for tests, on loopback only. `startTor` runs one tor from torrc lines (tests of the
// control client use it with DisableNetwork 1). `startTorNetwork` builds a private Tor network
// (TestingTorNetwork): one directory authority made with tor-gencert, four relays (onion circuits
// need four distinct hops), and one "client" tor the tests use to reach onion services through
// SOCKS; appliances join with `tor.torrcInclude = net.joinTorrc`. Every tor gets
// __OwningControllerProcess (it exits if the test process dies) and only the PIDs started here are
// ever signalled. Start-up takes about 20 s; share one network between the subtests of a file.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePorts } from './ports.js';
import { tempDir } from './appliance.js';
const IP = '127.0.0.1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export function torBinary() {
    for (const p of ['/usr/bin/tor', '/usr/sbin/tor', '/usr/local/bin/tor'])
        if (existsSync(p))
            return p;
    return 'tor';
}
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
}
async function stopPid(pid, dir) {
    // guard against PID reuse: only a tor whose command line names our folder
    const ours = () => { try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
    }
    catch {
        return false;
    } };
    if (!ours())
        return;
    try {
        process.kill(pid, 'SIGTERM');
    }
    catch {
        return;
    }
    for (let i = 0; i < 50 && alive(pid) && ours(); i++)
        await sleep(100);
    if (alive(pid) && ours()) {
        try {
            process.kill(pid, 'SIGKILL');
        }
        catch { /* gone */ }
    }
}
/** Start one tor (RunAsDaemon) from extra torrc lines, with a control port and cookie auth. */
export async function startTor(lines, opts = {}) {
    const dir = opts.dir ?? tempDir('postern-tor-');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const [controlPort, socksPort] = await freePorts(2);
    const cookieFile = join(dir, 'control_auth_cookie');
    const torrc = [
        `DataDirectory ${dir}/data`,
        `PidFile ${dir}/pid`,
        'RunAsDaemon 1',
        `ControlPort ${IP}:${controlPort}`,
        'CookieAuthentication 1',
        `CookieAuthFile ${cookieFile}`,
        // ExtendedErrors: SOCKS5 replies say why an onion failed (0xF4: client authorization missing)
        opts.socks ? `SocksPort ${IP}:${socksPort} ExtendedErrors` : 'SocksPort 0',
        `Log notice file ${dir}/notice.log`,
        'SafeLogging 0',
        'ShutdownWaitLength 0',
        'GeoIPFile /dev/null',
        'GeoIPv6File /dev/null',
        `__OwningControllerProcess ${process.pid}`,
        ...lines,
    ].join('\n') + '\n';
    writeFileSync(join(dir, 'torrc'), torrc, { mode: 0o600 });
    rmSync(join(dir, 'pid'), { force: true });
    await new Promise((resolve, reject) => {
        const p = spawn(torBinary(), ['-f', join(dir, 'torrc'), '--defaults-torrc', '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MALLOC_ARENA_MAX: '1' } });
        let out = '';
        p.stdout.on('data', (d) => { out += d.toString(); });
        p.stderr.on('data', (d) => { out += d.toString(); });
        p.once('error', reject);
        p.once('exit', (code) => code === 0 ? resolve() : reject(new Error(`tor failed to start in ${dir}: ${out.split('\n').filter((l) => /\[(warn|err)\]/.test(l)).join(' | ') || out}`)));
    });
    // The daemon writes its pid file after forking: it may not be there yet, or be there still empty
    // (then Number('') is 0: wait, do not spin through the tries at once). Loaded machines take seconds.
    let pid = 0;
    for (let i = 0; i < 400 && !pid; i++) {
        try {
            pid = Number(readFileSync(join(dir, 'pid'), 'utf8').trim()) || 0;
        }
        catch { /* not yet */ }
        if (!pid)
            await sleep(50);
    }
    if (!pid) {
        let log = '';
        try {
            log = readFileSync(join(dir, 'notice.log'), 'utf8').split('\n').slice(-5).join(' | ');
        }
        catch { /* none */ }
        throw new Error(`tor wrote no pid file in ${dir} within 20 s (log: ${log})`);
    }
    // wait for the control port and the cookie
    for (let i = 0; i < 100; i++) {
        if (existsSync(cookieFile) && await canConnect(controlPort))
            break;
        await sleep(100);
    }
    return {
        dir, pid, controlPort, cookieFile, torrc,
        ...(opts.socks ? { socksPort } : {}),
        stop: async () => {
            await stopPid(pid, dir);
            if (!opts.dir)
                rmSync(dir, { recursive: true, force: true }); // a folder made here goes too
        },
    };
}
function canConnect(port) {
    return new Promise((resolve) => {
        const s = connect({ host: IP, port }, () => { s.destroy(); resolve(true); });
        s.once('error', () => resolve(false));
    });
}
function countMatches(file, re) {
    try {
        return (readFileSync(file, 'utf8').match(re) ?? []).length;
    }
    catch {
        return 0;
    }
}
/** Relays (consensus entries with microdescriptors) known by the node that knows fewest. */
function relaysKnown(dirs) {
    let min = Infinity;
    for (const d of dirs) {
        const listed = countMatches(join(d, 'data', 'cached-microdesc-consensus'), /^r /gm);
        const md = countMatches(join(d, 'data', 'cached-microdescs'), /^ntor-onion-key/gm) + countMatches(join(d, 'data', 'cached-microdescs.new'), /^ntor-onion-key/gm);
        min = Math.min(min, listed, md);
    }
    return min;
}
function bootstrapped(dir) {
    try {
        return readFileSync(join(dir, 'notice.log'), 'utf8').includes('Bootstrapped 100%');
    }
    catch {
        return false;
    }
}
/** Build and start a private Tor network on 127.0.0.1 (1 authority + 4 relays + 1 client). */
export async function startTorNetwork(opts = {}) {
    const t0 = Date.now();
    const deadline = t0 + (opts.timeoutMs ?? 120_000);
    const dir = tempDir('postern-tornet-');
    const started = [];
    const stopAll = async () => { for (const p of [...started].reverse())
        await p.stop(); };
    try {
        const RELAYS = 4;
        const [authOr, authDir, ...relayOr] = await freePorts(2 + RELAYS);
        // 1. the authority's keys and fingerprints
        const auth = join(dir, 'auth');
        mkdirSync(join(auth, 'data', 'keys'), { recursive: true, mode: 0o700 });
        const k = join(auth, 'data', 'keys');
        execFileSync('tor-gencert', ['--create-identity-key', '--passphrase-fd', '0', '-m', '24', '-a', `${IP}:${authDir}`,
            '-i', join(k, 'authority_identity_key'), '-s', join(k, 'authority_signing_key'), '-c', join(k, 'authority_certificate')], { input: '\n', stdio: ['pipe', 'ignore', 'pipe'] });
        const v3 = /^fingerprint (\S+)/m.exec(readFileSync(join(k, 'authority_certificate'), 'utf8'))[1];
        const fpOut = execFileSync(torBinary(), ['--list-fingerprint', '--orport', '1', '--datadirectory', join(auth, 'data'), '--ignore-missing-torrc', '-f', join(auth, 'none'), '--quiet'], { encoding: 'utf8' });
        const fp = fpOut.trim().split('\n').pop().split(' ').slice(1).join('');
        if (!/^[0-9A-F]{40}$/.test(fp))
            throw new Error(`cannot read the authority's fingerprint: ${fpOut}`);
        const join_ = [
            'TestingTorNetwork 1',
            'PathsNeededToBuildCircuits 0.25',
            'ClientUseIPv6 0',
            `DirAuthority auth orport=${authOr} no-v2 v3ident=${v3} ${IP}:${authDir} ${fp}`,
        ];
        const joinTorrc = join_.join('\n');
        writeFileSync(join(dir, 'join.torrc'), joinTorrc + '\n');
        const relayLines = (orport, nick) => [
            ...join_, `Nickname ${nick}`, `Address ${IP}`, `ORPort ${IP}:${orport}`, 'ExitRelay 0', 'ExitPolicy reject *:*',
            'AssumeReachable 1', 'FetchDirInfoEarly 1', 'FetchDirInfoExtraEarly 1', 'MaxConsensusAgeForDiffs 10 minutes',
            'ContactInfo tests@localhost.invalid',
        ];
        // first consensus: a 20 s schedule whose first boundary is ~10 s away
        const offset = (Math.floor(Date.now() / 1000) + 10) % 20;
        started.push(await startTor([
            ...relayLines(authOr, 'auth'), `DirPort ${IP}:${authDir}`,
            'AuthoritativeDirectory 1', 'V3AuthoritativeDirectory 1',
            'TestingV3AuthInitialVotingInterval 20', 'TestingV3AuthInitialVoteDelay 2', 'TestingV3AuthInitialDistDelay 2',
            `TestingV3AuthVotingStartOffset ${offset}`, 'V3AuthVotingInterval 60', 'V3AuthVoteDelay 2', 'V3AuthDistDelay 2',
            'V3AuthNIntervalsValid 3', 'TestingDirAuthVoteGuard *', 'TestingDirAuthVoteHSDir *',
        ], { dir: auth }));
        for (let i = 0; i < RELAYS; i++)
            started.push(await startTor(relayLines(relayOr[i], `relay${i + 1}`), { dir: join(dir, `relay${i + 1}`) }));
        const nodes = started.map((p) => p.dir);
        let hupped = false;
        while (relaysKnown(nodes) < nodes.length) {
            if (!hupped && countMatches(join(auth, 'data', 'cached-microdesc-consensus'), /^r /gm) >= nodes.length) {
                // nodes that fetched before the first consensus back off; SIGHUP makes them fetch now
                for (const p of started) {
                    try {
                        process.kill(p.pid, 'SIGHUP');
                    }
                    catch { /* */ }
                }
                hupped = true;
            }
            for (const p of started)
                if (!alive(p.pid))
                    throw new Error(`a tor of the test network died: see ${p.dir}/notice.log`);
            if (Date.now() > deadline)
                throw new Error(`the test Tor network did not converge (relays known: ${relaysKnown(nodes)} of ${nodes.length})`);
            await sleep(500);
        }
        // The client tor. On an overloaded machine one sometimes stays at 95% (its first circuits
        // time out and it keeps waiting); SIGHUP it once, then start it afresh with a new data folder.
        let client;
        for (let attempt = 1; !client; attempt++) {
            const c = await startTor(join_, { dir: join(dir, `client${attempt}`), socks: true });
            started.push(c);
            const giveUp = Math.min(deadline, Date.now() + 45_000);
            let hupped = false;
            while (!bootstrapped(c.dir) && Date.now() < giveUp) {
                if (!hupped && Date.now() > giveUp - 25_000) {
                    try {
                        process.kill(c.pid, 'SIGHUP');
                    }
                    catch { /* */ }
                    hupped = true;
                }
                await sleep(300);
            }
            if (bootstrapped(c.dir)) {
                client = c;
                break;
            }
            if (Date.now() >= deadline || attempt >= 3)
                throw new Error(`the test network client did not bootstrap (see ${c.dir}/notice.log)`);
            await c.stop();
            started.splice(started.indexOf(c), 1);
        }
        return { dir, joinTorrc, client, readySeconds: (Date.now() - t0) / 1000, stop: async () => { await stopAll(); rmSync(dir, { recursive: true, force: true }); } };
    }
    catch (e) {
        await stopAll();
        rmSync(dir, { recursive: true, force: true });
        throw e;
    }
}
//# sourceMappingURL=tor-net.js.map