// Node configuration: command-line flags win over SUPERPEER_* environment
// variables, which win over defaults. Validated once, at start-up, with a
// message that names the bad setting.
import os from 'node:os';
import { z } from 'zod';

export const DEFAULT_GRPC_PORT = 6346; // Gnutella's port
export const DEFAULT_HTTP_PORT = 6347;

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port');
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', ''])]).transform((v) =>
  typeof v === 'boolean' ? v : v === 'true' || v === '1' || v === 'yes',
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const nodeConfigSchema = z.object({
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and ._:@- only'),
  role: z.enum(['supernode', 'leaf', 'auto']),
  grpcListen: hostPort,
  httpListen: hostPort,
  metricsListen: hostPort.optional(),
  advertiseHost: z.string().max(253).optional(),
  zone: z.string().max(64).optional(),
  k8sNodeName: z.string().max(253).optional(),
  seeds: z.array(hostPort).max(256),
  shareDir: z.string().optional(),
  stateFile: z.string().max(4096).optional(),
  firewalled: bool,
  redis: z.string().url().optional(),
  redisPassword: z.string().max(512).optional(),
  redisTlsCa: z.string().optional(),
  mode: z.enum(['supernode', 'flood', 'central', 'dht']),
  leafCapacity: int(1, 100_000),
  uplinks: int(1, 8),
  maxLinks: int(1, 256),
  uploadSlots: int(1, 1024),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  secret: z.string().max(256).optional(),
  searchTtl: int(1, 7),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  tlsCa: z.string().optional(),
  maxConnectionAgeMs: int(0, 86_400_000),
  uploadBandwidthBps: int(0, 1e12),
  targetLeaves: int(1, 100_000),
  minSupernodes: int(1, 10_000),
  // Limits (docs/reliability.md): rates per second, 0 = unlimited.
  linkDescriptorRate: int(0, 1_000_000),
  linkDescriptorBurst: int(1, 1_000_000),
  clientSearchRate: int(0, 1_000_000),
  clientSearchBurst: int(1, 1_000_000),
  maxConcurrentSearches: int(1, 100_000),
  maxPendingStreams: int(1, 100_000),
  clientStatusRate: int(0, 1_000_000),
  clientStatusBurst: int(1, 1_000_000),
  clientTopologyRate: int(0, 1_000),
  clientTopologyBurst: int(1, 1_000),
  maxConcurrentCrawls: int(1, 64),
  clientPushRate: int(0, 100_000),
  clientPushBurst: int(1, 100_000),
  grpcMaxConcurrentStreams: int(1, 1_000_000),
  chordRate: int(0, 1_000_000),
  chordBurst: int(1, 1_000_000),
  chordMaxKeys: int(1, 10_000_000),
  shareUpdateRate: int(0, 1_000_000_000),
  shareUpdateBurst: int(1, 1_000_000_000),
  maxTokensPerLeaf: int(1, 100_000_000),
  maxIndexBytes: int(1_000_000, 1e12),
  tlsServerName: z.string().min(1).max(253),
  // Testing only (faults.ts): never on in production defaults, not rendered by the chart.
  faultInjection: bool,
  faultBlockZones: z.string().max(4096).optional(),
});

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/** Each setting: its flag, its environment variable, its default. */
export const SETTINGS: Array<{ key: keyof NodeConfig; env: string; flag: string; def?: string; help: string }> = [
  { key: 'id', env: 'SUPERPEER_NODE_ID', flag: '--id', help: 'node ID (default: hostname)' },
  { key: 'role', env: 'SUPERPEER_ROLE', flag: '--role', def: 'auto', help: 'supernode | leaf | auto (elected)' },
  { key: 'grpcListen', env: 'SUPERPEER_GRPC_LISTEN', flag: '--grpc-listen', def: `0.0.0.0:${DEFAULT_GRPC_PORT}`, help: 'gRPC listen address' },
  { key: 'httpListen', env: 'SUPERPEER_HTTP_LISTEN', flag: '--http-listen', def: `0.0.0.0:${DEFAULT_HTTP_PORT}`, help: 'HTTP listen address (files, health, metrics)' },
  { key: 'metricsListen', env: 'SUPERPEER_METRICS_LISTEN', flag: '--metrics-listen', help: 'serve /metrics on this address of its own (plain HTTP) instead of the HTTP port' },
  { key: 'advertiseHost', env: 'SUPERPEER_ADVERTISE_HOST', flag: '--advertise-host', help: 'host other nodes reach this one at (default: listen host)' },
  { key: 'zone', env: 'SUPERPEER_ZONE', flag: '--zone', help: 'zone (default: Kubernetes node label, else "default")' },
  { key: 'k8sNodeName', env: 'SUPERPEER_K8S_NODE_NAME', flag: '--k8s-node-name', help: 'Kubernetes node name, to read its zone label' },
  { key: 'seeds', env: 'SUPERPEER_SEEDS', flag: '--seeds', def: '', help: 'comma-separated host:port of supernodes' },
  { key: 'shareDir', env: 'SUPERPEER_SHARE_DIR', flag: '--share-dir', help: 'directory of shared files' },
  { key: 'firewalled', env: 'SUPERPEER_FIREWALLED', flag: '--firewalled', def: 'false', help: 'accept no inbound transfers (deliver by Push)' },
  { key: 'stateFile', env: 'SUPERPEER_STATE_FILE', flag: '--state-file', help: 'file that keeps how past sessions ended (graceful or crash), for the score\'s reliability; none: reliability 1' },
  { key: 'redis', env: 'SUPERPEER_REDIS_URL', flag: '--redis', help: 'Redis URL of the registry' },
  { key: 'redisPassword', env: 'SUPERPEER_REDIS_PASSWORD', flag: '--redis-password', help: 'Redis password (AUTH), when the URL carries none' },
  { key: 'redisTlsCa', env: 'SUPERPEER_REDIS_TLS_CA', flag: '--redis-tls-ca', help: 'CA bundle (PEM) that signed the Redis server certificate, for a rediss:// URL' },
  { key: 'mode', env: 'SUPERPEER_MODE', flag: '--mode', def: 'supernode', help: 'search mode: supernode | flood | central | dht' },
  { key: 'leafCapacity', env: 'SUPERPEER_LEAF_CAPACITY', flag: '--leaf-capacity', def: '64', help: 'leaves a supernode accepts' },
  { key: 'uplinks', env: 'SUPERPEER_UPLINKS', flag: '--uplinks', def: '2', help: 'supernodes a leaf attaches to' },
  { key: 'maxLinks', env: 'SUPERPEER_MAX_LINKS', flag: '--max-links', def: '32', help: 'supernode neighbour links at most' },
  { key: 'uploadSlots', env: 'SUPERPEER_UPLOAD_SLOTS', flag: '--upload-slots', def: '4', help: 'concurrent uploads (choking)' },
  { key: 'logLevel', env: 'SUPERPEER_LOG_LEVEL', flag: '--log-level', def: 'info', help: 'log level' },
  { key: 'secret', env: 'SUPERPEER_SECRET', flag: '--secret', help: 'overlay shared secret' },
  { key: 'searchTtl', env: 'SUPERPEER_SEARCH_TTL', flag: '--search-ttl', def: '4', help: 'default TTL of searches' },
  { key: 'tlsCert', env: 'SUPERPEER_TLS_CERT', flag: '--tls-cert', help: 'TLS certificate file (PEM)' },
  { key: 'tlsKey', env: 'SUPERPEER_TLS_KEY', flag: '--tls-key', help: 'TLS private key file (PEM)' },
  { key: 'tlsCa', env: 'SUPERPEER_TLS_CA', flag: '--tls-ca', help: 'CA bundle; with cert and key, turns on mutual TLS' },
  { key: 'maxConnectionAgeMs', env: 'SUPERPEER_GRPC_MAX_CONNECTION_AGE_MS', flag: '--grpc-max-connection-age-ms', def: '0', help: 'close client connections after this age so load re-spreads (0 = never)' },
  { key: 'uploadBandwidthBps', env: 'SUPERPEER_UPLOAD_BANDWIDTH_BPS', flag: '--upload-bandwidth-bps', def: '10000000', help: 'upload bandwidth this node offers, bits/s (counts toward its participation score)' },
  { key: 'targetLeaves', env: 'SUPERPEER_TARGET_LEAVES', flag: '--target-leaves', def: '32', help: 'election: leaves per supernode to aim for' },
  { key: 'minSupernodes', env: 'SUPERPEER_MIN_SUPERNODES', flag: '--min-supernodes', def: '2', help: 'election: never fewer supernodes than this' },
  { key: 'linkDescriptorRate', env: 'SUPERPEER_LINK_DESCRIPTOR_RATE', flag: '--link-descriptor-rate', def: '2000', help: 'descriptors/s accepted on one link or leaf stream; excess dropped (0 = unlimited)' },
  { key: 'linkDescriptorBurst', env: 'SUPERPEER_LINK_DESCRIPTOR_BURST', flag: '--link-descriptor-burst', def: '4000', help: 'burst of the per-stream descriptor rate' },
  { key: 'clientSearchRate', env: 'SUPERPEER_CLIENT_SEARCH_RATE', flag: '--client-search-rate', def: '100', help: 'Search/Locate calls/s per client address; excess RESOURCE_EXHAUSTED (0 = unlimited)' },
  { key: 'clientSearchBurst', env: 'SUPERPEER_CLIENT_SEARCH_BURST', flag: '--client-search-burst', def: '200', help: 'burst of the per-client search rate' },
  { key: 'maxConcurrentSearches', env: 'SUPERPEER_MAX_CONCURRENT_SEARCHES', flag: '--max-concurrent-searches', def: '512', help: 'Search/Locate calls running at once on this node' },
  { key: 'maxPendingStreams', env: 'SUPERPEER_MAX_PENDING_STREAMS', flag: '--max-pending-streams', def: '256', help: 'inbound Link/Attach streams still waiting for their hello' },
  { key: 'clientStatusRate', env: 'SUPERPEER_CLIENT_STATUS_RATE', flag: '--client-status-rate', def: '100', help: 'Status calls/s per client address (each page counts); excess RESOURCE_EXHAUSTED (0 = unlimited)' },
  { key: 'clientStatusBurst', env: 'SUPERPEER_CLIENT_STATUS_BURST', flag: '--client-status-burst', def: '200', help: 'burst of the per-client Status rate' },
  { key: 'clientTopologyRate', env: 'SUPERPEER_CLIENT_TOPOLOGY_RATE', flag: '--client-topology-rate', def: '1', help: 'Topology calls/s per client address; excess RESOURCE_EXHAUSTED (0 = unlimited)' },
  { key: 'clientTopologyBurst', env: 'SUPERPEER_CLIENT_TOPOLOGY_BURST', flag: '--client-topology-burst', def: '4', help: 'burst of the per-client Topology rate' },
  { key: 'maxConcurrentCrawls', env: 'SUPERPEER_MAX_CONCURRENT_CRAWLS', flag: '--max-concurrent-crawls', def: '2', help: 'Topology crawls running at once on this node; excess RESOURCE_EXHAUSTED' },
  { key: 'clientPushRate', env: 'SUPERPEER_CLIENT_PUSH_RATE', flag: '--client-push-rate', def: '5', help: 'RequestPush calls/s per client address, and Push call-backs/s a firewalled node makes to one requester host (0 = unlimited)' },
  { key: 'clientPushBurst', env: 'SUPERPEER_CLIENT_PUSH_BURST', flag: '--client-push-burst', def: '20', help: 'burst of the per-address Push rate' },
  { key: 'grpcMaxConcurrentStreams', env: 'SUPERPEER_GRPC_MAX_CONCURRENT_STREAMS', flag: '--grpc-max-concurrent-streams', def: '1000', help: 'HTTP/2 streams per gRPC connection' },
  { key: 'chordRate', env: 'SUPERPEER_CHORD_RATE', flag: '--chord-rate', def: '1000', help: 'dht mode: Chord calls/s accepted on one caller connection; excess RESOURCE_EXHAUSTED (0 = unlimited)' },
  { key: 'chordBurst', env: 'SUPERPEER_CHORD_BURST', flag: '--chord-burst', def: '5000', help: 'burst of the per-connection Chord rate (a member republishes all its records at once)' },
  { key: 'chordMaxKeys', env: 'SUPERPEER_CHORD_MAX_KEYS', flag: '--chord-max-keys', def: '100000', help: 'dht mode: content hashes one member keeps records for; new keys past it are refused' },
  { key: 'shareUpdateRate', env: 'SUPERPEER_SHARE_UPDATE_RATE', flag: '--share-update-rate', def: '65536', help: 'share-list bytes/s accepted from one leaf (each update costs at least 1 KiB); excess refused (0 = unlimited)' },
  { key: 'shareUpdateBurst', env: 'SUPERPEER_SHARE_UPDATE_BURST', flag: '--share-update-burst', def: '1048576', help: 'burst of the per-leaf share-list budget, bytes (a whole share list at attach)' },
  { key: 'maxTokensPerLeaf', env: 'SUPERPEER_MAX_TOKENS_PER_LEAF', flag: '--max-tokens-per-leaf', def: '100000', help: 'file-name tokens one leaf may have indexed; files past it are refused' },
  { key: 'maxIndexBytes', env: 'SUPERPEER_MAX_INDEX_BYTES', flag: '--max-index-bytes', def: '268435456', help: "estimated bytes of a supernode's index over all its leaves; files past it are refused" },
  { key: 'tlsServerName', env: 'SUPERPEER_TLS_SERVER_NAME', flag: '--tls-server-name', def: 'superpeer', help: 'name every node certificate carries (SAN) and every dialler checks, since nodes dial by IP' },
  { key: 'faultInjection', env: 'SUPERPEER_FAULT_INJECTION', flag: '--fault-injection', def: 'false', help: 'testing only: accept POST /admin/faults from loopback (zones to cut off)' },
  { key: 'faultBlockZones', env: 'SUPERPEER_FAULT_BLOCK_ZONES', flag: '--fault-block-zones', help: 'testing only: comma-separated zones this node refuses to link or attach to' },
];

/** Every environment variable the node reads. */
export const NODE_ENV_VARS = SETTINGS.map((s) => s.env);

export class ConfigError extends Error {}

/** flags: values from the command line, keyed by config key (undefined = not given). */
export function resolveConfig(
  flags: Partial<Record<keyof NodeConfig, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): NodeConfig {
  const raw: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    let v: unknown = flags[s.key];
    if (v === undefined) v = env[s.env];
    if (v === undefined || v === '') v = s.def;
    if (s.key === 'seeds') v = typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : (v ?? []);
    if (v !== undefined) raw[s.key] = v;
  }
  raw.id ??= os.hostname();
  const parsed = nodeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        const s = SETTINGS.find((x) => x.key === i.path[0]);
        return `${s ? `${s.flag} / ${s.env}` : i.path.join('.')}: ${i.message}`;
      })
      .join('; ');
    throw new ConfigError(`invalid configuration: ${msg}`);
  }
  return parsed.data;
}

export function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}
