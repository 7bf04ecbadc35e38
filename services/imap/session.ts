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
import { CommandFramer, type Frame, type FramerLimits } from './framing.js';
import { parseCommand, ParseError, type ImapCommand } from './parser.js';
import { ImapError, bad } from './errors.js';
import { atom, serialize, type ImapValue } from './wire.js';
import type { SelectedMailbox } from './selected.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { Enableable, ImapSession, SessionNotifier, SessionState } from './session-state.js';
import { COMMANDS } from './commands/index.js';
import { imapInput, imapLimits } from './limits.js';
import { capabilityList } from './capabilities.js';
import { ResultContexts } from './search/context.js';

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

/** Commands during which EXPUNGE must not be sent (RFC 9051 7.5.1, RFC 3501 7.4.1): the client
 *  could not match the sequence numbers of its command with the responses. SORT and THREAD
 *  answer with sequence numbers like SEARCH (RFC 5256); their UID forms, like UID SEARCH, may. */
const NO_EXPUNGE = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD']);

class Closed extends Error {}

/** bytes handed to the framer at a time (between them the session may pause) */
const FEED_SLICE = 4096;

export class Session implements ImapSession {
  state: SessionState = 'not-authenticated';
  secure: boolean;
  account: Account | undefined;
  selected: SelectedMailbox | undefined;
  readonly enabled = new Set<Enableable>();
  saved: number[] = [];
  /** SEARCH/SORT RETURN (UPDATE) results kept up to date (RFC 5267) */
  readonly contexts = new ResultContexts();
  /** NOTIFY (RFC 5465) */
  notifier: SessionNotifier | undefined;
  /** the command running (for NOTIFY's window) */
  private current: string | undefined;
  readonly clientAddress: string;
  private condstoreOn = false;
  private badBeforeLogin = 0;
  private commandsBeforeLogin = 0;
  private corked = false;
  private socket: Socket;
  private framer!: CommandFramer;
  private queue: Frame[] = [];
  private busy = false;
  private paused = false;
  private closed = false;
  /** end() was called: nothing more is read or run */
  private ending = false;
  private lineWaiter: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lifetime: NodeJS.Timeout | undefined;
  /** bytes of the frames in the queue (and the one running), taken from `imapInput` */
  private queuedBytes = 0;
  private readonly frameBytes = new WeakMap<Frame, number>();
  /** literal bytes of the command being received, taken from `imapInput` when announced */
  private literalReserved = 0;
  private waitingForBudget = false;
  private after: Array<() => Promise<void> | void> = [];
  private unsubscribe: (() => void) | undefined;
  private changeWaiters: Array<() => void> = [];
  /** input not yet framed: the framer gets it a slice at a time and stops when the session pauses
   *  (a socket may hand over much more than one read at once) */
  private backlog: Buffer[] = [];
  private readonly onData = (chunk: Buffer) => { if (this.ending) return; this.backlog.push(chunk); this.feed(); };

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
  get idling(): boolean { return this.current === 'IDLE'; }
  get notifyWindow(): boolean { return !this.closed && (!this.busy || this.idling); }

