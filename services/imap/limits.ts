// The IMAP server's limits and timeouts in one place. Tests running an appliance in-process may
// lower the delays (e.g. `imapLimits.authFailureDelayMs = 10`); production uses these values.
import { MemoryBudget } from '../../appliance/memory-budget.js';

export const imapLimits = {
  /** RFC 9051 5.4: at least 30 minutes of inactivity before an autologout once authenticated */
  idleTimeoutMs: 30 * 60_000,
  /** before authentication the client has one minute between commands ... */
  preAuthTimeoutMs: 60_000,
  /** ... and five minutes in all to log in. Either deadline destroys the socket even when the
   *  client never reads (a write that never drains does not keep a session) */
  preAuthLifetimeMs: 5 * 60_000,
  /** after the BYE of a deadline, the socket is destroyed this much later whatever is unsent */
  closeGraceMs: 2000,
  /** the longest line of a command, and all lines of one command together */
  maxLine: 64 * 1024,
  maxCommand: 256 * 1024,
  /** a literal outside APPEND (passwords, search strings, mailbox names) */
  maxLiteral: 64 * 1024,
  /** the messages of one APPEND together (MULTIAPPEND, RFC 3502), when more than APPENDLIMIT */
  maxAppendTotal: 64 * 1024 * 1024,
  /** BAD answers before login after which the connection is closed */
  maxBadBeforeLogin: 20,
  /** commands in all before login (a client needs a handful: CAPABILITY, ID, STARTTLS, LOGIN or
   *  AUTHENTICATE, a few retries); past it the connection is closed: a stranger who pipelines
   *  thousands of cheap commands gets no more of the process's time than a client that logs in */
  maxCommandsBeforeLogin: 50,
  /** before login a command is small (LOGIN, AUTHENTICATE PLAIN, STARTTLS, ID): a line and all
   *  lines of one command together. The largest is a legal ID (RFC 2971 3.3: 30 pairs of a 30-octet
   *  field and a 1024-octet value, about 32 KB quoted), which imaptest's `id` group sends. */
  preAuthMaxCommand: 40 * 1024,
  /** commands waiting while one runs: the socket is paused (TCP pushes back) past this many ... */
  maxQueuedCommands: 64,
  /** ... or past this many bytes waiting (lines and literals), before login ... */
  preAuthMaxQueuedBytes: 64 * 1024,
  /** ... and after */
  maxQueuedBytes: 1024 * 1024,
  /** authentication failures: each is answered after this delay ... */
  authFailureDelayMs: 1000,
  /** ... and after this many failures for one user from one address, both are locked out */
  maxFailuresPerClientUser: 5,
  /** one user from anywhere (onion clients all come from loopback) */
  maxFailuresPerUser: 20,
  /** one address for any user */
  maxFailuresPerAddress: 30,
  lockoutMs: 15 * 60_000,
  /** open connections in all, and from one client: its address, or the identity its listener
   *  supplies (a Tor circuit); loopback connections without one (every onion client arrives from
   *  127.0.0.1) only count against the total */
  maxConnections: 500,
  maxConnectionsPerAddress: 50,
  /** loopback is shared (tor's onion clients); false makes it one client like any address */
  sharedLoopback: true,
  /** IDLE: besides store events, look for changes this often (a safety net) */
  idlePollMs: 15_000,
};

/** Bytes of client input (queued commands, literals being received) all IMAP sessions of the
 *  process together may hold. Past it, literals are refused (NO [LIMIT]) and sessions stop reading
 *  until bytes are given back. One APPEND of the largest message (50 MB) always fits. */
export const imapInput = new MemoryBudget(128 * 1024 * 1024);
