// The panel's weight on the wire: what a browser transfers for the dashboard (HTML, CSS, JS), with
// gzip as a browser asks for it, on a first visit (empty cache) and a later one (the assets are
// cached: their URLs carry a content hash and are immutable). Also how long the dashboard takes
// to render, over real HTTPS on loopback. Usage: node dist/bench/panel-weight.js [requests]
import { startTestAppliance } from '../test/harness/appliance.js';
import { PanelHttp } from '../test/harness/panel-http.js';
const runs = Number(process.argv[2] ?? 200);
const app = await startTestAppliance({ listeners: ['panel', 'mx', 'submissions', 'imaps'] });
try {
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await c.signIn('admin@example.test', 'admin-password-1234');
    const gz = { 'accept-encoding': 'gzip, deflate, br' };
    const headerBytes = (r) => Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + 4 + String(v).length, 17);
    const html = await c.get('/dashboard', gz);
    if (html.status !== 200)
        throw new Error(`dashboard answered ${html.status}`);
    const assets = [...html.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const rows = [['dashboard HTML', html.raw.length, headerBytes(html), String(html.headers['content-encoding'] ?? 'identity')]];
    for (const a of assets) {
        const r = await c.get(a, gz);
        rows.push([a.replace(/\?.*/, ''), r.raw.length, headerBytes(r), String(r.headers['content-encoding'] ?? 'identity')]);
    }
    console.log('| resource | body bytes | header bytes | encoding |');
    console.log('|---|---:|---:|---|');
    for (const [name, body, hdr, enc] of rows)
        console.log(`| ${name} | ${body} | ${hdr} | ${enc} |`);
    const first = rows.reduce((n, r) => n + r[1] + r[2], 0);
    const later = rows[0][1] + rows[0][2];
    console.log(`\nfirst visit (empty cache): ${first} bytes (${(first / 1024).toFixed(1)} KiB) in ${rows.length} responses`);
    console.log(`later visits (assets cached, immutable): ${later} bytes (${(later / 1024).toFixed(1)} KiB) in 1 response`);
    const times = [];
    for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const r = await c.get('/dashboard', gz);
        if (r.status !== 200)
            throw new Error(`dashboard answered ${r.status}`);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const pct = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))].toFixed(1);
    console.log(`dashboard over HTTPS, new TLS connection each time, ${runs} requests: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
}
finally {
    await app.stop();
}
//# sourceMappingURL=panel-weight.js.map