  start(): void {
    this.resetTimer();
    this.lifetime = setTimeout(() => { if (this.state === 'not-authenticated') this.deadline('* BYE Autologout: not logged in in time\r\n'); }, imapLimits.preAuthLifetimeMs);
    this.lifetime.unref();
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
    // Before login a command is small; the limits follow the state.
    const pre = () => this.state === 'not-authenticated';
    const limits: FramerLimits = {
      get maxLine() { return pre() ? Math.min(imapLimits.maxLine, imapLimits.preAuthMaxCommand) : imapLimits.maxLine; },
      get maxCommand() { return pre() ? imapLimits.preAuthMaxCommand : imapLimits.maxCommand; },
      get maxLiteral() { return imapLimits.maxLiteral; },
    };
    this.framer = new CommandFramer(
      limits,
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
          } else if (a.size > imapLimits.maxLiteral || a.sofar + a.size > limits.maxCommand) {
            return bad(`literal too large (the limit is ${Math.min(imapLimits.maxLiteral, limits.maxCommand)} bytes outside APPEND)`, 'TOOBIG');
          }
          // The bytes are held until the command has run: they must fit the process's budget.
          if (!imapInput.take(a.size)) return new ImapError('NO', 'the server is receiving too much data at once; try again later', 'LIMIT');
          this.literalReserved += a.size;
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
    // The frame holds its lines and literals (taken when announced) until it has run.
    const lines = this.lineBytes(f);
    const bytes = lines + this.literalReserved;
    this.literalReserved = 0;
    if (this.lineWaiter && this.queue.length === 0) {
      imapInput.give(bytes - lines);
      const w = this.lineWaiter;
      this.lineWaiter = undefined;
      w.resolve(f.lines[0] ?? Buffer.alloc(0));
      return;
    }
    this.frameBytes.set(f, bytes);
    this.queuedBytes += bytes;
    const withinBudget = imapInput.force(lines);
    this.queue.push(f);
    if (!withinBudget || this.queueFull()) this.pause();
    void this.pump();
  }

  private lineBytes(f: Frame): number {
    let n = 0;
    for (const l of f.lines) n += l.length + 2;
    return n;
  }

  private queueFull(): boolean {
    const maxBytes = this.state === 'not-authenticated' ? imapLimits.preAuthMaxQueuedBytes : imapLimits.maxQueuedBytes;
    return this.queue.length >= imapLimits.maxQueuedCommands || this.queuedBytes >= maxBytes;
  }

  private feed(): void {
    try {
      while (this.backlog.length > 0 && !this.paused && !this.closed && !this.ending) {
        let c = this.backlog.shift()!;
        if (c.length > FEED_SLICE) { this.backlog.unshift(c.subarray(FEED_SLICE)); c = c.subarray(0, FEED_SLICE); }
        this.framer.push(c);
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** Stop reading: TCP pushes back on the client. */
  private pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.socket.pause();
  }

  /** Read again once the queue has room and the process's budget too. */
  private maybeResume(): void {
    if (!this.paused || this.closed || this.ending || this.waitingForBudget) return;
    const maxBytes = this.state === 'not-authenticated' ? imapLimits.preAuthMaxQueuedBytes : imapLimits.maxQueuedBytes;
    if (this.queue.length >= imapLimits.maxQueuedCommands / 2 || this.queuedBytes >= maxBytes / 2) return;
    if (imapInput.full) {
      this.waitingForBudget = true;
      imapInput.whenFree(() => { this.waitingForBudget = false; this.maybeResume(); });
      return;
    }
    this.paused = false;
    this.feed();
    if (!this.paused) this.socket.resume();
  }

  /** A frame has run (or was dropped): its bytes go back. */
  private release(f: Frame): void {
    const bytes = this.frameBytes.get(f) ?? 0;
    this.frameBytes.delete(f);
    this.queuedBytes -= bytes;
    imapInput.give(bytes);
  }

  readLine(): Promise<Buffer> {
    this.flush();
    if (this.closed) return Promise.reject(new Closed('connection closed'));
    const f = this.queue.shift();
    if (f) { this.release(f); this.maybeResume(); return Promise.resolve(f.lines[0] ?? Buffer.alloc(0)); }
    return new Promise((resolve, reject) => { this.lineWaiter = { resolve, reject }; });
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed && this.state !== 'logout') {
        const f = this.queue.shift()!;
        try {
          await this.execute(f);
        } finally {
          this.release(f);
        }
        this.maybeResume();
        // Fairness: one command per connection per turn of the event loop. A command whose
        // answer fits the socket's buffer completes without a real wait, so without this a
        // client that pipelines commands would run them all before anyone else is served.
        if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
    // NOTIFY: what happened while commands ran
    this.notifier?.deliver();
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
    if (this.state === 'not-authenticated' && ++this.commandsBeforeLogin > imapLimits.maxCommandsBeforeLogin) {
      // Not waiting for the BYE to drain: this client may never read; end() destroys the socket.
      void this.write(Buffer.from(`* BYE too many commands before login (the limit is ${imapLimits.maxCommandsBeforeLogin})\r\n`));
      this.logout();
      this.end();
      return;
    }
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
    this.current = cmd.name;
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
    this.current = undefined;
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
        void this.write(Buffer.from('* BYE too many invalid commands\r\n'));
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
    this.backlog = [];
    this.dropQueue();
    if (this.paused) { this.paused = false; plain.resume(); }
    this.newFramer();
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.opts.secureContext });
    this.secure = true;
    this.attach(secure);
  }

