// A short plain-text message from the box to its admins (an update rolled back, say).
import { randomBytes } from 'node:crypto';
export function noticeMessage(config, subject, lines) {
    const from = `postmaster@${config.domains[0]}`;
    return Buffer.from([
        `From: Postern <${from}>`, `To: Postern admins <${from}>`, `Subject: ${subject}`, `Date: ${new Date().toUTCString()}`,
        `Message-ID: <update-${randomBytes(8).toString('hex')}@${config.hostname}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit', 'Auto-Submitted: auto-generated', '', ...lines, '',
    ].join('\r\n'));
}
//# sourceMappingURL=notice.js.map