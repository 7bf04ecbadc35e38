// smtp-server with a few corrections to its replies and one limit: a reply text that starts with
// an enhanced status code keeps it (smtp-server derives one from the reply code alone); AUTH is not
// offered before TLS and is refused with 530 5.7.0 (RFC 3207, RFC 4954); an over-long command line
// gets 500 (RFC 5321 4.5.3.1.4); commands that move no mail forward are bounded per connection;
// and every connection has a hard lifetime so that a client
// trickling bytes (slowloris) cannot hold a slot forever.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ENHANCED_CODE_RE } from './replies.js';
import { MAX_JUNK_COMMANDS, isJunkCommand } from './limits.js';

const DSN_PARAMETER_ERROR_RE = /^(Error: )?(NOTIFY|Invalid RET|Bad ORCPT|duplicate (RET|ENVID|NOTIFY|ORCPT)|(RET|ENVID|NOTIFY|ORCPT) parameter requires)/;

type Connection = SMTPServer['connections'] extends Set<infer C> ? C : never;

export class PosternSmtpServer extends SMTPServer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(options: SMTPServerOptions, private readonly lifetimeMs: number) {
    super(options);
  }

  override connect(socket: Socket | TLSSocket, socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const before = new Set(this.connections);
    super.connect(socket, socketOptions);
    for (const conn of this.connections) if (!before.has(conn)) this.adopt(conn);
  }

  private adopt(conn: Connection): void {
    const send = conn.send.bind(conn);
    conn.send = (code: number, data?: string | string[] | null, context?: string | false) => {
      // AUTH before STARTTLS: RFC 3207 section 4 answers 530 5.7.0 (smtp-server says 538).
      if (code === 538) { send(530, this.options.hideENHANCEDSTATUSCODES ? 'Must issue a STARTTLS command first' : '5.7.0 Must issue a STARTTLS command first', false); return; }
      // An over-long command line: RFC 5321 4.5.3.1.4 says 500; the parser cannot go on, so close.
      if (code === 421 && typeof data === 'string' && /Command line too long/.test(data)) {
        send(500, this.options.hideENHANCEDSTATUSCODES ? 'Line too long; closing' : '5.5.2 Line too long (RFC 5321 4.5.3.1.4); closing', false);
        conn.close();
        return;
      }
      // RFC 4954 section 4: no AUTH in the EHLO answer before TLS (no password over plaintext).
      if (code === 250 && Array.isArray(data) && !conn.secure) { send(code, data.filter((l) => !/^AUTH\b/i.test(l)), context); return; }
      // smtp-server's own refusals of DSN parameters (RFC 3461): 5.5.4 and the RFC, not "Error:"
      if (code === 501 && typeof data === 'string' && DSN_PARAMETER_ERROR_RE.test(data)) {
        send(501, `${this.options.hideENHANCEDSTATUSCODES ? '' : '5.5.4 '}${data.replace(/^Error: /, '')} (RFC 3461)`, false);
        return;
      }
      if (typeof data === 'string' && ENHANCED_CODE_RE.test(data)) {
        send(code, this.options.hideENHANCEDSTATUSCODES ? data.replace(ENHANCED_CODE_RE, '') : data, false);
      } else {
        send(code, data, context);
      }
    };
    // Commands that move no mail forward are bounded per connection (limits.ts).
    let junk = 0;
    const onCommand = conn._onCommand.bind(conn);
    conn._onCommand = (command: Buffer, callback?: () => void) => {
      if (command && isJunkCommand(command) && ++junk > MAX_JUNK_COMMANDS) {
        conn.send(421, `4.7.0 Too many NOOP, RSET, VRFY or HELP commands (the limit is ${MAX_JUNK_COMMANDS}); closing`);
        return;
      }
      onCommand(command, callback);
    };
    const timer = setTimeout(() => {
      this.timers.delete(conn.id);
      if (!conn._closed && !conn._closing) conn.send(421, '4.4.2 Connection open too long, closing');
    }, this.lifetimeMs);
    timer.unref();
    this.timers.set(conn.id, timer);
  }

  /** Forget a closed session's lifetime timer (called from onClose). */
  release(sessionId: string): void {
    const t = this.timers.get(sessionId);
    if (t) { clearTimeout(t); this.timers.delete(sessionId); }
  }
}
