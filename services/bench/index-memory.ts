// Child process: a real supernode (gRPC, HTTP, metrics) whose index is filled
// in-process with L leaves × F files of generated names, then its RSS. Run by
// micro.ts as its own process so nothing else shares the heap.
//   node --expose-gc --import tsx services/bench/index-memory.ts LEAVES FILES SEED
import { createHash } from 'node:crypto';
import { generateCatalogue } from '../node/content.js';
import { SuperpeerNode } from '../node/node.js';
import { resolveConfig } from '../node/config.js';
import { Supernode } from '../core/supernode.js';

const [leaves, files, seed] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
const mib = () => {
  gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};
// Through resolveConfig, so every setting not named here takes its default.
const node = new SuperpeerNode(
  resolveConfig({ id: 'bench-sn', role: 'supernode', grpcListen: '127.0.0.1:0', httpListen: '127.0.0.1:0', leafCapacity: leaves + 1, logLevel: 'silent', searchTtl: 3 }, {}),
);
await node.start();
const baseMiB = mib();
const sn = node.core as Supernode;
const catalogue = generateCatalogue({ seed, peers: leaves, filesPerPeer: files });
const hash = (rank: number) => createHash('sha256').update(`file:${seed}:${rank}`).digest('hex');
for (let i = 0; i < leaves; i++) {
  const serventId = createHash('sha256').update(`leaf:${i}`).digest('hex').slice(0, 32);
  const link = `leaf-${i}`;
  sn.attachLeaf(link, { nodeId: `peer-${i}`, serventId, zone: 'zone-a', grpcAddress: `127.0.0.2:${10_000 + i}`, httpAddress: `127.0.0.2:${20_000 + i}`, firewalled: false, score: 0, role: 'leaf', leafCapacity: 0 });
  sn.updateShares(link, { add: catalogue.peers[i].map((f) => ({ sha256: hash(f.rank), name: f.name, size: f.size })), remove: [], reset: true });
}
const table = sn.routeTable();
const fullMiB = mib();
process.stdout.write(`${JSON.stringify({ leaves, filesPerLeaf: files, entries: sn.index.size, distinctFiles: catalogue.files.length, baseMiB, fullMiB, qrtBits: table ? 1 : 0 })}\n`);
await node.stop();
process.exit(0);
