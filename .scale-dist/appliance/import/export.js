// Export: an account's mail out as one mbox file or as a Maildir, streamed one message at a time.
// mbox: mboxrd; each message is preceded by one line of ours, "X-Postern-Export: size=N;
// flags=...; mailbox=..." (URL-encoded values), so an import restores mailbox, flags and the exact
// bytes (it removes the line); the From_ line carries the INTERNALDATE. Other mail programs see
// one more header field. Maildir: the INBOX at DIR, other mailboxes as Maildir++ folders
// (DIR/.Level.Level, each level in modified UTF-7 with "." encoded), flags in the info suffix,
// keywords in each folder's dovecot-keywords, the file time set to the INTERNALDATE.
import { createWriteStream, mkdirSync, openSync, fsyncSync, closeSync, writeFileSync, utimesSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mboxrdEntry } from './mbox.js';
import { encodeMutf7 } from './utf7.js';
import { ImportError } from './sink.js';
export const EXPORT_HEADER = 'X-Postern-Export';
export function exportLine(size, flags, mailbox) {
    return Buffer.from(`${EXPORT_HEADER}: size=${size}; flags=${encodeURIComponent(flags.join(' '))}; mailbox=${encodeURIComponent(mailbox)}\n`, 'latin1');
}
export function parseExportLine(raw) {
    const prefix = `${EXPORT_HEADER}: `;
    if (raw.length < prefix.length || raw.toString('latin1', 0, prefix.length) !== prefix)
        return undefined;
    const nl = raw.indexOf(0x0a);
    if (nl < 0)
        return undefined;
    const m = /^size=(\d+); flags=([^;]*); mailbox=(\S*)\r?$/.exec(raw.toString('latin1', prefix.length, nl));
    if (!m)
        return undefined;
    try {
        const flags = decodeURIComponent(m[2]).split(' ').filter(Boolean);
        return { size: Number(m[1]), flags, mailbox: decodeURIComponent(m[3]), rest: raw.subarray(nl + 1) };
    }
    catch {
        return undefined;
    }
}
async function write(stream, parts) {
    let ok = true;
    for (const p of parts)
        ok = stream.write(p) && ok;
    if (!ok)
        await new Promise((res) => stream.once('drain', () => res()));
}
export async function exportMbox(store, accountId, file, show) {
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    const opened = new Promise((res, rej) => { out.once('open', () => res()); out.once('error', rej); });
    try {
        await opened;
    }
    catch (e) {
        throw new ImportError(`cannot create ${file}: ${e.code ?? e} (an export never overwrites a file)`, 1);
    }
    const r = { messages: 0, mailboxes: 0, bytes: 0 };
    let last = 0;
    for (const mb of store.mailboxes.list(accountId)) {
        r.mailboxes++;
        for (const m of store.messages.list(mb.id)) {
            const hash = store.imports.blobHash(m.blobId);
            if (!hash)
                continue;
            const raw = store.readMessage(hash);
            await write(out, mboxrdEntry(raw, m.internalDate, exportLine(raw.length, m.flags, mb.name)));
            r.messages++;
            r.bytes += raw.length;
            if (show && Date.now() - last > 1000) {
                last = Date.now();
                show(`exported ${r.messages} messages, ${(r.bytes / 1048576).toFixed(1)} MB | ${mb.name}`, false);
            }
        }
    }
    await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
    const fd = openSync(file, 'r');
    try {
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    show?.(`exported ${r.messages} messages, ${(r.bytes / 1048576).toFixed(1)} MB`, true);
    return r;
}
const INFO = { '\\Draft': 'D', '\\Flagged': 'F', '\\Answered': 'R', '\\Seen': 'S', '\\Deleted': 'T' };
export function maildirFolder(name) {
    if (name === 'INBOX')
        return '';
    return '.' + name.split('/').map((l) => encodeMutf7(l, '.')).join('.');
}
export async function exportMaildir(store, accountId, dir, show) {
    if (existsSync(dir) && readdirSync(dir).length > 0)
        throw new ImportError(`${dir} is not empty (an export never writes into existing mail)`, 1);
    const r = { messages: 0, mailboxes: 0, bytes: 0 };
    let last = 0;
    for (const mb of store.mailboxes.list(accountId)) {
        r.mailboxes++;
        const folder = join(dir, maildirFolder(mb.name));
        for (const sub of ['cur', 'new', 'tmp'])
            mkdirSync(join(folder, sub), { recursive: true, mode: 0o700 });
        if (mb.name !== 'INBOX')
            writeFileSync(join(folder, 'maildirfolder'), '');
        const keywords = [];
        for (const m of store.messages.list(mb.id)) {
            const hash = store.imports.blobHash(m.blobId);
            if (!hash)
                continue;
            const raw = store.readMessage(hash);
            let info = '';
            for (const f of m.flags) {
                const c = INFO[f];
                if (c) {
                    info += c;
                    continue;
                }
                if (f.startsWith('\\'))
                    continue;
                let k = keywords.indexOf(f);
                if (k < 0 && keywords.length < 26) {
                    keywords.push(f);
                    k = keywords.length - 1;
                }
                if (k >= 0)
                    info += String.fromCharCode(0x61 + k);
            }
            info = [...info].sort().join('');
            const secs = Math.floor(m.internalDate / 1000);
            const path = join(folder, 'cur', `${secs}.P${process.pid}Q${mb.id}U${m.uid}.postern,S=${raw.length}:2,${info}`);
            writeFileSync(path, raw, { mode: 0o600 });
            utimesSync(path, secs, secs);
            r.messages++;
            r.bytes += raw.length;
            if (show && Date.now() - last > 1000) {
                last = Date.now();
                show(`exported ${r.messages} messages, ${(r.bytes / 1048576).toFixed(1)} MB | ${mb.name}`, false);
            }
        }
        if (keywords.length)
            writeFileSync(join(folder, 'dovecot-keywords'), keywords.map((k, i) => `${i} ${k}\n`).join(''));
    }
    show?.(`exported ${r.messages} messages, ${(r.bytes / 1048576).toFixed(1)} MB`, true);
    return r;
}
//# sourceMappingURL=export.js.map