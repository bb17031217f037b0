// A private redis-server on a free 127.0.0.1 port, no persistence, ready
// when it answers PING: what `superpeer cluster up` starts unless --redis
// names one, and what the tests start. stop() / kill() / restart() simulate
// outages on the same port.

import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  /** Start again on the same port (after stop or kill). */
  restart(): Promise<void>;
  /** OS process id while running (for CPU accounting). */
  pid(): number | undefined;
}

const READY_DEADLINE_MS = 10_000;
const POLL_MS = 25;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function waitFor(cond: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`redis-server: timed out waiting for ${what}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A private redis-server on a free loopback port. `extraArgs` are passed
 * on (e.g. --requirepass); `ping` says how to check it is up when those
 * change how it answers (a password, TLS).
 */
export async function startRedis(extraArgs: string[] = [], ready: (port: number) => Promise<boolean> = ping): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', ...extraArgs];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child = proc;
    let failed: Error | null = null;
    proc.once('error', (err) => (failed = err));
    await waitFor(async () => {
      if (failed) throw new Error(`redis-server did not start (${String(failed)}); install it: apt-get install -y redis-server`);
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      return ready(port);
    }, `PING on ${port}`);
  };
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (!c) return;
    child = null;
    c.kill(sig);
    await exited(c);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    restart: async () => {
      await signal('SIGKILL');
      await launch();
    },
    pid: () => (child as ChildProcess | null)?.pid,
  };
}

/** The name the tests know it by. */
export type TestRedis = RedisServer;
