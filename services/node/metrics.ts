// Every Prometheus metric of a node, created in one typed factory (lodestar
// style): code reports through named fields, never through metric-name strings.
// Label values come from fixed sets so cardinality stays bounded: a query, a
// file name or a descriptor ID can never become a label.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PayloadKind } from '../core/descriptor.js';
import { PAYLOAD_KINDS } from '../core/descriptor.js';
import type { DescriptorFate, Observation } from '../core/environment.js';
import { SuperpeerError } from '../core/errors.js';
import { REFUSAL_REASONS, type RefusalReason } from './rate-limits.js';

export const METRIC_PREFIX = 'superpeer_';

export const DESCRIPTOR_FATES: readonly DescriptorFate[] = [
  'received', 'forwarded', 'duplicate', 'ttl_expired', 'invalid', 'routed', 'unroutable', 'delivered', 'rate_limited',
];
export const SEARCH_OUTCOMES = ['hit', 'miss', 'error'] as const;
export const LOCALITIES = ['same_zone', 'cross_zone'] as const;
export const ROLES = ['supernode', 'leaf'] as const;
export const ROLE_CHANGE_DIRECTIONS = ['promotion', 'demotion'] as const;
export const TRANSFER_DIRECTIONS = ['upload', 'download'] as const;
/** Registry operations; anything else is counted as `other`. */
export const REGISTRY_OPS = ['register', 'heartbeat', 'lookup', 'elect', 'watch', 'deregister', 'other'] as const;

export type SearchOutcome = (typeof SEARCH_OUTCOMES)[number];
export type Locality = (typeof LOCALITIES)[number];
export type Role = (typeof ROLES)[number];
export type RoleChangeDirection = (typeof ROLE_CHANGE_DIRECTIONS)[number];
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];
export type RegistryOp = (typeof REGISTRY_OPS)[number];
export type GrpcCode = (typeof GRPC_CODES)[number];
export type GrpcType = (typeof GRPC_TYPES)[number];

/**
 * One served method. Values come from the services registered on the server
 * (never from the request path of an unknown call), so the set is bounded.
 */
export interface GrpcMethodLabels { service: string; method: string; type: GrpcType }

/** Hops are bounded by the TTL cap (7), so one bucket per hop count. */
export const SEARCH_HOPS_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 7];
/** First hits on a LAN overlay arrive in milliseconds; the tail covers slow WAN paths. */
export const SEARCH_FIRST_HIT_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A search completes when its collection window closes (seconds). */
export const SEARCH_DURATION_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];
/** Unary calls answer in milliseconds; Search streams for seconds; Link and Attach streams live for hours. */
export const GRPC_HANDLING_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600, 3600];
/** gRPC status code names (grpc/doc/statuscodes.md), the values of the grpc_code label. */
export const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;
export const GRPC_TYPES = ['unary', 'client_stream', 'server_stream', 'bidi_stream'] as const;

export interface CounterField { inc(value?: number): void }
export interface GaugeField { set(value: number): void }
export interface HistogramField { observe(value: number): void }
export interface LabelledCounter<L> { inc(labels: L, value?: number): void }
export interface LabelledGauge<L> { set(labels: L, value: number): void }

/** State the node reports as gauges; supply any subset. */
export interface NodeGaugeState {
  role: Role;
  leaves: number;
  leafCapacity: number;
  links: number;
  indexFiles: number;
  uplinks: { sameZone: number; crossZone: number };
  participationScore: number;
  uploadSlots: number;
  uploadSlotsInUse: number;
  registryUp: boolean;
  /** dht mode: provider records this member holds (its arcs and the replicas it keeps for others). */
  dhtRecords: number;
}

