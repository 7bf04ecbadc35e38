export const ENHANCED_CODE_RE = /^[245]\.\d{1,3}\.\d{1,3} /;
export function smtpReply(code, enhanced, text) {
    const e = new Error(`${enhanced} ${text}`);
    e.name = 'SmtpReply';
    e.responseCode = code;
    return e;
}
export function isSmtpReply(e) {
    return e instanceof Error && typeof e.responseCode === 'number';
}
/** The answers used in more than one place. */
export const REPLY = {
    relayDenied: () => smtpReply(554, '5.7.1', 'Relay access denied: this server accepts mail only for its own domains'),
    unknownUser: () => smtpReply(550, '5.1.1', 'No such user here'),
    notYourAddress: () => smtpReply(553, '5.7.1', 'Sender address rejected: not one of your addresses or aliases'),
    tempFailure: () => smtpReply(451, '4.3.0', 'Local error while storing the message; nothing was stored, try again later'),
    shuttingDown: () => smtpReply(421, '4.3.2', 'Service shutting down, try again later'),
};
//# sourceMappingURL=replies.js.map