  login(account: Account): void {
    this.account = account;
    this.state = 'authenticated';
    if (this.lifetime) clearTimeout(this.lifetime);
    this.resetTimer();
    this.unsubscribe = this.store.events.subscribe((c) => this.onChange(c));
  }

  select(box: SelectedMailbox | undefined): void {
    this.selected = box;
    this.saved = [];
    this.contexts.clear();
    this.state = box ? 'selected' : 'authenticated';
  }

  logout(): void { this.state = 'logout'; }

  async sendUpdates(expunge: boolean): Promise<void> {
    const box = this.selected;
    if (!box) return;
    const watch = this.contexts.size > 0;
    const fromUid = box.maxUid;
    const snap = watch ? this.contexts.prepare(box, this.store.mailboxes.byId(box.id)?.highestModseq ?? 0, expunge) : undefined;
    const { updates, gone } = box.refresh({ expunge, condstore: this.condstore, qresync: this.qresync });
    if (gone) {
      await this.write(Buffer.from('* BYE the selected mailbox was deleted\r\n'));
      this.logout();
      this.end();
      return;
    }
    // RFC 5267 4.3: contexts' REMOVEFROM before the EXPUNGEs, ADDTO after the EXISTS
    const ctx = snap ? this.contexts.finish(box, snap, updates.length > 0, this.store.mailboxes.byId(box.id)?.highestModseq ?? 0) : undefined;
    for (const u of ctx?.before ?? []) await this.untagged(...u);
    for (const u of updates) await this.untagged(...u);
    for (const u of ctx?.after ?? []) await this.untagged(...u);
    if (this.notifier && this.selected === box) await this.notifier.announceNew(fromUid);
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
    this.timer = setTimeout(() => this.deadline('* BYE Autologout: no command for too long\r\n'), ms);
    this.timer.unref();
  }

  /** A deadline passed: say BYE and close, without waiting for the client to read anything (a
   *  client that never reads would otherwise keep the session: its writes never drain). */
  private deadline(bye: string): void {
    if (this.closed) return;
    if (!this.socket.destroyed) this.socket.write(bye);
    this.flush();
    this.end();
  }

  /** Close after the output is flushed. */
  end(): void {
    if (this.closed) return;
    // Nothing more is read or run: what the client still sends stays in the kernel's buffers, and
    // the commands still queued give their bytes back now (not when the socket is destroyed).
    this.ending = true;
    this.backlog = [];
    this.dropQueue();
    this.pause();
    this.socket.end();
    const s = this.socket;
    setTimeout(() => s.destroy(), imapLimits.closeGraceMs).unref();
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
    this.notifier?.stop();
    const w = this.lineWaiter;
    this.lineWaiter = undefined;
    w?.reject(new Closed('connection closed'));
    const cw = this.changeWaiters;
    this.changeWaiters = [];
    for (const f of cw) f();
    this.dropQueue();
    if (this.lifetime) clearTimeout(this.lifetime);
  }

  /** Forget the commands not yet run (closed, or plaintext before STARTTLS), giving their bytes back. */
  private dropQueue(): void {
    for (const f of this.queue) this.release(f);
    this.queue = [];
    imapInput.give(this.literalReserved);
    this.literalReserved = 0;
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
