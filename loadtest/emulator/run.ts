// Runs a k6 scenario under Node, unchanged, with the k6 modules replaced by
// stand-ins (k6/*.mjs): where k6 is not installed, this is how `make test`
// holds the scripts' logic to its word (a run against nothing, or against a
// node that finds nothing, must fail) and how their hit rate is measured on a
// real local cluster. It is not k6: see loadtest/README.md for what only a
// real k6 run proves.
//
//   node --import tsx loadtest/emulator/run.ts loadtest/search-steady.js -e SUPERPEER_TARGET=127.0.0.1:6346 -e RATE=10 -e DURATION=30s
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { encode, loadRoot, methodOf, toJson } from './k6/json.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Largest answer the bridge carries (a Topology of a few hundred nodes is well under this). */
const BRIDGE_BYTES = 32 * 1024 * 1024;
/** An emulated run that has not finished by then is stopped: tests must end by themselves. */
const DEFAULT_RUN_TIMEOUT_MS = 10 * 60 * 1000;

export interface ThresholdResult {
  key: string;
  source: string;
  value: number;
  ok: boolean;
}

export interface EmulatedRun {
  /** As k6's: 0 passed, 99 thresholds failed, 107 the script threw (setup included). */
  exitCode: number;
  error?: string;
  thresholds: ThresholdResult[];
  metrics: Record<string, Record<string, number>>;
  iterationErrors: string[];
  /** Failed checks by name. */
  failedChecks?: Record<string, number>;
  setupData?: { popular: number; rare: number; source: string; role: string } | null;
}

export interface RunOptions {
  /** Emit zero-valued fields in messages, as k6 v1.2.3 and later do (default: leave them out, as older k6). */
  emitZeroValues?: boolean;
  /** What exec.test.options reports, e.g. the options frozen in an archive (default: the script's own). */
  runningOptions?: unknown;
  /** Skip setup(), as `k6 run --no-setup`. */
  noSetup?: boolean;
  /** Hand the VUs this instead of calling setup(): a target that answered setup and went away since. */
  setupData?: unknown;
  /** Leave thresholds on metrics without samples unjudged, in case a k6 release does so at the end too. */
  skipEmptyMetrics?: boolean;
  timeoutMs?: number;
}

interface ProtoRef {
  includeDirs: string[];
  files: string[];
}

function credentials(plaintext: boolean): grpc.ChannelCredentials {
  return plaintext ? grpc.credentials.createInsecure() : grpc.credentials.createSsl();
}

/** The blocking operations of k6 (connect, invoke, http.get), done here while the worker waits. */
async function answer(op: string, args: Record<string, unknown>): Promise<unknown> {
  if (op === 'connect') {
    const client = new grpc.Client(String(args.address), credentials(Boolean(args.plaintext)));
    try {
      await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + Number(args.timeoutMs), (err) => (err ? reject(err) : resolve())));
      return { error: null };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    } finally {
      client.close();
    }
  }
  if (op === 'invoke') {
    const proto = args.proto as ProtoRef;
    let m: { path: string; requestType: unknown; responseType: unknown };
    try {
      m = methodOf(loadRoot(proto.includeDirs, proto.files), String(args.method));
    } catch (err) {
      return { code: grpc.status.UNIMPLEMENTED, details: String(err) };
    }
    const emit = Boolean(args.emitZeroValues);
    const client = new grpc.Client(String(args.address), credentials(Boolean(args.plaintext)));
    try {
      return await new Promise((resolve) => {
        const serialize = (value: unknown): Buffer => encode(m.requestType, value);
        const deserialize = (bytes: Buffer): unknown => toJson(m.responseType, bytes, emit);
        client.makeUnaryRequest(m.path, serialize, deserialize, args.request, new grpc.Metadata(), { deadline: Date.now() + Number(args.timeoutMs) }, (err, message) => {
          resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, message });
        });
      });
    } finally {
      client.close();
    }
  }
  if (op === 'http') {
    try {
      const res = await fetch(String(args.url));
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('base64') };
    } catch {
      return { status: 0, body: '' };
    }
  }
  throw new Error(`unknown bridge operation ${op}`);
}

