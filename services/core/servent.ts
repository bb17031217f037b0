// What every node does whatever its role: validate what arrives, apply the
// Gnutella 0.6 TTL/hops rules, drop duplicates, route QueryHits and Pongs
// back along the path their Query or Ping came, route Pushes by servent ID,
// and run the searches and pings started here. Roles (supernode, leaf) say
// how a Query and a Ping are handled and where originated ones go.
import {
  MAX_TTL,
  type Descriptor,
  type DescriptorId,
  type PayloadKind,
  type Ping,
  type Pong,
  type Push,
  type Query,
  type QueryHit,
  type ServentId,
} from './descriptor.js';
import { DYNAMIC_ASSUMED_DEGREE, DYNAMIC_ROUND_MS_PER_TTL, dynamicSearch, type StartRound } from './dynamic-query.js';
import type { DescriptorFate, Environment, LinkId } from './environment.js';
import { SuperpeerError } from './errors.js';
import { ExpiringMap } from './expiring-map.js';
import { newDescriptorId } from './ids.js';
import { MAX_SEARCH_RESULTS } from './limits.js';
import type { PeerInfo } from './peer.js';
import { SearchSession, type SearchListener } from './search-session.js';
import { validateDescriptor, validateQueryTerms } from './validate.js';

/** Route target for descriptors started at this node. */
export const LOCAL: LinkId = '';

export interface ServentOptions {
  /** Gnutella servents remember IDs for minutes; 10 min covers any TTL-7 walk. */
  duplicateTtlMs: number;
  duplicateTableSize: number;
  routeTtlMs: number;
  routeTableSize: number;
  defaultSearchTtl: number;
  defaultSearchTimeoutMs: number;
  defaultMaxResults: number;
}

export const DEFAULT_SERVENT_OPTIONS: ServentOptions = {
  duplicateTtlMs: 10 * 60_000,
  duplicateTableSize: 100_000,
  routeTtlMs: 10 * 60_000,
  routeTableSize: 100_000,
  defaultSearchTtl: 4,
  defaultSearchTimeoutMs: 3_000,
  defaultMaxResults: 100,
};

export interface SearchParams {
  criteria: string;
  sha256?: string;
  ttl?: number;
  maxResults?: number;
  timeoutMs?: number;
  /** Dynamic querying: own supernodes first, then wider up to `ttl` until maxResults arrived (dynamic-query.ts). */
  dynamic?: boolean;
  /** Dynamic querying: how long each round waits per unit of its TTL. */
  roundMsPerTtl?: number;
  /** Dynamic querying: the supernode degree its estimate assumes. */
  degree?: number;
}

export interface SearchHandle {
  id: DescriptorId;
  cancel(): void;
}

export type PongListener = (pong: Pong, hops: number) => void;
export type PushListener = (push: Push) => void;

export abstract class Servent {
  readonly options: ServentOptions;
  protected readonly seen: ExpiringMap<DescriptorId, true>;
  protected readonly queryRoutes: ExpiringMap<DescriptorId, LinkId>;
  protected readonly pingRoutes: ExpiringMap<DescriptorId, LinkId>;
  protected readonly pushRoutes: ExpiringMap<ServentId, LinkId>;
  private readonly searches = new Map<DescriptorId, SearchSession>();
  private readonly pings = new Map<DescriptorId, PongListener>();
  /** Called when a Push for this servent arrives; the adapter connects out. */
  onPush: PushListener = () => {};

  constructor(
    public self: PeerInfo,
    protected readonly env: Environment,
    options: Partial<ServentOptions> = {},
  ) {
    this.options = { ...DEFAULT_SERVENT_OPTIONS, ...options };
    const now = () => env.now();
    const o = this.options;
    this.seen = new ExpiringMap({ maxEntries: o.duplicateTableSize, ttlMs: o.duplicateTtlMs, now });
    this.queryRoutes = new ExpiringMap({ maxEntries: o.routeTableSize, ttlMs: o.routeTtlMs, now });
    this.pingRoutes = new ExpiringMap({ maxEntries: o.routeTableSize, ttlMs: o.routeTtlMs, now });
    this.pushRoutes = new ExpiringMap({ maxEntries: o.routeTableSize, ttlMs: o.routeTtlMs, now });
  }

  get activeSearches(): number {
    return this.searches.size;
  }

