// One IMAP connection (RFC 9051 section 3): the state machine not authenticated -> authenticated
// -> selected -> logout, command dispatch in arrival order, responses, timeouts, STARTTLS, and the
// untagged updates (EXISTS, EXPUNGE, FETCH FLAGS) other sessions' changes cause.
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Account, Store } from '../../appliance/store/index.js';
import { StoreError } from '../../appliance/store/index.js';
import type { MailPipeline } from '../../appliance/pipeline.js';
import type { Config } from '../../appliance/config.js';
import type { MailboxChange } from '../../appliance/events.js';
import { log, redact } from '../../appliance/log.js';
import { CommandFramer, type Frame } from './framing.js';
import { parseCommand, ParseError, type ImapCommand } from './parser.js';
import { ImapError, bad } from './errors.js';
import { atom, serialize, type ImapValue } from './wire.js';
import type { SelectedMailbox } from './selected.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { Enableable, ImapSession, SessionState } from './session-state.js';
import { COMMANDS } from './commands/index.js';
import { imapLimits } from './limits.js';
import { capabilityList } from './capabilities.js';

export interface SessionOptions {
  store: Store;
  pipeline: MailPipeline;
  config: Config;
  throttle: AuthThrottle;
  secureContext: SecureContext;
  implicitTls: boolean;
  /** the largest message APPEND takes (APPENDLIMIT) */
  appendLimit: number;
  /** the client identity for limits and logs when it is not the socket's address (an onion
   *  connection's tor circuit: appliance/tor-circuit.ts) */
  clientAddress?: string;
}

/** Commands during which EXPUNGE must not be sent (RFC 9051 7.5.1): the client could not match
 *  the sequence numbers of its command with the responses. */
const NO_EXPUNGE = new Set(['FETCH', 'STORE', 'SEARCH']);

class Closed extends Error {}

export class Session implements ImapSession {
  state: SessionState = 'not-authenticated';
  secure: boolean;
  account: Account | undefined;
  selected: SelectedMailbox | undefined;
  readonly enabled = new Set<Enableable>();
  saved: number[] = [];
  readonly clientAddress: string;
  private condstoreOn = false;
  private badBeforeLogin = 0;
  private corked = false;
  private socket: Socket;
  private framer!: CommandFramer;
  private queue: Frame[] = [];
  private busy = false;
  private paused = false;
  private closed = false;
  private lineWaiter: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private after: Array<() => Promise<void> | void> = [];
  private unsubscribe: (() => void) | undefined;
  private changeWaiters: Array<() => void> = [];
  private readonly onData = (chunk: Buffer) => { try { this.framer.push(chunk); } catch (e) { this.fail(e); } };

  constructor(socket: Socket, private readonly opts: SessionOptions) {
    this.socket = socket;
    this.secure = opts.implicitTls;
    this.clientAddress = opts.clientAddress ?? socket.remoteAddress ?? 'unknown';
    this.newFramer();
    this.attach(socket);
  }

  get store(): Store { return this.opts.store; }
  get pipeline(): MailPipeline { return this.opts.pipeline; }
  get config(): Config { return this.opts.config; }
  get throttle(): AuthThrottle { return this.opts.throttle; }
  get appendLimit(): number { return this.opts.appendLimit; }
  get rev2(): boolean { return this.enabled.has('IMAP4REV2'); }
  get utf8(): boolean { return this.enabled.has('UTF8=ACCEPT') || this.rev2; }
  get condstore(): boolean { return this.condstoreOn || this.enabled.has('CONDSTORE') || this.enabled.has('QRESYNC'); }
  get qresync(): boolean { return this.enabled.has('QRESYNC'); }

  start(): void {
    this.resetTimer();
    void this.write(Buffer.from(`* OK [CAPABILITY ${this.capabilities().join(' ')}] Postern IMAP ready\r\n`));
  }

  capabilities(): string[] {
    return capabilityList({ secure: this.secure, authenticated: this.state !== 'not-authenticated', appendLimit: this.opts.appendLimit });
  }

  enable(ext: Enableable): void { this.enabled.add(ext); }
  enableCondstore(): void {
    const was = this.condstore;
    this.condstoreOn = true;
    // RFC 7162 3.1: a CONDSTORE enabling command in the selected state is answered with the
    // mailbox's HIGHESTMODSEQ (SELECT/EXAMINE send it themselves).
    if (!was && this.selected && this.state === 'selected') {
      const mb = this.store.mailboxes.byId(this.selected.id);
      if (mb) void this.untagged(atom('OK'), atom(`[HIGHESTMODSEQ ${mb.highestModseq}]`), atom('highest modseq'));
    }
  }

