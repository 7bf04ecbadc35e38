// The IMAP server's limits and timeouts in one place. Tests running an appliance in-process may
// lower the delays (e.g. `imapLimits.authFailureDelayMs = 10`); production uses these values.
export const imapLimits = {
  /** RFC 9051 5.4: at least 30 minutes of inactivity before an autologout once authenticated */
  idleTimeoutMs: 30 * 60_000,
  /** before authentication the client has one minute between commands */
  preAuthTimeoutMs: 60_000,
  /** the longest line of a command, and all lines of one command together */
  maxLine: 64 * 1024,
  maxCommand: 256 * 1024,
  /** a literal outside APPEND (passwords, search strings, mailbox names) */
  maxLiteral: 64 * 1024,
  /** the messages of one APPEND together (MULTIAPPEND, RFC 3502), when more than APPENDLIMIT */
  maxAppendTotal: 64 * 1024 * 1024,
  /** BAD answers before login after which the connection is closed */
  maxBadBeforeLogin: 20,
  /** frames waiting while a command runs before the socket is paused */
  maxQueuedCommands: 64,
  /** authentication failures: each is answered after this delay ... */
  authFailureDelayMs: 1000,
  /** ... and after this many failures for one user from one address, both are locked out */
  maxFailuresPerClientUser: 5,
  /** one user from anywhere (onion clients all come from loopback) */
  maxFailuresPerUser: 20,
  /** one address for any user */
  maxFailuresPerAddress: 30,
  lockoutMs: 15 * 60_000,
  /** open connections in all, and from one client address */
  maxConnections: 500,
  maxConnectionsPerAddress: 50,
  /** IDLE: besides store events, look for changes this often (a safety net) */
  idlePollMs: 15_000,
};
