// SMTorP latency: time from submission at box A (nodemailer, STARTTLS + AUTH on the submission
// port) until box B's IMAP server tells an IDLEing client (imapflow) about the new message, over a
// private Tor network on loopback (A's tor -> 4-hop onion circuit -> B's onion MX, STARTTLS, both
// certificates pinned), beside the same path over plain loopback SMTP (A delivers to B's MX found
// through a local DNS server). Sequential messages; reports median, min, p90, max.
// Usage: node dist/bench/smtorp-latency.js [messages=20]
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startSmtorpPair, PASSWORD } from '../test/harness/smtorp-pair.js';
import { startTestAppliance } from '../test/harness/appliance.js';
import { startDnsServer } from '../test/harness/dns-server.js';
const N = Number(process.argv[2] ?? 20);
const ONLY = process.argv[3]; // 'smtorp' or 'loopback' to run one half
async function measure(label, a, b, fromAddr, toAddr) {
    const imap = new ImapFlow({ host: '127.0.0.1', port: b.port('imaps'), secure: true, auth: { user: toAddr, pass: PASSWORD }, tls: { ca: b.appliance.tls.ca, servername: 'localhost' }, logger: false });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
    let waiter;
    imap.on('exists', () => { waiter?.(); });
    // IDLE for the whole run: each delivery at B arrives as an untagged EXISTS
    const idling = imap.idle();
    const tr = nodemailer.createTransport({
        host: '127.0.0.1', port: a.port('submission'), secure: false, requireTLS: true,
        auth: { user: fromAddr, pass: PASSWORD }, tls: { ca: a.appliance.tls.ca, servername: a.config.hostname },
    });
    const times = [];
    for (let i = 0; i < N; i++) {
        await new Promise((r) => setTimeout(r, 300));
        const arrived = new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                const q = a.store.queue.list().map((e) => `${e.id}: ${e.recipients.map((r) => `${r.status} ${r.reply ?? ''}`).join(', ')}`);
                reject(new Error(`${label}: message ${i} did not arrive within 180 s (A's queue: ${q.join('; ') || 'empty'})`));
            }, 180_000);
            waiter = () => { clearTimeout(timer); waiter = undefined; resolve(); };
        });
        const t0 = performance.now();
        await tr.sendMail({ from: fromAddr, to: toAddr, subject: `${label} ${i}`, text: 'latency probe\n' });
        await arrived;
        times.push(performance.now() - t0);
    }
    tr.close();
    await imap.logout();
    await idling.catch(() => undefined);
    return times;
}
function summary(label, ms) {
    const s = [...ms].sort((x, y) => x - y);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return `| ${label} | ${s.length} | ${q(0.5).toFixed(0)} | ${s[0].toFixed(0)} | ${q(0.9).toFixed(0)} | ${s[s.length - 1].toFixed(0)} |`;
}
async function main() {
    const t0 = Date.now();
    let tor = [];
    let plain = [];
    if (ONLY !== 'loopback') {
        const pair = await startSmtorpPair();
        console.log(`# private Tor network + 2 appliances ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (network alone ${pair.net.readySeconds.toFixed(1)} s)`);
        try {
            tor = await measure('smtorp', pair.a, pair.b, 'bob@peer-a.test', 'alice@example.test');
        }
        finally {
            await pair.stop();
        }
    }
    if (ONLY !== 'smtorp') {
        // plain loopback SMTP: B's MX through DNS (MX + A records on a local DNS server), no Tor
        const dns = await startDnsServer({});
        const b = await startTestAppliance({ config: { hostname: 'mail.example.test', domains: ['example.test'], delivery: { dnsServers: [dns.address] } } });
        dns.zone['example.test'] = { MX: [{ preference: 10, exchange: 'mx.example.test' }] };
        dns.zone['mx.example.test'] = { A: ['127.0.0.1'] };
        const a = await startTestAppliance({ config: { hostname: 'mail.peer-a.test', domains: ['peer-a.test'], delivery: { dnsServers: [dns.address], mxPort: b.port('mx') } } });
        try {
            await a.store.accounts.create('bob@peer-a.test', PASSWORD);
            await b.store.accounts.create('alice@example.test', PASSWORD);
            plain = await measure('loopback', a, b, 'bob@peer-a.test', 'alice@example.test');
        }
        finally {
            await a.stop();
            await b.stop();
            await dns.close();
        }
    }
    console.log('| route | messages | median ms | min ms | p90 ms | max ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    if (tor.length)
        console.log(summary('SMTorP over the private Tor network', tor));
    if (plain.length)
        console.log(summary('plain SMTP over loopback', plain));
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
//# sourceMappingURL=smtorp-latency.js.map