/** The loader flags of this process (tsx), which the worker needs too; nothing else of the test runner's. */
function loaderArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (['--import', '--require', '--loader', '--experimental-loader'].includes(argv[i]) && i + 1 < argv.length) out.push(argv[i], argv[++i]);
    else if (/^--(import|require|loader|experimental-loader)=/.test(argv[i])) out.push(argv[i]);
  }
  return out;
}

export async function runScenario(script: string, env: Record<string, string>, o: RunOptions = {}): Promise<EmulatedRun> {
  const control = new SharedArrayBuffer(8);
  const data = new SharedArrayBuffer(BRIDGE_BYTES);
  const ctl = new Int32Array(control);
  const buf = new Uint8Array(data);
  const worker = new Worker(path.join(HERE, 'worker.mjs'), {
    workerData: {
      script: path.resolve(script), env, emitZeroValues: o.emitZeroValues === true, runningOptions: o.runningOptions, noSetup: o.noSetup === true, setupData: o.setupData, skipEmptyMetrics: o.skipEmptyMetrics === true, control, data,
    },
    execArgv: [...loaderArgs(process.execArgv), '--import', new URL('./register.mjs', import.meta.url).href],
  });
  return new Promise<EmulatedRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`emulated run of ${script} did not end within ${o.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS} ms`));
    }, o.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
    worker.on('message', (m: { done?: EmulatedRun; op?: string; args?: Record<string, unknown> }) => {
      if (m.done) {
        clearTimeout(timer);
        void worker.terminate();
        resolve(m.done);
        return;
      }
      answer(m.op ?? '', m.args ?? {})
        .catch((err: unknown) => ({ error: String(err), code: grpc.status.INTERNAL, details: String(err) }))
        .then((result) => {
          let bytes = Buffer.from(JSON.stringify(result));
          if (bytes.length > buf.length) bytes = Buffer.from(JSON.stringify({ error: 'answer too large', code: grpc.status.RESOURCE_EXHAUSTED, details: 'answer too large for the bridge' }));
          buf.set(bytes);
          Atomics.store(ctl, 1, bytes.length);
          Atomics.store(ctl, 0, 1);
          Atomics.notify(ctl, 0);
        });
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function report(run: EmulatedRun): string {
  const lines: string[] = [];
  if (run.error) lines.push(`error: ${run.error}`);
  if (run.setupData) lines.push(`setup: ${run.setupData.role} target, ${run.setupData.popular} popular and ${run.setupData.rare} rare terms (${run.setupData.source})`);
  for (const [key, stats] of Object.entries(run.metrics)) {
    lines.push(`${key.padEnd(44)} ${Object.entries(stats).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`).join(' ')}`);
  }
  for (const t of run.thresholds) lines.push(`${t.ok ? 'ok  ' : 'FAIL'} ${t.key} ${t.source} (${Number.isFinite(t.value) ? t.value.toFixed(3) : String(t.value)})`);
  for (const [name, n] of Object.entries(run.failedChecks ?? {})) lines.push(`failed check: ${name} (${n})`);
  for (const e of run.iterationErrors.slice(0, 3)) lines.push(`iteration error: ${e}`);
  lines.push(`exit code ${run.exitCode}`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const env: Record<string, string> = {};
  let script: string | undefined;
  let emitZeroValues = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-e') {
      const [k, ...v] = (argv[++i] ?? '').split('=');
      env[k] = v.join('=');
    } else if (argv[i] === '--emit-zero-values') emitZeroValues = true;
    else script = argv[i];
  }
  if (script === undefined) {
    process.stderr.write('usage: run.ts <scenario.js> [-e NAME=value ...] [--emit-zero-values]\n');
    return 2;
  }
  const run = await runScenario(script, env, { emitZeroValues });
  process.stdout.write(report(run));
  return run.exitCode;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
