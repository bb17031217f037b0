// Option parsers and usage-error handling shared by the client commands.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_USAGE, parseTarget } from './grpc-client.js';

export { parseTarget };

/** Environment variable every client command reads when --target is not given. */
export const TARGET_ENV = 'SUPERPEER_TARGET';

/** `--target HOST:PORT`, required unless SUPERPEER_TARGET is set; the flag wins over the variable. */
export function targetOption(what: string): Option {
  return new Option('--target <host:port>', what).env(TARGET_ENV).argParser(parseTarget).makeOptionMandatory();
}

/** A commander parser for an integer flag within [min, max]. */
export function intOption(min: number, max: number): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got ${value}`);
    }
    return n;
  };
}

/** A commander parser for a content hash: 64 hex digits, normalised to lower case. */
export function parseSha256(value: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(v)) throw new InvalidArgumentError(`expected 64 hex digits, got "${value}"`);
  return v;
}

/**
 * Commander exits with 1 on a bad command line; we use 2 for usage errors so
 * scripts can tell "you typed it wrong" from "the node failed". Help stays 0.
 */
export function exitUsageOnError(cmd: Command): Command {
  return cmd.showHelpAfterError(`(run "superpeer ${cmd.name()} --help" for usage)`).exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });
}
