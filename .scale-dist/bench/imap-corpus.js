// The IMAP benchmark's messages: deterministic (seeded), realistic shapes. 70 % text/plain, 20 %
// multipart/alternative (text + HTML), 10 % multipart/mixed with a base64 attachment; bodies of
// 0.5-6 KB of words. Every message carries searchable markers: "topic<i % 89>" in its Subject
// and "token<i % 97>" in its body, so SEARCH results have a known size on both servers.
const WORDS = ('appliance household mailbox letter garden kitchen window evening morning holiday river mountain '
    + 'invoice receipt meeting agenda project budget school teacher doctor appointment weekend dinner recipe '
    + 'picture camera travel ticket station airport weather summer winter autumn spring birthday present family '
    + 'neighbour bicycle library museum concert football tennis swimming reading writing painting music piano '
    + 'guitar violin coffee breakfast lunch market bakery cheese bread apple orange lemon cherry strawberry').split(' ');
const NAMES = ['Alice Martin', 'Bob Dupont', 'Carol Schmidt', 'Dave Rossi', 'Eve Novak', 'Frank Berg', 'Grace Ito', 'Heidi Lund', 'Ivan Petrov', 'Judy Costa'];
function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
function words(r, n) {
    const out = [];
    for (let i = 0; i < n; i++)
        out.push(WORDS[Math.floor(r() * WORDS.length)]);
    return out.join(' ');
}
function paragraphs(r, bytes, marker) {
    const lines = [];
    let size = 0;
    let markerAt = Math.floor(r() * 10);
    while (size < bytes) {
        let line = words(r, 8 + Math.floor(r() * 6));
        if (markerAt-- === 0)
            line += ` ${marker}`;
        lines.push(line);
        size += line.length + 2;
    }
    if (markerAt >= 0)
        lines.push(marker);
    return lines.join('\r\n');
}
export function benchMessage(i) {
    const r = rng(i * 7919 + 1);
    const from = NAMES[i % NAMES.length];
    const addr = from.toLowerCase().replace(' ', '.') + '@example.org';
    const subject = `${words(r, 3 + Math.floor(r() * 4))} topic${i % 89}`;
    const date = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toUTCString().replace('GMT', '+0000');
    const body = paragraphs(r, 500 + Math.floor(r() * 5500), `token${i % 97}`);
    const head = `From: ${from} <${addr}>\r\nTo: Bench User <bench@example.test>\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <bench.${i}@example.org>\r\nMIME-Version: 1.0\r\n`;
    const kind = i % 10;
    if (kind < 7)
        return Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}\r\n`);
    if (kind < 9) {
        const html = `<html><body><p>${body.replace(/\r\n/g, '</p>\r\n<p>')}</p></body></html>`;
        return Buffer.from(`${head}Content-Type: multipart/alternative; boundary="alt${i}"\r\n\r\n--alt${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n--alt${i}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n--alt${i}--\r\n`);
    }
    const attachment = Buffer.alloc(1500 + Math.floor(r() * 3000));
    for (let k = 0; k < attachment.length; k++)
        attachment[k] = Math.floor(r() * 256);
    const b64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
    return Buffer.from(`${head}Content-Type: multipart/mixed; boundary="mix${i}"\r\n\r\n--mix${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n--mix${i}\r\nContent-Type: application/octet-stream; name="data${i}.bin"\r\nContent-Disposition: attachment; filename="data${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--mix${i}--\r\n`);
}
//# sourceMappingURL=imap-corpus.js.map