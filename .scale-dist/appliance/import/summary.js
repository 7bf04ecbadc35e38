// The mail the household gets when an import finishes: what came in, from where, and anything
// skipped and why. Stored in the account's INBOX like an APPEND (not sent anywhere).
import { randomBytes } from 'node:crypto';
const MAX_LISTED = 200;
export function summaryMessage(f, now = new Date()) {
    const domain = f.account.split('@')[1] ?? 'localhost';
    const lines = [
        f.failed ? `The import from ${f.from} stopped: ${f.failed}` : `The import from ${f.from} is finished.`,
        '',
        `Messages brought in: ${f.imported} (${(f.bytes / 1048576).toFixed(1)} MB in ${Math.round(f.seconds)} s)`,
        `Already here from an earlier run: ${f.alreadyThere}`,
        ...(f.deletedAtSource !== undefined ? [`Removed from the old provider after import: ${f.deletedAtSource}`] : []),
        `Skipped: ${f.skipped.length}`,
    ];
    if (f.skipped.length) {
        lines.push('', 'Skipped messages and why:');
        for (const s of f.skipped.slice(0, MAX_LISTED))
            lines.push(`  - ${s.where}: ${s.why}`);
        if (f.skipped.length > MAX_LISTED)
            lines.push(`  ... and ${f.skipped.length - MAX_LISTED} more`);
    }
    if (f.skippedFolders?.length) {
        lines.push('', 'Folders not imported and why:');
        for (const s of f.skippedFolders)
            lines.push(`  - ${s.folder}: ${s.why}`);
    }
    if (f.failed)
        lines.push('', 'Nothing half-stored: run the same import again and it continues where it stopped.');
    const body = lines.join('\r\n') + '\r\n';
    const head = [
        `From: Postern <postmaster@${domain}>`,
        `To: <${f.account}>`,
        `Subject: =?utf-8?Q?${encodeQ(f.failed ? `Import from ${f.from} stopped` : `Import from ${f.from} finished`)}?=`,
        `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
        `Message-ID: <import-${randomBytes(9).toString('hex')}@${domain}>`,
        'X-Postern-Import-Summary: yes',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
    ];
    return Buffer.from(head.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}
function encodeQ(s) {
    return [...Buffer.from(s, 'utf8')].map((b) => (b >= 0x21 && b <= 0x7e && b !== 0x3d && b !== 0x3f && b !== 0x5f ? String.fromCharCode(b) : b === 0x20 ? '_' : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
export async function sendSummary(pipeline, accountId, facts) {
    await pipeline.append([{ accountId, mailbox: 'INBOX' }], summaryMessage(facts));
}
//# sourceMappingURL=summary.js.map