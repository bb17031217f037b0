// One superpeer node: the gRPC and HTTP servers, its shared files, and the
// core state machine of its role, driven over real sockets.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import pino, { type Logger } from 'pino';
import { Choker } from '../core/choker.js';
import type { Descriptor } from '../core/descriptor.js';
import type { LinkId, Observation } from '../core/environment.js';
import { Leaf } from '../core/leaf.js';
import type { PeerInfo } from '../core/peer.js';
import { Supernode } from '../core/supernode.js';
import type { NodeConfig } from './config.js';
import { splitHostPort } from './config.js';
import { createTransferServer, type TransferServer } from './http-server.js';
import { createMetrics, recordObservation, type Metrics } from './metrics.js';
import { Neighbours } from './neighbours.js';
import { registerOverlay } from './overlay-server.js';
import { registerClient } from './client-server.js';
import type { PeerStream } from './peer-stream.js';
import { loadProto } from './proto.js';
import { addReflection } from './reflection.js';
import { deliverPush } from './push-transfer.js';
import { runtimeEnvironment, cryptoRandom } from './runtime-env.js';
import { ShareIndex } from './share-index.js';
import { Uplinks } from './uplinks.js';
import { RegistryAgent } from './registry-agent.js';
import { DEFAULT_QRT_BITS } from '../core/query-route-table.js';
import { DhtMember } from './dht.js';
import { connectRedisRegistry } from '../registry/redis.js';
import { grpcMetricsInterceptor } from './grpc-metrics.js';
import type { SupernodeEntry } from '../registry/registry.js';
import { discoverZone } from './zone.js';
import { grpcServerCredentials, httpsServerOptions } from './tls.js';
import { GRPC_MAX_MESSAGE_BYTES } from './limits.js';
import { Dialer } from './dial.js';
import { RateLimits } from './rate-limits.js';
import { Faults, parseZones } from './faults.js';
import { SessionHistory } from './session-history.js';
import { IdentityBindings } from './identity-bindings.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

/** How often the share directory is re-scanned for added and removed files. */
export const SHARE_RESCAN_MS = 30_000;

/** Push call-backs (connections out to requesters) running at once. */
export const MAX_PUSH_DELIVERIES = 16;