  private newFramer(): void {
    this.framer = new CommandFramer(
      { maxLine: imapLimits.maxLine, maxCommand: imapLimits.maxCommand, maxLiteral: imapLimits.maxLiteral },
      {
        frame: (f) => this.onFrame(f),
        literal: (a) => {
          const words = a.firstLine.subarray(0, 64).toString('latin1').split(' ');
          const isAppend = (words[1] ?? '').toUpperCase() === 'APPEND';
          if (isAppend && this.state !== 'not-authenticated') {
            // Each message up to APPENDLIMIT; the messages of one MULTIAPPEND together are bounded too.
            if (a.size > this.opts.appendLimit) return new ImapError('NO', `the message is too large (APPENDLIMIT is ${this.opts.appendLimit} bytes)`, 'TOOBIG');
            const total = Math.max(this.opts.appendLimit, imapLimits.maxAppendTotal);
            if (a.sofar + a.size > total) return new ImapError('NO', `the messages of one APPEND are too large together (the limit is ${total} bytes)`, 'TOOBIG');
            return undefined;
          }
          if (a.size > imapLimits.maxLiteral || a.sofar + a.size > imapLimits.maxCommand) return bad(`literal too large (the limit is ${imapLimits.maxLiteral} bytes outside APPEND)`, 'TOOBIG');
          return undefined;
        },
        proceed: () => { void this.write(Buffer.from('+ Ready for literal data\r\n')); this.flush(); },
      },
    );
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.cleanup());
  }

  private onFrame(f: Frame): void {
    if (this.lineWaiter && this.queue.length === 0) {
      const w = this.lineWaiter;
      this.lineWaiter = undefined;
      w.resolve(f.lines[0] ?? Buffer.alloc(0));
      return;
    }
    this.queue.push(f);
    if (this.queue.length >= imapLimits.maxQueuedCommands && !this.paused) { this.paused = true; this.socket.pause(); }
    void this.pump();
  }

  readLine(): Promise<Buffer> {
    this.flush();
    if (this.closed) return Promise.reject(new Closed('connection closed'));
    const f = this.queue.shift();
    if (f) return Promise.resolve(f.lines[0] ?? Buffer.alloc(0));
    return new Promise((resolve, reject) => { this.lineWaiter = { resolve, reject }; });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed && this.state !== 'logout') {
        const f = this.queue.shift()!;
        await this.execute(f);
        if (this.paused && this.queue.length < imapLimits.maxQueuedCommands / 2) { this.paused = false; this.socket.resume(); }
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  private async execute(f: Frame): Promise<void> {
    // The responses of one command leave in as few TLS records and packets as possible.
    if (!this.corked && !this.socket.destroyed) { this.socket.cork(); this.corked = true; }
    try {
      await this.executeFrame(f);
    } finally {
      this.flush();
    }
  }

  private async executeFrame(f: Frame): Promise<void> {
    this.resetTimer();
    if (f.error) { await this.tagged(f.tag ?? '*', f.error.status, f.error.message, f.error.code); return; }
    let cmd: ImapCommand;
    try {
      cmd = parseCommand(f);
    } catch (e) {
      if (e instanceof ParseError) { await this.tagged(e.tag ?? '*', 'BAD', e.message); return; }
      throw e;
    }
    const handler = COMMANDS.get(cmd.name);
    if (!handler) { await this.tagged(cmd.tag, 'BAD', `unknown command ${cmd.name.slice(0, 40)}`); return; }
    if (!handler.states.includes(this.state)) {
      const why = this.state === 'not-authenticated' ? 'log in first' : this.state === 'authenticated' ? 'select a mailbox first' : 'not allowed now';
      await this.tagged(cmd.tag, 'BAD', `${cmd.name} is not valid in this state: ${why}`);
      return;
    }
    try {
      const r = await handler.run(this, cmd);
      if (this.closed) return;
      if (this.selected && this.state === 'selected') await this.sendUpdates(!NO_EXPUNGE.has(cmd.name));
      await this.tagged(cmd.tag, 'OK', r?.text ?? `${cmd.name} completed`, r?.code);
    } catch (e) {
      if (e instanceof Closed || this.closed) return;
      if (e instanceof ImapError) {
        if (this.selected && this.state === 'selected') await this.sendUpdates(!NO_EXPUNGE.has(cmd.name)).catch(() => undefined);
        await this.tagged(cmd.tag, e.status, e.message, e.code);
      } else if (e instanceof StoreError) {
        await this.tagged(cmd.tag, 'NO', e.message, storeCode(e));
      } else {
        log.error('imap.command-failed', { command: cmd.name, error: (e as Error).message, stack: (e as Error).stack?.split('\n').slice(0, 4).join(' | ') });
        await this.tagged(cmd.tag, 'NO', 'internal server error; the command was not completed', 'SERVERBUG');
      }
    }
    this.flush();
    const after = this.after;
    this.after = [];
    for (const fn of after) await fn();
    if (this.state === 'logout') this.end();
  }

  private async tagged(tag: string, status: 'OK' | 'NO' | 'BAD', text: string, code?: string): Promise<void> {
    // Something that is not an IMAP client (a web browser, a port scanner) gets few answers.
    if (status === 'BAD' && this.state === 'not-authenticated') {
      if (++this.badBeforeLogin > imapLimits.maxBadBeforeLogin) {
        await this.write(Buffer.from('* BYE too many invalid commands\r\n'));
        this.logout();
        this.end();
        return;
      }
    }
    const clean = text.replace(/[\r\n\0]+/g, ' ').slice(0, 400);
    await this.write(Buffer.from(`${tag} ${status} ${code ? `[${code}] ` : ''}${clean}\r\n`));
  }

  untagged(...values: ImapValue[]): Promise<void> {
    const out: Buffer[] = [Buffer.from('* ')];
    values.forEach((v, i) => { if (i) out.push(Buffer.from(' ')); serialize(v, { utf8: this.utf8 }, out); });
    out.push(Buffer.from('\r\n'));
    return this.write(Buffer.concat(out));
  }

  continuation(text: string): Promise<void> {
    const p = this.write(Buffer.from(`+ ${text}\r\n`));
    this.flush();
    return p;
  }

  /** Send what is corked now (before waiting for the client, and at the end of a command). */
  private flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  private write(buf: Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed) return Promise.resolve();
    if (this.socket.write(buf)) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => {
      const done = () => { this.socket.off('drain', done); this.socket.off('close', done); resolve(); };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  afterReply(fn: () => Promise<void> | void): void { this.after.push(fn); }

  /** Called by STARTTLS before its OK: stop reading plaintext at once (anything the client sent
   *  after STARTTLS, before the handshake, is discarded: a command injection otherwise). */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    this.queue = [];
    if (this.paused) { this.paused = false; plain.resume(); }
    this.newFramer();
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.opts.secureContext });
    this.secure = true;
    this.attach(secure);
  }

  login(account: Account): void {
    this.account = account;
    this.state = 'authenticated';
    this.resetTimer();
    this.unsubscribe = this.store.events.subscribe((c) => this.onChange(c));
  }

  select(box: SelectedMailbox | undefined): void {
    this.selected = box;
    this.saved = [];
    this.state = box ? 'selected' : 'authenticated';
  }

  logout(): void { this.state = 'logout'; }

  async sendUpdates(expunge: boolean): Promise<void> {
    const box = this.selected;
    if (!box) return;
    const { updates, gone } = box.refresh({ expunge, condstore: this.condstore, qresync: this.qresync });
    if (gone) {
      await this.write(Buffer.from('* BYE the selected mailbox was deleted\r\n'));
      this.logout();
      this.end();
      return;
    }
    for (const u of updates) await this.untagged(...u);
  }

  changed(mailboxId: number, kind: MailboxChange['kind']): void {
    if (!this.account) return;
    this.store.events.emit({ accountId: this.account.id, mailboxId, kind });
  }

  private onChange(c: MailboxChange): void {
    if (!this.selected || c.mailboxId !== this.selected.id || this.changeWaiters.length === 0) return;
    // Events fire inside the store's transaction: look at the mailbox once it has committed.
    setImmediate(() => { const ws = this.changeWaiters; this.changeWaiters = []; for (const w of ws) w(); });
  }

  waitForChange(stop: Promise<unknown>): Promise<'change' | 'stop'> {
    this.flush();
    return new Promise((resolve) => {
      let done = false;
      const waiter = () => finish('change');
      const poll = setTimeout(waiter, imapLimits.idlePollMs);
      const finish = (r: 'change' | 'stop') => {
        if (done) return;
        done = true;
        clearTimeout(poll);
        this.changeWaiters = this.changeWaiters.filter((w) => w !== waiter);
        resolve(r);
      };
      this.changeWaiters.push(waiter);
      stop.then(() => finish('stop'), () => finish('stop'));
    });
  }

  private resetTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    const ms = this.state === 'not-authenticated' ? imapLimits.preAuthTimeoutMs : imapLimits.idleTimeoutMs;
    this.timer = setTimeout(() => {
      void this.write(Buffer.from('* BYE Autologout: no command for too long\r\n')).then(() => this.end());
    }, ms);
    this.timer.unref();
  }

  /** Close after the output is flushed. */
  end(): void {
    if (this.closed) return;
    this.socket.end();
    const s = this.socket;
    setTimeout(() => s.destroy(), 2000).unref();
  }

  /** Tell the client and close (server shutdown). */
  shutdown(): void {
    if (this.closed) return;
    void this.write(Buffer.from('* BYE [UNAVAILABLE] the server is shutting down\r\n')).then(() => this.end());
  }

  private fail(e: unknown): void {
    log.error('imap.session-failed', { error: (e as Error).message, client: redact('ip', this.clientAddress) });
    if (!this.closed) { void this.write(Buffer.from('* BYE [SERVERBUG] internal server error\r\n')); this.end(); }
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    const w = this.lineWaiter;
    this.lineWaiter = undefined;
    w?.reject(new Closed('connection closed'));
    const cw = this.changeWaiters;
    this.changeWaiters = [];
    for (const f of cw) f();
    this.queue = [];
  }
}

function storeCode(e: StoreError): string | undefined {
  switch (e.code) {
    case 'not-found': return 'NONEXISTENT';
    case 'exists': return 'ALREADYEXISTS';
    case 'over-quota': return 'OVERQUOTA';
    case 'in-use': return 'INUSE';
    case 'invalid': return 'CANNOT';
    case 'auth': return 'AUTHENTICATIONFAILED';
    default: return undefined;
  }
}
