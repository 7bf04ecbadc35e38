export const DEFAULT_UPDATE_ROOT = '/opt/postern';
export const DEFAULT_PUBLIC_KEY = '/etc/postern/update-key.pub';
export function updateSettings(config) {
    const u = config.update ?? {};
    return {
        root: process.env.POSTERN_RELEASE_ROOT ?? u.root ?? DEFAULT_UPDATE_ROOT,
        publicKey: u.publicKey ?? DEFAULT_PUBLIC_KEY,
        ...(u.feed ? { feed: u.feed } : {}),
        ...(u.socks ? { socks: u.socks } : {}),
        window: u.window ?? '03:00-05:00',
        healthSeconds: u.healthSeconds ?? 120,
        service: u.service ?? 'systemd',
    };
}
//# sourceMappingURL=settings.js.map