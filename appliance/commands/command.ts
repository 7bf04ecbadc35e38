// The shape of a CLI command. Commands reach mail only through the store, like the protocols do.
import type { Config } from '../config.js';

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** read a secret: a prompt without echo on a terminal, else one line of standard input */
  readSecret: (prompt: string) => Promise<string>;
}

export interface CommandContext extends CommandIO {
  config: Config;
  /** the words after the command name(s), with options already removed */
  args: string[];
  /** --flag and --flag=value options */
  flags: Record<string, string | boolean>;
}

export interface Command {
  /** "user add", "fsck", ... */
  name: string;
  usage: string;
  summary: string;
  /** returns the exit code */
  run(ctx: CommandContext): Promise<number>;
}

/** A failure the user can act on: printed as one sentence, exit code `code`. */
export class UsageError extends Error {
  constructor(message: string, readonly code = 2) { super(message); this.name = 'UsageError'; }
}
