// The names of the files in a zip archive, from its central directory (APPNOTE.TXT 4.3.12, 4.3.16):
// found through the end-of-central-directory record in the archive's last 64 KiB. No extraction.
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const MAX_ENTRIES = 2000;
export function zipEntryNames(b) {
    const names = [];
    const lowest = Math.max(0, b.length - 22 - 65535);
    let eocd = -1;
    for (let i = b.length - 22; i >= lowest; i--) {
        if (b.readUInt32LE(i) === EOCD) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0)
        return names;
    const entries = b.readUInt16LE(eocd + 10);
    const size = b.readUInt32LE(eocd + 12);
    let pos = b.readUInt32LE(eocd + 16);
    // data prepended to the archive (self-extractors): the directory ends where the record starts
    if (pos + size !== eocd && eocd - size >= 0)
        pos = eocd - size;
    for (let n = 0; n < Math.min(entries, MAX_ENTRIES) && pos + 46 <= b.length; n++) {
        if (b.readUInt32LE(pos) !== CENTRAL)
            break;
        const flags = b.readUInt16LE(pos + 8);
        const nameLen = b.readUInt16LE(pos + 28);
        const extraLen = b.readUInt16LE(pos + 30);
        const commentLen = b.readUInt16LE(pos + 32);
        if (pos + 46 + nameLen > b.length)
            break;
        const raw = b.subarray(pos + 46, pos + 46 + nameLen);
        names.push(flags & 0x800 ? raw.toString('utf8') : raw.toString('latin1'));
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return names;
}
//# sourceMappingURL=zip.js.map