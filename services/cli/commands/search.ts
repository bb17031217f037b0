// `superpeer search`: keyword (or content-hash) search through any node;
// hits are printed as they stream in, then a summary.
import type { Command } from 'commander';
import * as grpc from '@grpc/grpc-js';
import { CliError } from '../cli-error.js';
import { exitUsageOnError, intOption, parseSha256, targetOption } from '../cli-options.js';
import { connectClient, deadlineIn, EXIT_USAGE, grpcErrorToCliError } from '../grpc-client.js';
import { paintFor, type Paint } from '../render/colour.js';
import { SearchTally, searchHitJson, searchHitLine } from '../render/search-text.js';
import type { SearchResult__Output } from '../../node/generated/superpeer/v1/SearchResult.js';

/** Client-side deadline when --timeout-ms is not given (the node applies its own default). */
const DEFAULT_CALL_DEADLINE_MS = 30_000;
/** Slack past the node's search deadline for the stream to close by itself. */
const DEADLINE_GRACE_MS = 5_000;
/** Bounds accepted on the command line; the node enforces its own caps too. */
const MAX_RESULTS_LIMIT = 10_000;
const MAX_TIMEOUT_MS = 600_000;
const MAX_TTL = 7; // Gnutella 0.6: ttl + hops capped at 7

export interface SearchOptions {
  target: string;
  terms: string[];
  sha256?: string;
  maxResults?: number;
  timeoutMs?: number;
  ttl?: number;
  dynamic?: boolean;
  /** One round at the full TTL (no dynamic querying, the supernode-mode default). */
  singleRound?: boolean;
  json?: boolean;
  /** Colours for the human lines (plain unless stdout is a terminal). */
  paint?: Paint;
}

type Write = (line: string) => void;

/** Runs one search, writing hits to `out` and the summary to `out` (or `info` with --json). */
export async function runSearch(opts: SearchOptions, out: Write, info: Write): Promise<number> {
  const query = opts.terms.join(' ').trim();
  if (!query && !opts.sha256) throw new CliError('give search terms or --sha256 HASH', EXIT_USAGE);
  const client = connectClient(opts.target);
  const started = performance.now();
  const tally = new SearchTally();
  const limit = opts.maxResults ?? 0;
  const deadlineMs = opts.timeoutMs ? opts.timeoutMs + DEADLINE_GRACE_MS : DEFAULT_CALL_DEADLINE_MS;
  try {
    await new Promise<void>((resolve, reject) => {
      const call = client.Search(
        { query, sha256: opts.sha256 ?? '', max_results: limit, timeout_ms: opts.timeoutMs ?? 0, ttl: opts.ttl ?? 0, dynamic: opts.dynamic ?? false, single_round: opts.singleRound ?? false },
        { deadline: deadlineIn(deadlineMs) },
      );
      let stopped = false;
      call.on('data', (r: SearchResult__Output) => {
        if (stopped) return;
        tally.add(r, performance.now() - started);
        out(opts.json ? JSON.stringify(searchHitJson(r)) : searchHitLine(r, tally.results, opts.paint));
        if (limit > 0 && tally.results >= limit) {
          stopped = true; // enough: do not wait for the node to close the stream
          call.cancel();
        }
      });
      call.on('error', (err: grpc.ServiceError) => {
        if (stopped && err.code === grpc.status.CANCELLED) resolve();
        else reject(grpcErrorToCliError(err, opts.target, 'search'));
      });
      call.on('end', () => resolve());
    });
  } finally {
    client.close();
  }
  const summary = tally.summary(performance.now() - started);
  (opts.json ? info : out)(summary);
  return tally.results;
}

export function register(program: Command): void {
  const cmd = program
    .command('search')
    .description('search the overlay through a node; hits stream in as they arrive')
    .argument('[terms...]', 'keywords; every term must match')
    .addOption(targetOption('gRPC address of any node'))
    .option('--max-results <n>', 'stop after this many results (0 = node default)', intOption(0, MAX_RESULTS_LIMIT))
    .option('--timeout-ms <ms>', 'how long the node collects results (0 = node default)', intOption(0, MAX_TIMEOUT_MS))
    .option('--ttl <n>', `query TTL, 1-${MAX_TTL} (default: node default)`, intOption(1, MAX_TTL))
    .option('--dynamic', 'dynamic querying in flood or dht mode too (the supernode-mode default): own supernodes first, wider until --max-results arrived')
    .option('--single-round', 'one round at the full TTL, no dynamic querying')
    .option('--sha256 <hash>', 'search for an exact content hash instead of (or as well as) keywords', parseSha256)
    .option('--json', 'one JSON object per hit on stdout; summary on stderr')
    .action(async (terms: string[], o: { target: string; maxResults?: number; timeoutMs?: number; ttl?: number; sha256?: string; json?: boolean; dynamic?: boolean; singleRound?: boolean }) => {
      await runSearch(
        { target: o.target, terms, sha256: o.sha256, maxResults: o.maxResults, timeoutMs: o.timeoutMs, ttl: o.ttl, json: o.json, dynamic: o.dynamic, singleRound: o.singleRound, paint: paintFor(process.stdout) },
        (line) => process.stdout.write(`${line}\n`),
        (line) => process.stderr.write(`${line}\n`),
      );
    });
  exitUsageOnError(cmd);
}
