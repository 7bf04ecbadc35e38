// The one TLS policy every listener and client uses (Runbox's list in the seeds): TLS 1.2 or 1.3
// only, forward-secret key exchange (ECDHE) with AEAD ciphers only (AES-GCM, ChaCha20-Poly1305),
// the server's cipher order, no RSA key exchange, no CBC, no SHA-1 MACs, no compression, no
// renegotiation.
import type { SecureContextOptions, ConnectionOptions } from 'node:tls';
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

export interface ServerIdentity {
  /** PEM key/cert pairs: the box serves an ECDSA and an RSA certificate, chosen per client */
  keys: Array<{ key: string; cert: string }>;
  /** the local CA certificate (PEM), sent in the chain */
  ca: string;
}

/** Options for a TLS server (tls.createServer, https, smtp-server, the IMAP listener). */
export function serverTlsOptions(id: ServerIdentity): SecureContextOptions & { honorCipherOrder: boolean; minVersion: 'TLSv1.2'; maxVersion: 'TLSv1.3' } {
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
export function clientTlsOptions(extra: ConnectionOptions = {}): ConnectionOptions {
  return {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: CIPHERS,
    ecdhCurve: 'X25519:prime256v1:secp384r1',
    secureOptions: constants.SSL_OP_NO_COMPRESSION | constants.SSL_OP_NO_RENEGOTIATION,
    ...extra,
  };
}