export interface Metrics {
  readonly registry: Registry;
  searchHops: HistogramField;
  searchFirstHitSeconds: HistogramField;
  searchDurationSeconds: HistogramField;
  searches: LabelledCounter<{ outcome: SearchOutcome }>;
  descriptors: LabelledCounter<{ type: PayloadKind; fate: DescriptorFate }>;
  descriptorsSent: LabelledCounter<{ type: PayloadKind }>;
  queriesHandled: CounterField;
  leaves: GaugeField;
  leafCapacity: GaugeField;
  links: GaugeField;
  indexFiles: GaugeField;
  uplinks: LabelledGauge<{ locality: Locality }>;
  hits: LabelledCounter<{ locality: Locality }>;
  participationScore: GaugeField;
  /**
   * Sets superpeer_role{role=r} to 1 and every other role to 0; a change from
   * the role set before counts one promotion or demotion (the first set does not).
   */
  role: { set(role: Role): void };
  roleChanges: LabelledCounter<{ direction: RoleChangeDirection }>;
  rehomes: CounterField;
  uploadSlots: GaugeField;
  uploadSlotsInUse: GaugeField;
  uploadsChoked: CounterField;
  transferBytes: LabelledCounter<{ direction: TransferDirection }>;
  registryUp: { set(up: boolean): void };
  /** Unknown ops are counted as `other` rather than growing the label set. */
  registryErrors: { inc(op: string): void };
  /** Work refused by a limit or cap (rate-limits.ts), by reason. */
  refusals: LabelledCounter<{ reason: RefusalReason }>;
  /** gRPC server calls (RED): started, finished by status code, and how long they were handled. */
  grpcServer: {
    started(labels: GrpcMethodLabels): void;
    handled(labels: GrpcMethodLabels, code: GrpcCode, seconds: number): void;
  };
  /** dht mode: Chord messages sent to other members, by purpose (ring and record maintenance, or client lookups). */
  dhtMessages: LabelledCounter<{ purpose: DhtPurpose }>;
  dhtRecords: GaugeField;
  /** Set any subset of the state gauges at once. */
  setState(state: Partial<NodeGaugeState>): void;
  /** A callback read at every scrape (before rendering), so gauges are never stale. */
  collectState(source: () => Partial<NodeGaugeState>): void;
  /** Body and content type of GET /metrics. */
  handler(): Promise<{ contentType: string; body: string }>;
}

export const DHT_PURPOSES = ['maintenance', 'lookup'] as const;
export type DhtPurpose = (typeof DHT_PURPOSES)[number];

export interface MetricsOptions {
  nodeId: string;
  zone: string;
  registry?: Registry;
  /** prom-client process metrics; off for many nodes in one process. Default true. */
  defaultMetrics?: boolean;
}

function check(name: string, allowed: readonly string[], value: string): void {
  if (!allowed.includes(value)) {
    throw new SuperpeerError('BAD_FIELD', `label ${name}="${value}" is not one of ${allowed.join('|')}`);
  }
}

type LabelSets = Record<string, readonly string[]>;

/** Every combination of the label sets, so each series exists (at 0) from the first scrape. */
function combinations(sets: LabelSets): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(sets)) {
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  }
  return out;
}

function labelledCounter<L extends Record<string, string>>(
  registers: Registry[], name: string, help: string, sets: LabelSets,
): LabelledCounter<L> {
  const counter = new Counter({ name, help, labelNames: Object.keys(sets), registers });
  for (const labels of combinations(sets)) counter.inc(labels, 0);
  return {
    inc(labels, value = 1) {
      for (const [k, v] of Object.entries(labels)) check(k, sets[k] ?? [], v);
      counter.inc(labels, value);
    },
  };
}

function labelledGauge<L extends Record<string, string>>(
  registers: Registry[], name: string, help: string, sets: LabelSets,
): LabelledGauge<L> {
  const gauge = new Gauge({ name, help, labelNames: Object.keys(sets), registers });
  for (const labels of combinations(sets)) gauge.set(labels, 0);
  return {
    set(labels, value) {
      for (const [k, v] of Object.entries(labels)) check(k, sets[k] ?? [], v);
      gauge.set(labels, value);
    },
  };
}