/** Search modes a real node runs (all four; dht answers Locate by Chord, keywords by the supernode tier). */
export const IMPLEMENTED_MODES = ['supernode', 'flood', 'central', 'dht'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStream = PeerStream<any>;

export interface NodeDeps {
  log?: Logger;
}

export class SuperpeerNode {
  readonly log: Logger;
  readonly serventId: string;
  readonly startedAt = Date.now();
  zone = 'default';
  metrics!: Metrics;
  core!: Supernode | Leaf;
  shares!: ShareIndex | undefined;
  choker!: Choker;
  transfer!: TransferServer;
  grpcServer!: grpc.Server;
  health!: HealthImplementation;
  grpcAddress = '';
  httpAddress = '';
  readonly streams = new Map<LinkId, AnyStream>();
  readonly dialer: Dialer;
  neighbours?: Neighbours;
  uplinks?: Uplinks;
  registry?: RegistryAgent;
  /** Rate limits and caps of inbound work (rate-limits.ts). */
  readonly limits: RateLimits;
  /** Under mutual TLS: servent and node IDs bound to the certificates that claimed them. */
  readonly identities = new IdentityBindings();
  /** Test-only fault injection: zones cut off (faults.ts). */
  readonly faults: Faults;
  /** dht mode, supernodes: this node's Chord ring membership. */
  dht?: DhtMember;
  /** Bytes this node uploaded and queries it matched: its contribution, for the score. */
  bytesUploaded = 0;
  hitsServed = 0;
  /** Bumped whenever the share list changes (the central index follows it). */
  sharesVersion = 0;
  /** How long the last re-homes took, newest last (bounded). */
  readonly rehomeMs: number[] = [];
  /** Past sessions (with --state-file): graceful or crashed, for the score. */
  private sessions: SessionHistory | undefined;
  private ready = false;
  private stopping = false;
  private rescanTimer: NodeJS.Timeout | undefined;
  private nextStream = 0;
  private pushDeliveries = 0;
  /** The /metrics listener, when --metrics-listen gave it an address of its own. */
  metricsServer: MetricsServer | undefined;

  constructor(
    readonly config: NodeConfig,
    deps: NodeDeps = {},
  ) {
    this.log = deps.log ?? pino({ level: config.logLevel, base: { node: config.id } });
    this.dialer = new Dialer(config);
    this.limits = new RateLimits(config);
    this.faults = new Faults(parseZones(config.faultBlockZones));
    this.faults.onChange = () => this.applyFaults();
    this.serventId = createHash('sha256').update(`servent:${config.id}`).digest('hex').slice(0, 32);
  }

  get role(): 'supernode' | 'leaf' {
    return this.core instanceof Supernode ? 'supernode' : 'leaf';
  }

  get isReady(): boolean {
    return this.ready;
  }

  newStreamId(kind: string): LinkId {
    return `${kind}-${++this.nextStream}`;
  }

  info(): PeerInfo {
    return {
      nodeId: this.config.id,
      serventId: this.serventId,
      zone: this.zone,
      grpcAddress: this.grpcAddress,
      httpAddress: this.config.firewalled ? '' : this.httpAddress,
      firewalled: this.config.firewalled,
      score: this.core?.self.score ?? 0,
      role: this.core ? this.role : 'leaf',
      leafCapacity: this.config.leafCapacity,
    };
  }

  async start(): Promise<void> {
    const c = this.config;
    if (c.stateFile) this.sessions = new SessionHistory(c.stateFile, Date.now(), (err) => this.log.warn({ err: String(err) }, 'session history not kept'));
    const zone = await discoverZone({ override: c.zone, nodeName: c.k8sNodeName });
    this.zone = zone.zone;
    if (zone.reason) this.log.debug({ reason: zone.reason }, 'zone discovery');
    this.metrics = createMetrics({ nodeId: c.id, zone: this.zone });
    if (c.shareDir) {
      this.shares = new ShareIndex(c.shareDir);
      await this.shares.refresh();
    }
    this.choker = new Choker({ now: () => Date.now(), random: cryptoRandom }, { slots: c.uploadSlots });
    await this.startHttp();
    await this.startGrpc();
    this.becomeRole(c.role === 'supernode' ? 'supernode' : 'leaf');
    this.metrics.collectState(() => this.gaugeState());
    if (c.redis) {
      const registry = await connectRedisRegistry({
        url: c.redis,
        password: c.redisPassword,
        tlsCa: c.redisTlsCa ? readFileSync(c.redisTlsCa) : undefined,
        hooks: {
          onError: (op) => this.metrics.registryErrors.inc(op),
          onStatus: (up) => this.registryStatus(up),
          onInvalidRecord: () => this.metrics.refusals.inc({ reason: 'registry_record' }),
        },
      });
      this.registry = new RegistryAgent(this, registry);
      this.registry.start();
    }
    this.ready = true;
    this.health.setStatus('', 'SERVING');
    if (this.shares) this.rescanTimer = setInterval(() => void this.rescan(), SHARE_RESCAN_MS).unref();
    this.log.info({ role: this.role, grpc: this.grpcAddress, http: this.httpAddress, zone: this.zone, files: this.shares?.size ?? 0 }, 'node ready');
  }

  /** Swaps the core state machine; streams of the old role are closed. */
  becomeRole(role: 'supernode' | 'leaf'): void {
    this.neighbours?.stop();
    this.uplinks?.stop();
    this.dht?.stop();
    this.neighbours = undefined;
    this.uplinks = undefined;
    this.dht = undefined;
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
    const env = runtimeEnvironment(
      (link, d) => this.sendOn(link, d),
      (o) => this.observe(o),
    );
    const self = this.info();
    if (role === 'supernode') {
      const sn = new Supernode({ ...self, role }, env, {
        defaultSearchTtl: this.config.searchTtl,
        maxTokensPerLeaf: this.config.maxTokensPerLeaf,
        maxIndexBytes: this.config.maxIndexBytes,
      });
      // Route tables from per-slot counts kept as tokens come and go, not from every token each time.
      sn.index.trackRouteTable(DEFAULT_QRT_BITS);
      sn.shareOwn(this.shares?.files() ?? []);
      this.core = sn;
      this.neighbours = new Neighbours(this);
      this.neighbours.start();
      if (this.config.mode === 'dht') {
        this.dht = new DhtMember(this);
        this.dht.start();
      }
    } else {
      this.core = new Leaf({ ...self, role }, env, { defaultSearchTtl: this.config.searchTtl });
      this.uplinks = new Uplinks(this);
      this.uplinks.onRehomed = (ms) => {
        this.rehomeMs.push(ms);
        if (this.rehomeMs.length > 32) this.rehomeMs.shift();
      };
      this.uplinks.onOrphaned = () => this.registry?.wake();
      this.uplinks.onRoleHint = () => void this.registry?.checkRole();
      this.uplinks.start();
    }
    this.core.onPush = (push) => {
      if (!this.shares || !this.admitPushDelivery(push.requesterAddress)) return;
      const shares = this.shares;
      this.pushDeliveries++;
      deliverPush(push, { serventId: this.serventId, server: this.transfer, shares: (h) => shares.has(h), log: this.log })
        .catch((err: unknown) => this.log.warn({ err: String(err) }, 'push delivery failed'))
        .finally(() => this.pushDeliveries--);
    };
    this.metrics.role.set(role);
  }

  /**
   * A Push makes this node connect out: at most MAX_PUSH_DELIVERIES at once,
   * and one requester host only at the per-address Push rate.
   */
  private admitPushDelivery(requesterAddress: string): boolean {
    try {
      if (this.pushDeliveries >= MAX_PUSH_DELIVERIES) throw new Error('too many push deliveries at once');
      this.limits.admitPush(`giv:${splitHostPort(requesterAddress).host}`);
      return true;
    } catch {
      this.metrics.refusals.inc({ reason: 'push_delivery' });
      return false;
    }
  }

  /** Closes streams to zones now cut off; after a heal, redials at once instead of after backoff. */
  private applyFaults(): void {
    for (const s of [...this.streams.values()]) if (this.faults.blocks(s.peer.zone)) s.close();
    this.neighbours?.retryNow();
    this.uplinks?.retryNow();
  }

  /** A leaf that just lost its uplinks waits this long for one before a search fails. */
  async waitForUplink(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.core instanceof Leaf && this.core.uplinkCount === 0 && Date.now() < deadline && !this.stopping) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return !(this.core instanceof Leaf) || this.core.uplinkCount > 0;
  }

  /** The registry's supernode directory (`changed`: since the last call): candidates for uplinks or links. */
  useDirectory(entries: SupernodeEntry[], changed = true): void {
    const others = entries.filter((e) => e.id !== this.config.id);
    this.uplinks?.syncDirectory(others);
    this.neighbours?.useDirectory(others, changed);
  }

  /** The registry connection went down or came back; back, a supernode writes its entry again soon. */
  private registryStatus(up: boolean): void {
    this.metrics.registryUp.set(up);
    if (up) this.registry?.registryBack();
  }

  /** 0..1, how this node's past sessions ended (core/reliability.ts); 1 without a state file or history. */
  reliability(): number {
    return this.sessions?.reliability() ?? 1;
  }

  /** The leader's decision: a leaf becomes a supernode, or hands its leaves over and steps down. */
  async changeRole(role: 'supernode' | 'leaf'): Promise<void> {
    if (role === this.role || this.stopping) return;
    const from = this.role;
    if (from === 'supernode') this.neighbours?.handOverLeaves();
    this.becomeRole(role); // metrics.role.set counts the promotion or demotion
    if (from === 'supernode') await this.registry?.registry.removeSupernode(this.config.id).catch(() => undefined);
    this.log.info({ from, to: role }, 'role changed');
  }

  private sendOn(link: LinkId, d: Descriptor): void {
    const stream = this.streams.get(link);
    if (!stream || !stream.sendDescriptor(d)) {
      if (stream && !stream.closed) this.metrics.refusals.inc({ reason: 'queue_full' });
      this.metrics.descriptors.inc({ type: d.payload.kind, fate: 'unroutable' });
    }
  }

  observe(o: Observation): void {
    if (o.type === 'query_handled' && o.matched) this.hitsServed++;
    recordObservation(this.metrics, o);
  }

  private gaugeState() {
    const core = this.core;
    const sn = core instanceof Supernode ? core : undefined;
    const leaf = core instanceof Leaf ? core : undefined;
    let same = 0;
    let cross = 0;
    for (const u of leaf?.uplinkList() ?? []) {
      if (u.peer.zone === this.zone) same++;
      else cross++;
    }
    return {
      role: this.role,
      leaves: sn?.leafCount ?? 0,
      leafCapacity: this.config.leafCapacity,
      links: sn?.neighbourList().length ?? 0,
      indexFiles: sn?.index.size ?? 0,
      dhtRecords: this.dht?.member.store.size ?? 0,
      uplinks: { sameZone: same, crossZone: cross },
      participationScore: core.self.score,
      uploadSlots: this.config.uploadSlots,
      uploadSlotsInUse: this.choker.inUse,
      ...(this.registry ? {} : { registryUp: true }),
    };
  }

  private async startHttp(): Promise<void> {
    this.transfer = createTransferServer({
      index: { open: async (h) => this.shares?.open(h) },
      choker: this.choker,
      firewalled: this.config.firewalled,
      ready: () => this.ready && !this.stopping,
      // With a metrics listener of its own, the transfer port serves no metrics.
      metricsHandler: this.config.metricsListen ? undefined : () => this.metrics.handler(),
      onBytes: (direction, n) => {
        if (direction === 'upload') this.bytesUploaded += n;
        this.metrics.transferBytes.inc({ direction }, n);
      },
      onChoked: () => this.metrics.uploadsChoked.inc(),
      tls: httpsServerOptions(this.config),
      overlayName: this.config.tlsServerName,
      faults: this.config.faultInjection ? this.faults : undefined,
      onBadRequest: (reason) =>
        this.metrics.refusals.inc({ reason: reason === 'timeout' ? 'http_timeout' : reason === 'certificate' ? 'peer_certificate' : 'http_malformed' }),
      log: this.log,
    });
    const { host, port } = splitHostPort(this.config.httpListen);
    const addr = await this.transfer.listen(port, host);
    this.httpAddress = `${this.advertiseHost(host)}:${addr.port}`;
    if (this.config.metricsListen) {
      const m = splitHostPort(this.config.metricsListen);
      this.metricsServer = await startMetricsServer(m.host, m.port, () => this.metrics.handler());
    }
  }

  private async startGrpc(): Promise<void> {
    const { pkg } = loadProto();
    const age = this.config.maxConnectionAgeMs;
    this.grpcServer = new grpc.Server({
      'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.max_concurrent_streams': this.config.grpcMaxConcurrentStreams,
      ...(age > 0 ? { 'grpc.max_connection_age_ms': age, 'grpc.max_connection_age_grace_ms': 10_000 } : {}),
      interceptors: [grpcMetricsInterceptor(this.metrics)],
    });
    registerOverlay(this, this.grpcServer, pkg);
    registerClient(this, this.grpcServer, pkg);
    this.health = new HealthImplementation({ '': 'NOT_SERVING', 'superpeer.v1.Overlay': 'SERVING', 'superpeer.v1.Client': 'SERVING' });
    this.health.addToServer(this.grpcServer);
    addReflection(this.grpcServer);
    const { host } = splitHostPort(this.config.grpcListen);
    const port = await new Promise<number>((resolve, reject) =>
      this.grpcServer.bindAsync(this.config.grpcListen, grpcServerCredentials(this.config), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.grpcAddress = `${this.advertiseHost(host)}:${port}`;
  }

  private advertiseHost(listenHost: string): string {
    if (this.config.advertiseHost) return this.config.advertiseHost;
    if (listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '') {
      for (const list of Object.values(os.networkInterfaces())) {
        for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
      }
      return '127.0.0.1';
    }
    return listenHost;
  }

  private async rescan(): Promise<void> {
    if (!this.shares || this.stopping) return;
    try {
      const delta = await this.shares.refresh();
      if (delta.add.length === 0 && delta.remove.length === 0) return;
      this.sharesVersion++;
      if (this.core instanceof Supernode) this.core.shareOwn(this.shares.files());
      else this.uplinks?.sendShares({ add: delta.add, remove: delta.remove, reset: false });
    } catch (err) {
      this.log.warn({ err: String(err) }, 'share rescan failed');
    }
  }

  /** Graceful stop: a supernode tells its leaves where to go before it leaves. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.ready = false;
    this.health?.setStatus('', 'NOT_SERVING');
    clearInterval(this.rescanTimer);
    await this.registry?.stop();
    this.neighbours?.handOverLeaves();
    this.neighbours?.stop();
    this.uplinks?.stop();
    this.dht?.stop();
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, 2_000);
      this.grpcServer.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    await this.transfer.close();
    await this.metricsServer?.close();
    this.dialer.close();
    this.log.info('node stopped');
  }
}
