// postern: the command line. Every command takes --config FILE and --data DIR.
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadConfig, ConfigError } from './config.js';
import { setLogSink, setVerbose } from './log.js';
// Light imports only: each command's module (and the store's driver) loads when it runs.
import { StoreError, StoreOpenError } from './store/errors.js';
import { ListenError } from './service.js';
import { COMMANDS } from './commands/index.js';
import { UsageError, type Command } from './commands/command.js';

const VALUE_FLAGS = new Set(['config', 'data', 'quota', 'file', 'out', 'name', 'role', 'public-key', 'root', 'feed', 'from-folder', 'from-imap', 'from-peer', 'socks', 'snapshot', 'min-seq', 'keep-daily', 'keep-weekly', 'keep-monthly', 'ca', 'every', 'mbox', 'maildir']);

export function parseArgs(argv: readonly string[]): { words: string[]; flags: Record<string, string | boolean> } {
  const words: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { words.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) { flags[a.slice(2, eq)] = a.slice(eq + 1); continue; }
      const name = a.slice(2);
      if (VALUE_FLAGS.has(name)) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        flags[name] = v;
        i++;
      } else flags[name] = true;
    } else words.push(a);
  }
  return { words, flags };
}

function findCommand(words: string[]): { command: Command; args: string[] } | undefined {
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const c of sorted) {
    const parts = c.name.split(' ');
    if (parts.every((p, i) => words[i] === p)) return { command: c, args: words.slice(parts.length) };
  }
  return undefined;
}

function torOnPath(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v tor'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let stdinLines: AsyncIterator<string> | undefined;
async function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(prompt);
    const rl = createInterface({ input: process.stdin, terminal: false });
    process.stdin.setRawMode?.(false);
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    rl.close();
    return line;
  }
  stdinLines ??= createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const next = await stdinLines.next();
  return next.done ? '' : next.value;
}

function help(): string {
  return ['usage: postern COMMAND [--config FILE] [--data DIR]', '', ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`)].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const out = (l: string) => process.stdout.write(l + '\n');
  const err = (l: string) => process.stderr.write(l + '\n');
  try {
    const { words, flags } = parseArgs(argv);
    if (words.length === 0 || flags.help || words[0] === 'help') { out(help()); return words.length === 0 && !flags.help ? 2 : 0; }
    const found = findCommand(words);
    if (!found) { err(`postern: unknown command "${words.join(' ')}"; run "postern help" for the list`); return 2; }
    if (found.command.name !== 'start') setLogSink((l) => process.stderr.write(l + '\n'));
    if (flags.verbose) setVerbose(true);
    const config = loadConfig({
      ...(typeof flags.config === 'string' ? { file: flags.config } : process.env.POSTERN_CONFIG ? { file: process.env.POSTERN_CONFIG } : {}),
      ...(typeof flags.data === 'string' ? { dataDir: flags.data } : {}),
      torOnPath: torOnPath(),
    });
    return await found.command.run({ config, args: found.args, flags, out, err, readSecret });
  } catch (e) {
    if (e instanceof UsageError) { err(`postern: ${e.message}`); return e.code; }
    if (e instanceof ConfigError || e instanceof StoreError || e instanceof StoreOpenError || e instanceof ListenError) {
      err(`postern: ${e.message}`);
      return 1;
    }
    const error = e as Error;
    err(`postern: ${error.message ?? String(e)}`);
    if (process.env.POSTERN_DEBUG) err(error.stack ?? '');
    return 1;
  }
}
