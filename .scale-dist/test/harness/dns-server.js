// A small authoritative DNS server on loopback (RFC 1035 wire format over UDP) answering from a
// table the test gives: MX, A, AAAA and TXT. A name missing from the table gets NXDOMAIN, a name
// without the asked type an empty NOERROR answer (NODATA); `servfail` names answer SERVFAIL.
import { createSocket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
const TYPES = { A: 1, MX: 15, TXT: 16, AAAA: 28 };
function readName(buf, offset) {
    const labels = [];
    let i = offset;
    for (;;) {
        const len = buf[i];
        if (len === undefined)
            throw new Error('truncated name');
        if (len === 0) {
            i++;
            break;
        }
        if ((len & 0xc0) !== 0)
            throw new Error('compressed names are not expected in questions');
        labels.push(buf.subarray(i + 1, i + 1 + len).toString('latin1'));
        i += 1 + len;
    }
    return { name: labels.join('.').toLowerCase(), next: i };
}
function writeName(name) {
    const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
    return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}
function ipv6Bytes(a) {
    const [head, tail] = a.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
}
function rdata(type, rec) {
    switch (type) {
        case TYPES.A: return (rec.A ?? []).filter((a) => isIPv4(a)).map((a) => Buffer.from(a.split('.').map(Number)));
        case TYPES.AAAA: return (rec.AAAA ?? []).filter((a) => isIPv6(a)).map(ipv6Bytes);
        case TYPES.MX: return (rec.MX ?? []).map((m) => { const p = Buffer.alloc(2); p.writeUInt16BE(m.preference); return Buffer.concat([p, writeName(m.exchange)]); });
        case TYPES.TXT: return (rec.TXT ?? []).map((strings) => Buffer.concat(strings.map((s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([Buffer.from([b.length]), b]); })));
        default: return [];
    }
}
export function answer(query, zone, log) {
    if (query.length < 12)
        return undefined;
    const id = query.readUInt16BE(0);
    const flags = query.readUInt16BE(2);
    if (flags & 0x8000)
        return undefined; // a response, not a query
    const qd = query.readUInt16BE(4);
    if (qd !== 1)
        return undefined;
    const { name, next } = readName(query, 12);
    const qtype = query.readUInt16BE(next);
    const qclass = query.readUInt16BE(next + 2);
    const question = query.subarray(12, next + 4);
    const typeName = Object.entries(TYPES).find(([, v]) => v === qtype)?.[0] ?? String(qtype);
    log?.push(`${name} ${typeName}`);
    const rec = zone[name];
    let rcode = 0;
    let answers = [];
    if (!rec)
        rcode = 3;
    else if (rec.servfail)
        rcode = 2;
    else if (qclass === 1)
        answers = rdata(qtype, rec);
    const header = Buffer.alloc(12);
    header.writeUInt16BE(id, 0);
    header.writeUInt16BE(0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const rrs = answers.map((rd) => {
        const fixed = Buffer.alloc(10);
        fixed.writeUInt16BE(qtype, 0);
        fixed.writeUInt16BE(1, 2);
        fixed.writeUInt32BE(60, 4);
        fixed.writeUInt16BE(rd.length, 8);
        return Buffer.concat([Buffer.from([0xc0, 12]), fixed, rd]);
    });
    return Buffer.concat([header, question, ...rrs]);
}
export async function startDnsServer(zone, host = '127.0.0.1') {
    const socket = createSocket('udp4');
    const queries = [];
    socket.on('message', (msg, rinfo) => {
        try {
            const out = answer(msg, server.zone, queries);
            if (out)
                socket.send(out, rinfo.port, rinfo.address);
        }
        catch { /* malformed query: no answer */ }
    });
    await new Promise((resolve) => socket.bind(0, host, resolve));
    const port = socket.address().port;
    const server = {
        host, port, address: `${host}:${port}`, zone, queries,
        close: () => new Promise((resolve) => socket.close(() => resolve())),
    };
    return server;
}
//# sourceMappingURL=dns-server.js.map