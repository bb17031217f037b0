// A process that hosts one or more nodes of a local cluster, as a pod hosts
// one. Driven over IPC by LocalCluster: 'start' with node configs, answered
// by 'ready' (or 'failed'); 'stop' (or SIGTERM/SIGINT) stops them gracefully.
import type { NodeConfig } from '../config.js';
import { SuperpeerNode } from '../node.js';

export type HostRequest = { type: 'start'; configs: NodeConfig[] } | { type: 'stop' };

export interface HostedNode {
  id: string;
  pid: number;
  role: string;
  zone: string;
  grpc: string;
  http: string;
  firewalled: boolean;
  files: Array<{ name: string; size: number; sha256: string }>;
}

export type HostReply = { type: 'ready'; nodes: HostedNode[] } | { type: 'failed'; message: string } | { type: 'stopped' };

const nodes: SuperpeerNode[] = [];
let stopping = false;

function reply(msg: HostReply): void {
  if (process.connected) process.send?.(msg);
}

async function start(configs: NodeConfig[]): Promise<void> {
  try {
    for (const config of configs) {
      const node = new SuperpeerNode(config);
      await node.start();
      nodes.push(node);
    }
    reply({
      type: 'ready',
      nodes: nodes.map((n) => ({
        id: n.config.id,
        pid: process.pid,
        role: n.role,
        zone: n.zone,
        grpc: n.grpcAddress,
        http: n.httpAddress,
        firewalled: n.config.firewalled,
        files: n.shares?.files() ?? [],
      })),
    });
  } catch (err) {
    reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    await stop(1);
  }
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(nodes.map((n) => n.stop()));
  reply({ type: 'stopped' });
  process.exit(code);
}

process.on('message', (msg: HostRequest) => {
  if (msg.type === 'start') void start(msg.configs);
  else if (msg.type === 'stop') void stop();
});
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The cluster that started us is gone: do not linger as an orphan.
process.on('disconnect', () => void stop());
