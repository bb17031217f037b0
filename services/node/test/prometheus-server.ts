// Starts Debian's real `prometheus` binary on a free loopback port with a
// temporary config and storage, for tests that check rules and dashboards
// against real scrapes. Reusable: pass static targets or a file_sd targets file
// (as written by `superpeer cluster up --prometheus-config`).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

/** Prometheus usually is ready in about a second; allow for a slow CI machine. */
const READY_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 100;
/** Graceful shutdown flushes the head block; past this we kill it. */
const STOP_DEADLINE_MS = 10_000;

export interface PrometheusOptions {
  /** A file_sd targets file (JSON or YAML), followed as it changes. */
  targetsFile?: string;
  /** host:port targets scraped at /metrics. */
  staticTargets?: string[];
  ruleFiles?: string[];
  scrapeIntervalS?: number;
  /** The binary; default `prometheus` from PATH. */
  binary?: string;
  /** More scrape jobs, each with its own name and target labels (several releases at once). */
  jobs?: { name: string; staticTargets: string[]; labels?: Record<string, string> }[];
  /** Serve the admin API (series deletion). */
  adminApi?: boolean;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  url: string;
  /**
   * An instant query, at `timeS` (Unix seconds) or now; a scalar comes back as one
   * sample without labels. Throws on a PromQL error.
   */
  query(expr: string, timeS?: number): Promise<PromSample[]>;
  /** Poll `expr` until `accept` holds for its result or the deadline passes (then throws). */
  queryUntil(expr: string, accept: (samples: PromSample[]) => boolean, timeoutMs?: number): Promise<PromSample[]>;
  /** Delete every series matching a selector (needs `adminApi`). */
  deleteSeries(match: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: unknown };
}

function toSamples(data: { resultType: string; result: unknown }): PromSample[] {
  if (data.resultType === 'scalar') {
    const [, v] = data.result as [number, string];
    return [{ metric: {}, value: Number(v) }];
  }
  if (data.resultType === 'vector') {
    return (data.result as { metric: Record<string, string>; value: [number, string] }[])
      .map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }
  throw new Error(`unexpected result type ${data.resultType}`);
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const interval = `${options.scrapeIntervalS ?? 1}s`;
  const dir = await mkdtemp(join(tmpdir(), 'superpeer-prometheus-'));
  const job: Record<string, unknown> = { job_name: 'superpeer', honor_labels: true, metrics_path: '/metrics' };
  if (options.targetsFile) job.file_sd_configs = [{ files: [resolve(options.targetsFile)], refresh_interval: interval }];
  if (options.staticTargets) job.static_configs = [{ targets: options.staticTargets }];
  const extraJobs = (options.jobs ?? []).map((j) => ({
    job_name: j.name, honor_labels: true, metrics_path: '/metrics',
    static_configs: [{ targets: j.staticTargets, labels: j.labels ?? {} }],
  }));
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: (options.ruleFiles ?? []).map((f) => resolve(f)),
    scrape_configs: options.targetsFile || options.staticTargets ? [job, ...extraJobs] : extraJobs,
  };
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(options.binary ?? 'prometheus', [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(options.adminApi ? ['--web.enable-admin-api'] : []),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  let exited = false;
  const exitedPromise = new Promise<void>((res) => child.once('exit', () => { exited = true; res(); }));
  // A missing binary emits 'error' and possibly no 'exit'.
  child.once('error', (e) => { stderr += `\n${String(e)}`; exited = true; });

  const stop = async (): Promise<void> => {
    if (!exited && child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
      await exitedPromise;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_DEADLINE_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`prometheus exited before it was ready: ${stderr}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within ${READY_DEADLINE_MS} ms: ${stderr}`);
    }
    await delay(POLL_INTERVAL_MS);
  }

  const query = async (expr: string, timeS?: number): Promise<PromSample[]> => {
    const params: Record<string, string> = { query: expr };
    if (timeS !== undefined) params.time = String(timeS);
    const r = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    const body = (await r.json()) as ApiResponse;
    if (body.status !== 'success' || !body.data) throw new Error(`query failed: ${body.error ?? r.status}: ${expr}`);
    return toSamples(body.data);
  };

  const queryUntil = async (
    expr: string, accept: (samples: PromSample[]) => boolean, timeoutMs = 30_000,
  ): Promise<PromSample[]> => {
    const until = Date.now() + timeoutMs;
    let last: PromSample[] = [];
    for (;;) {
      last = await query(expr);
      if (accept(last)) return last;
      if (Date.now() > until) {
        throw new Error(`condition on ${expr} not met within ${timeoutMs} ms; last result ${JSON.stringify(last)}`);
      }
      await delay(POLL_INTERVAL_MS * 2);
    }
  };

  const deleteSeries = async (match: string): Promise<void> => {
    const r = await fetch(`${url}/api/v1/admin/tsdb/delete_series?${new URLSearchParams({ 'match[]': match })}`, { method: 'POST' });
    if (r.status !== 204) throw new Error(`delete_series ${match}: ${r.status} ${await r.text()}`);
  };

  return { url, query, queryUntil, deleteSeries, stop };
}
