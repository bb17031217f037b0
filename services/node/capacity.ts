// What this node may use, as its container sees it: cgroup v2 CPU and
// memory limits where set, the host's otherwise. Feeds the participation score.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Capacity {
  cpuCores: number;
  memoryBytes: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** cgroup v2: cpu.max is "<quota> <period>" or "max <period>"; memory.max is bytes or "max". */
export function containerCapacity(root = '/sys/fs/cgroup'): Capacity {
  const hostCores = os.availableParallelism?.() ?? os.cpus().length;
  let cpuCores = hostCores;
  const cpu = read(`${root}/cpu.max`)?.split(/\s+/);
  if (cpu && cpu[0] !== 'max' && Number(cpu[1]) > 0) cpuCores = Math.min(hostCores, Number(cpu[0]) / Number(cpu[1]));
  let memoryBytes = os.totalmem();
  const mem = read(`${root}/memory.max`);
  if (mem && mem !== 'max' && Number(mem) > 0) memoryBytes = Math.min(memoryBytes, Number(mem));
  return { cpuCores, memoryBytes };
}
