export class TargetError extends Error {
    constructor(message) { super(message); this.name = 'TargetError'; }
}
export async function openTarget(kind, location) {
    switch (kind) {
        case 'folder': return (await import('./folder-target.js')).FolderTarget.open(location);
        case 'imap': return (await import('./imap-target.js')).ImapTarget.open(location);
        case 'peer': throw new TargetError('backups to a peer box over Tor are not built yet: use a folder or an IMAP target');
    }
}
//# sourceMappingURL=target.js.map