  /** Table sizes, for status and for proving they stay bounded. */
  tableSizes(): Record<string, number> {
    return {
      duplicates: this.seen.size,
      queryRoutes: this.queryRoutes.size,
      pingRoutes: this.pingRoutes.size,
      pushRoutes: this.pushRoutes.size,
      searches: this.searches.size,
    };
  }

  /**
   * A descriptor arrived on a link. Throws SuperpeerError (already counted as
   * invalid) when it breaks a rule; the adapter tells the peer and carries on.
   */
  receive(link: LinkId, d: Descriptor): void {
    try {
      validateDescriptor(d);
    } catch (err) {
      this.count(d.payload?.kind ?? 'ping', 'invalid');
      throw err;
    }
    const kind = d.payload.kind;
    this.count(kind, 'received');
    // Gnutella 0.6: each hop decrements TTL and increments hops.
    const next = { ...d, ttl: d.ttl - 1, hops: d.hops + 1 };
    switch (next.payload.kind) {
      case 'query':
        return this.handleQuery(link, next as Descriptor<Query>);
      case 'ping':
        return this.handlePing(link, next as Descriptor<Ping>);
      case 'query_hit':
        return this.routeHit(link, next as Descriptor<QueryHit>);
      case 'pong':
        return this.routePong(next as Descriptor<Pong>);
      case 'push':
        return this.routePush(next as Descriptor<Push>);
    }
  }

  /**
   * Starts a search here; results reach the listener as hits come back. A
   * dynamic search runs several rounds but is observed as one search.
   */
  search(params: SearchParams, listener: SearchListener): SearchHandle {
    return this.startSearch(params, {
      result: (entry) => listener.result(entry),
      end: (summary) => {
        const { firstHitMs, durationMs, results } = summary;
        this.env.observe({ type: 'search_done', firstHitMs, durationMs, results });
        listener.end(summary);
      },
    });
  }

