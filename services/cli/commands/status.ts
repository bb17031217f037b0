// `superpeer status`: one node's role, score, zone, links and counters.
import type { Command } from 'commander';
import { exitUsageOnError, intOption, targetOption } from '../cli-options.js';
import { connectClient, deadlineIn, unary } from '../grpc-client.js';
import { toProtoJson } from '../render/proto-json.js';
import { paintFor } from '../render/colour.js';
import { statusText } from '../render/status-text.js';
import type { StatusResponse__Output } from '../../node/generated/superpeer/v1/StatusResponse.js';
import { collectStatusPages } from '../../node/status-pages.js';

/** A Status call is local to the node; anything slower than this is a sick node. */
export const DEFAULT_STATUS_TIMEOUT_MS = 5_000;

/** Every page of the node's Status (a node with thousands of leaves or files answers in pages). */
export async function fetchStatus(target: string, timeoutMs = DEFAULT_STATUS_TIMEOUT_MS): Promise<StatusResponse__Output> {
  const client = connectClient(target);
  const deadline = deadlineIn(timeoutMs);
  try {
    return await collectStatusPages((req) => unary<StatusResponse__Output>(target, 'status', (cb) => client.Status(req, { deadline }, cb)));
  } finally {
    client.close();
  }
}

/** The StatusResponse as proto3 JSON (lowerCamelCase names, servent ID as hex). */
export function statusJson(s: StatusResponse__Output): string {
  return JSON.stringify(toProtoJson(s));
}

export function register(program: Command): void {
  const cmd = program
    .command('status')
    .description("one node's state: role, score, zone, uplinks or neighbours and leaves, files, counters")
    .addOption(targetOption('gRPC address of the node'))
    .option('--timeout-ms <ms>', 'call deadline', intOption(1, 600_000), DEFAULT_STATUS_TIMEOUT_MS)
    .option('--json', 'print the StatusResponse as proto3 JSON')
    .action(async (o: { target: string; timeoutMs: number; json?: boolean }) => {
      const s = await fetchStatus(o.target, o.timeoutMs);
      process.stdout.write(`${o.json ? statusJson(s) : statusText(s, paintFor(process.stdout))}\n`);
    });
  exitUsageOnError(cmd);
}