/**
 * Event-loop lag is sampled by a timer this often. prom-client's 10 ms wakes
 * an idle node 100 times a second; 10 samples a second still see every
 * stall that matters to a scrape every 15 s.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = options.registry ?? new Registry();
  registry.setDefaultLabels({ node: options.nodeId, zone: options.zone });
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
  const registers = [registry];
  const n = (what: string): string => METRIC_PREFIX + what;
  const counter = (what: string, help: string): CounterField => new Counter({ name: n(what), help, registers });
  const gauge = (what: string, help: string): GaugeField => new Gauge({ name: n(what), help, registers });
  const histogram = (what: string, help: string, buckets: number[]): HistogramField =>
    new Histogram({ name: n(what), help, buckets, registers });
  const kinds = { type: PAYLOAD_KINDS };

  const roleGauge = labelledGauge<{ role: Role }>(registers, n('role'), 'Current role: 1 for the role this node has, 0 otherwise', { role: ROLES });
  const upGauge = gauge('registry_up', '1 if the last registry call succeeded, 0 if it failed');
  const errors = labelledCounter<{ op: RegistryOp }>(registers, n('registry_errors_total'), 'Failed registry calls by operation', { op: REGISTRY_OPS });
  const sources: (() => Partial<NodeGaugeState>)[] = [];
  const roleChanges = labelledCounter<{ direction: RoleChangeDirection }>(registers, n('role_changes_total'), 'Role changes of this node: promotions to supernode, demotions to leaf', { direction: ROLE_CHANGE_DIRECTIONS });
  // Derived from the role gauge, so every path that changes the role is counted once.
  let currentRole: Role | undefined;
  const setRole = (role: Role): void => {
    if (currentRole !== undefined && currentRole !== role) {
      roleChanges.inc({ direction: role === 'supernode' ? 'promotion' : 'demotion' });
    }
    currentRole = role;
    for (const r of ROLES) roleGauge.set({ role: r }, r === role ? 1 : 0);
  };

  const metrics: Metrics = {
    registry,
    searchHops: histogram('search_hops', 'Hops at which hits were found, at the searching node', SEARCH_HOPS_BUCKETS),
    searchFirstHitSeconds: histogram('search_first_hit_seconds', 'Time from search start to its first hit', SEARCH_FIRST_HIT_BUCKETS_S),
    searchDurationSeconds: histogram('search_duration_seconds', 'Time from search start to its completion', SEARCH_DURATION_BUCKETS_S),
    searches: labelledCounter(registers, n('searches_total'), 'Searches started here, by outcome', { outcome: SEARCH_OUTCOMES }),
    descriptors: labelledCounter(registers, n('descriptors_total'), 'Descriptors received, by payload type and what became of them', { ...kinds, fate: DESCRIPTOR_FATES }),
    descriptorsSent: labelledCounter(registers, n('descriptors_sent_total'), 'Descriptors sent (originated, forwarded or routed), by payload type', kinds),
    queriesHandled: counter('queries_handled_total', 'New (non-duplicate) queries processed by this supernode'),
    leaves: gauge('leaves', 'Leaves attached to this supernode'),
    leafCapacity: gauge('leaf_capacity', 'Leaves this supernode accepts at most'),
    links: gauge('links', 'Supernode neighbours linked to this supernode'),
    indexFiles: gauge('index_files', 'Files in this supernode\'s index of its leaves\' shares'),
    uplinks: labelledGauge(registers, n('uplinks'), 'Supernodes this leaf is attached to, by zone locality', { locality: LOCALITIES }),
    hits: labelledCounter(registers, n('hits_total'), 'Hits received by searches started here, by zone locality of the responder', { locality: LOCALITIES }),
    participationScore: gauge('participation_score', 'Participation score used in supernode election'),
    role: { set: setRole },
    roleChanges,
    rehomes: counter('rehomes_total', 'Times this leaf moved to another supernode'),
    uploadSlots: gauge('upload_slots', 'Concurrent upload slots'),
    uploadSlotsInUse: gauge('upload_slots_in_use', 'Upload slots currently serving a transfer'),
    uploadsChoked: counter('uploads_choked_total', 'Upload requests refused by the choker (503)'),
    transferBytes: labelledCounter(registers, n('transfer_bytes_total'), 'File bytes transferred, by direction', { direction: TRANSFER_DIRECTIONS }),
    registryUp: { set: (up) => upGauge.set(up ? 1 : 0) },
    registryErrors: {
      inc: (op) => errors.inc({ op: (REGISTRY_OPS as readonly string[]).includes(op) ? (op as RegistryOp) : 'other' }),
    },
    refusals: labelledCounter(registers, n('refusals_total'), 'Work refused by a rate limit or cap, by reason', { reason: REFUSAL_REASONS }),
    grpcServer: grpcServerMetrics(registers, n),
    dhtMessages: labelledCounter(registers, n('dht_messages_sent_total'), 'Chord messages this member sent to other members, by purpose', { purpose: DHT_PURPOSES }),
    dhtRecords: gauge('dht_records', 'Provider records this dht member holds (own arcs and replicas)'),
    setState: (state) => applyState(metrics, state),
    collectState: (source) => { sources.push(source); },
    async handler() {
      for (const source of sources) applyState(metrics, source());
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  return metrics;
}

function grpcServerMetrics(registers: Registry[], n: (what: string) => string): Metrics['grpcServer'] {
  const labelNames = ['grpc_service', 'grpc_method', 'grpc_type'];
  const started = new Counter({ name: n('grpc_server_started_total'), help: 'gRPC calls started on this server, by method', labelNames, registers });
  const handled = new Counter({
    name: n('grpc_server_handled_total'), help: 'gRPC calls finished on this server, by method and status code',
    labelNames: [...labelNames, 'grpc_code'], registers,
  });
  const seconds = new Histogram({
    name: n('grpc_server_handling_seconds'), help: 'Time from the start of a gRPC call to its status, by method',
    labelNames, buckets: GRPC_HANDLING_BUCKETS_S, registers,
  });
  const promLabels = (l: GrpcMethodLabels) => ({ grpc_service: l.service, grpc_method: l.method, grpc_type: l.type });
  return {
    started: (l) => {
      check('grpc_type', GRPC_TYPES, l.type);
      started.inc(promLabels(l));
    },
    handled: (l, code, s) => {
      check('grpc_code', GRPC_CODES, code);
      handled.inc({ ...promLabels(l), grpc_code: code });
      seconds.observe(promLabels(l), s);
    },
  };
}

function applyState(m: Metrics, s: Partial<NodeGaugeState>): void {
  if (s.role !== undefined) m.role.set(s.role);
  if (s.leaves !== undefined) m.leaves.set(s.leaves);
  if (s.leafCapacity !== undefined) m.leafCapacity.set(s.leafCapacity);
  if (s.links !== undefined) m.links.set(s.links);
  if (s.indexFiles !== undefined) m.indexFiles.set(s.indexFiles);
  if (s.uplinks !== undefined) {
    m.uplinks.set({ locality: 'same_zone' }, s.uplinks.sameZone);
    m.uplinks.set({ locality: 'cross_zone' }, s.uplinks.crossZone);
  }
  if (s.participationScore !== undefined) m.participationScore.set(s.participationScore);
  if (s.uploadSlots !== undefined) m.uploadSlots.set(s.uploadSlots);
  if (s.uploadSlotsInUse !== undefined) m.uploadSlotsInUse.set(s.uploadSlotsInUse);
  if (s.registryUp !== undefined) m.registryUp.set(s.registryUp);
  if (s.dhtRecords !== undefined) m.dhtRecords.set(s.dhtRecords);
}

/** Count one core observation. Leaf attach/detach and pushes show through the state gauges. */
export function recordObservation(m: Metrics, o: Observation): void {
  switch (o.type) {
    case 'descriptor':
      m.descriptors.inc({ type: o.kind, fate: o.fate }, o.count ?? 1);
      return;
    case 'sent':
      m.descriptorsSent.inc({ type: o.kind }, o.count);
      return;
    case 'query_handled':
      m.queriesHandled.inc();
      return;
    case 'hit':
      m.searchHops.observe(o.hops);
      m.hits.inc({ locality: o.sameZone ? 'same_zone' : 'cross_zone' });
      return;
    case 'search_done':
      if (o.firstHitMs !== null) m.searchFirstHitSeconds.observe(o.firstHitMs / 1000);
      m.searchDurationSeconds.observe(o.durationMs / 1000);
      m.searches.inc({ outcome: o.results > 0 ? 'hit' : 'miss' });
      return;
    case 'leaf_attached':
    case 'leaf_detached':
    case 'push_received':
      return;
  }
}
