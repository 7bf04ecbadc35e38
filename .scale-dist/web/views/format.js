// Small formatters the panel's pages share.
/** A byte count in words a household reads: "512 bytes", "3.4 MB". */
export function formatBytes(n) {
    if (n < 1024)
        return `${n} bytes`;
    const units = ['KB', 'MB', 'GB', 'TB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
/** An SVG (a QR code) as a data: URL for an <img>, allowed by the panel's CSP (img-src data:). */
export function svgDataUrl(svg) {
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
//# sourceMappingURL=format.js.map