  private startSearch(params: SearchParams, listener: SearchListener): SearchHandle {
    const sha256 = params.sha256 ?? '';
    validateQueryTerms(params.criteria, sha256);
    const ttl = params.ttl ?? this.options.defaultSearchTtl;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL) {
      throw new SuperpeerError('TTL_ABOVE_CAP', `ttl must be between 1 and ${MAX_TTL}`);
    }
    const maxResults = Math.min(params.maxResults || this.options.defaultMaxResults, MAX_SEARCH_RESULTS);
    if (params.dynamic) {
      const options = {
        firstTtl: 1,
        maxTtl: ttl,
        maxResults,
        roundMsPerTtl: params.roundMsPerTtl ?? DYNAMIC_ROUND_MS_PER_TTL,
        timeoutMs: params.timeoutMs || this.options.defaultSearchTimeoutMs,
        firstProbed: this.entryPoints(),
        degree: params.degree ?? DYNAMIC_ASSUMED_DEGREE,
      };
      const round: StartRound = (t, timeoutMs, l) => this.startSearch({ ...params, dynamic: false, ttl: t, timeoutMs }, l);
      return dynamicSearch(round, () => this.env.now(), options, listener);
    }
    const id = newDescriptorId(() => this.env.random());
    // The route stays after the session ends, so late hits still count as delivered.
    const session = new SearchSession(id, this.self.zone, maxResults, this.env, listener, (done) => {
      this.searches.delete(done);
    });
    this.searches.set(id, session);
    this.seen.set(id, true);
    this.queryRoutes.set(id, LOCAL);
    session.start(params.timeoutMs || this.options.defaultSearchTimeoutMs);
    const query: Query = { kind: 'query', criteria: params.criteria, sha256, maxResults, originZone: this.self.zone };
    this.originateQuery({ id, ttl, hops: 0, payload: query }, session);
    return { id, cancel: () => session.cancel() };
  }

  /** Sends a Ping; Pongs from nodes within ttl reach the listener until stopPing. */
  ping(ttl: number, listener: PongListener): DescriptorId {
    const id = newDescriptorId(() => this.env.random());
    this.seen.set(id, true);
    this.pingRoutes.set(id, LOCAL);
    this.pings.set(id, listener);
    this.originatePing({ id, ttl: Math.min(Math.max(ttl, 1), MAX_TTL), hops: 0, payload: { kind: 'ping' } });
    return id;
  }

  stopPing(id: DescriptorId): void {
    this.pings.delete(id);
    this.pingRoutes.delete(id);
  }

  /**
   * Sends a Push toward a servent along the path its QueryHits came.
   * Returns false when no route is known.
   */
  requestPush(push: Omit<Push, 'kind'>): boolean {
    const d: Descriptor<Push> = {
      id: newDescriptorId(() => this.env.random()),
      ttl: MAX_TTL,
      hops: 0,
      payload: { kind: 'push', ...push },
    };
    validateDescriptor(d);
    const link = this.routeForServent(push.serventId);
    if (link === undefined) return false;
    this.sendOn(link, d);
    return true;
  }

  /** A link closed: forget every route through it. */
  protected forgetLink(link: LinkId): void {
    this.queryRoutes.deleteWhere((l) => l === link);
    this.pingRoutes.deleteWhere((l) => l === link);
    this.pushRoutes.deleteWhere((l) => l === link);
  }

  protected abstract handleQuery(link: LinkId, d: Descriptor<Query>): void;
  protected abstract handlePing(link: LinkId, d: Descriptor<Ping>): void;
  protected abstract originateQuery(d: Descriptor<Query>, session: SearchSession): void;
  /** Supernodes a search started here asks first (a leaf's uplinks; a supernode itself). */
  protected abstract entryPoints(): number;
  protected abstract originatePing(d: Descriptor<Ping>): void;
  /** The next link toward a servent for a Push, if known. */
  protected abstract routeForServent(servent: ServentId): LinkId | undefined;

  /** Duplicate check shared by Query and Ping handling: true if new. */
  protected firstSight(d: Descriptor): boolean {
    if (this.seen.has(d.id)) {
      this.count(d.payload.kind, 'duplicate');
      return false;
    }
    this.seen.set(d.id, true);
    return true;
  }

  /** A Pong about this node, sent back toward a Ping. */
  protected pongFor(ping: Descriptor<Ping>): Descriptor<Pong> {
    return { id: ping.id, ttl: Math.max(ping.hops, 1), hops: 0, payload: this.describe() };
  }

  protected describe(): Pong {
    const s = this.self;
    return {
      kind: 'pong',
      serventId: s.serventId,
      nodeId: s.nodeId,
      grpcAddress: s.grpcAddress,
      role: s.role,
      zone: s.zone,
      filesShared: 0,
      kbytesShared: 0,
      leaves: 0,
      leafCapacity: s.leafCapacity,
      score: s.score,
    };
  }

  protected deliverHit(hit: QueryHit, id: DescriptorId, hops: number): void {
    this.count('query_hit', 'delivered');
    this.searches.get(id)?.deliver(hit, hops);
  }

  protected sendOn(link: LinkId, d: Descriptor): void {
    this.env.send(link, d);
    this.env.observe({ type: 'sent', kind: d.payload.kind, count: 1 });
  }

  protected count(kind: PayloadKind, fate: DescriptorFate): void {
    this.env.observe({ type: 'descriptor', kind, fate });
  }

  private routeHit(link: LinkId, d: Descriptor<QueryHit>): void {
    const back = this.queryRoutes.get(d.id);
    if (back === undefined) return this.count('query_hit', 'unroutable');
    // Remember where this servent's hits come from, for a later Push.
    this.pushRoutes.set(d.payload.serventId, link);
    if (back === LOCAL) return this.deliverHit(d.payload, d.id, d.hops);
    if (d.ttl === 0) return this.count('query_hit', 'ttl_expired');
    this.count('query_hit', 'routed');
    // Header rewritten, payload untouched: the adapter passes its bytes through.
    this.sendOn(back, d);
  }

  private routePong(d: Descriptor<Pong>): void {
    const back = this.pingRoutes.get(d.id);
    if (back === undefined) return this.count('pong', 'unroutable');
    if (back === LOCAL) {
      const listener = this.pings.get(d.id);
      if (!listener) return this.count('pong', 'unroutable');
      this.count('pong', 'delivered');
      return listener(d.payload, d.hops);
    }
    if (d.ttl === 0) return this.count('pong', 'ttl_expired');
    this.count('pong', 'routed');
    this.sendOn(back, d);
  }

  private routePush(d: Descriptor<Push>): void {
    if (d.payload.serventId === this.self.serventId) {
      this.count('push', 'delivered');
      this.env.observe({ type: 'push_received' });
      return this.onPush(d.payload);
    }
    if (!this.firstSight(d)) return;
    const next = this.routeForServent(d.payload.serventId);
    if (next === undefined) return this.count('push', 'unroutable');
    if (d.ttl === 0) return this.count('push', 'ttl_expired');
    this.count('push', 'routed');
    this.sendOn(next, d);
  }
}
