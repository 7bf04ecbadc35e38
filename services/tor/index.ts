// The Tor system service: public surface (status types for the panel and the CLI).
export type { TorStatus, TorService, OnionStatus, OnionName } from './status.js';
