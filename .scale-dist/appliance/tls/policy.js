import { constants } from 'node:crypto';
export const TLS12_CIPHERS = [
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
];
export const TLS13_CIPHERS = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];
export const CIPHERS = [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(':');
const SECURE_OPTIONS = constants.SSL_OP_NO_COMPRESSION | constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_CIPHER_SERVER_PREFERENCE;
/** Options for a TLS server (tls.createServer, https, smtp-server, the IMAP listener). */
export function serverTlsOptions(id) {
    return {
        key: id.keys.map((k) => k.key),
        cert: id.keys.map((k) => `${k.cert}\n${id.ca}`),
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        ciphers: CIPHERS,
        honorCipherOrder: true,
        ecdhCurve: 'X25519:prime256v1:secp384r1',
        secureOptions: SECURE_OPTIONS,
        sessionTimeout: 300,
    };
}
/** Options for an outbound TLS client (delivery, relay, SMTorP). Verification is decided by the
 *  caller (opportunistic MX delivery does not verify; pinned peers check fingerprints). */
export function clientTlsOptions(extra = {}) {
    return {
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        ciphers: CIPHERS,
        ecdhCurve: 'X25519:prime256v1:secp384r1',
        secureOptions: constants.SSL_OP_NO_COMPRESSION | constants.SSL_OP_NO_RENEGOTIATION,
        ...extra,
    };
}
//# sourceMappingURL=policy.js.map