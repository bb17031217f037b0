// The client-facing service every node serves: Search (results stream in
// as QueryHits come back), Locate, RequestPush, Status, Topology.
import * as grpc from '@grpc/grpc-js';
import { SuperpeerError } from '../core/errors.js';
import { Leaf } from '../core/leaf.js';
import type { SearchResultEntry } from '../core/search-session.js';
import { serventIdFromWire } from './codec.js';
import type { ProtoGrpcType } from './generated/overlay.js';
import type { ClientHandlers } from './generated/superpeer/v1/Client.js';
import type { SearchResult } from './generated/superpeer/v1/SearchResult.js';
import type { SuperpeerNode } from './node.js';
import { toServiceError } from './status-map.js';
import { crawlTopology } from './topology-crawl.js';
import { CENTRAL_HOPS, centralSearch, serventIdOf, type CentralObserver } from './central-search.js';
import type { LocateResponse } from './generated/superpeer/v1/LocateResponse.js';
import { statusOf } from './status.js';
import { admitPushCall, admitSearchCall, admitStatusCall, admitTopologyCall, releasingCallback, writeWithBackpressure } from './search-admission.js';

/** Longest a client may ask a search to run. */
export const MAX_SEARCH_TIMEOUT_MS = 60_000;
export const DEFAULT_LOCATE_TIMEOUT_MS = 2_000;
export const DEFAULT_LOCATE_RESULTS = 20;
/** A leaf between uplinks (re-homing) holds a search this long rather than failing it. */
export const UPLINK_WAIT_MS = 2_000;

export function registerClient(node: SuperpeerNode, server: grpc.Server, pkg: ProtoGrpcType): void {
  const handlers: ClientHandlers = {
    async Search(call) {
      const r = call.request;
      const started = Date.now();
      try {
        admitSearchCall(node, call);
        if (node.config.mode === 'central') {
          const listener = { result: (e: SearchResultEntry) => call.write(resultToWire(e)), end: () => call.end() };
          return await centralSearch(node.registry?.registry, node.zone, { criteria: r.query, sha256: r.sha256, maxResults: r.max_results }, listener, centralObserver(node));
        }
        await node.waitForUplink(Math.min(UPLINK_WAIT_MS, r.timeout_ms || UPLINK_WAIT_MS));
        ensureSearchable(node);
        const handle = node.core.search(
          {
            criteria: r.query,
            sha256: r.sha256,
            ttl: r.ttl || undefined,
            maxResults: r.max_results || undefined,
            timeoutMs: remainingMs(Math.min(r.timeout_ms || node.core.options.defaultSearchTimeoutMs, MAX_SEARCH_TIMEOUT_MS), started),
            dynamic: dynamicQuerying(node.config.mode, r.dynamic, r.single_round),
          },
          { result: (e) => call.write(resultToWire(e)), end: () => call.end() },
        );
        call.on('cancelled', () => handle.cancel());
      } catch (err) {
        node.metrics.searches.inc({ outcome: 'error' });
        call.emit('error', toServiceError(err));
      }
    },

    async Locate(call, callback) {
      const r = call.request;
      const started = Date.now();
      try {
        callback = releasingCallback(callback, admitSearchCall(node, call));
        if (!/^[0-9a-f]{64}$/.test(r.sha256)) throw new SuperpeerError('BAD_HASH', 'sha256 must be 64 lowercase hex digits');
        if (node.config.mode === 'central') {
          const sources: SearchResult[] = [];
          const listener = { result: (e: SearchResultEntry) => sources.push(resultToWire(e)), end: () => callback(null, { sources }) };
          return await centralSearch(node.registry?.registry, node.zone, { criteria: '', sha256: r.sha256, maxResults: r.max_results || DEFAULT_LOCATE_RESULTS }, listener, centralObserver(node));
        }
        if (node.config.mode === 'dht') {
          const timeoutMs = Math.min(r.timeout_ms || DEFAULT_LOCATE_TIMEOUT_MS, MAX_SEARCH_TIMEOUT_MS);
          return callback(null, await dhtLocate(node, r.sha256, timeoutMs, r.max_results || DEFAULT_LOCATE_RESULTS));
        }
        await node.waitForUplink(Math.min(UPLINK_WAIT_MS, r.timeout_ms || UPLINK_WAIT_MS));
        ensureSearchable(node);
        const sources: SearchResult[] = [];
        node.core.search(
          {
            criteria: '',
            sha256: r.sha256,
            maxResults: r.max_results || DEFAULT_LOCATE_RESULTS,
            timeoutMs: remainingMs(Math.min(r.timeout_ms || DEFAULT_LOCATE_TIMEOUT_MS, MAX_SEARCH_TIMEOUT_MS), started),
          },
          { result: (e) => sources.push(resultToWire(e)), end: () => callback(null, { sources }) },
        );
      } catch (err) {
        callback(toServiceError(err));
      }
    },

    RequestPush(call, callback) {
      const r = call.request;
      try {
        admitPushCall(node, call, r.requester_address);
        const routed = node.core.requestPush({
          serventId: serventIdFromWire(r.servent_id),
          sha256: r.sha256,
          requesterAddress: r.requester_address,
          token: r.token,
        });
        callback(null, { routed });
      } catch (err) {
        callback(toServiceError(err));
      }
    },

    Status(call, callback) {
      try {
        admitStatusCall(node, call);
        callback(null, statusOf(node, { leavesOffset: call.request.leaves_offset, filesOffset: call.request.files_offset }));
      } catch (err) {
        callback(toServiceError(err));
      }
    },

    Topology(call) {
      let release: () => void;
      try {
        release = admitTopologyCall(node, call);
      } catch (err) {
        call.emit('error', toServiceError(err));
        return;
      }
      let cancelled = false;
      call.on('cancelled', () => (cancelled = true));
      crawlTopology(node, call.request.max_nodes, (part) => writeWithBackpressure(call, part, () => cancelled), () => cancelled)
        .then(
          (stats) => {
            node.log.debug(stats, 'topology crawl');
            if (!cancelled) call.end();
          },
          (err: unknown) => {
            if (!cancelled) call.emit('error', toServiceError(err));
          },
        )
        .finally(() => release());
    },
  };
  server.addService(pkg.superpeer.v1.Client.service, handlers);
}

/**
 * dht mode: a supernode asks the Chord ring; a leaf forwards the Locate to
 * one of its supernodes, as a leaf does for everything.
 */
async function dhtLocate(node: SuperpeerNode, sha256: string, timeoutMs: number, max: number): Promise<LocateResponse> {
  const started = Date.now();
  if (node.dht) {
    node.observe({ type: 'sent', kind: 'query', count: 1 });
    const { providers, hops } = await node.dht.locate(sha256, timeoutMs);
    const sources = providers.slice(0, max).map(
      (p): SearchResult => ({
        name: p.name,
        size: p.size,
        sha256,
        node_id: p.nodeId,
        http_address: p.httpAddress,
        firewalled: p.httpAddress === '',
        hops,
        zone: p.zone,
        path: ['chord'],
        servent_id: serventIdOf(p.nodeId),
        elapsed_ms: Date.now() - started,
      }),
    );
    node.observe({ type: 'search_done', firstHitMs: sources.length ? Date.now() - started : null, durationMs: Date.now() - started, results: sources.length });
    return { sources };
  }
  await node.waitForUplink(UPLINK_WAIT_MS);
  ensureSearchable(node);
  const uplink = node.uplinks?.active()[0];
  if (!uplink) throw new SuperpeerError('UNAVAILABLE', `${node.config.id} has no supernode to ask`);
  const client = node.dialer.clientClient(uplink.address);
  return new Promise((resolve, reject) =>
    client.Locate({ sha256, timeout_ms: timeoutMs, max_results: max }, { deadline: new Date(Date.now() + timeoutMs + 1_000) }, (err, res) =>
      err || !res ? reject(err ?? new SuperpeerError('UNAVAILABLE', 'no answer')) : resolve(res),
    ),
  );
}

function centralObserver(node: SuperpeerNode): CentralObserver {
  return {
    sent: () => node.observe({ type: 'sent', kind: 'query', count: 1 }),
    hit: (sameZone, results) => node.observe({ type: 'hit', hops: CENTRAL_HOPS, sameZone, results }),
    done: (firstHitMs, durationMs, results) => node.observe({ type: 'search_done', firstHitMs, durationMs, results }),
  };
}

/** A search's deadline counts from the call, so time spent waiting for an uplink is not added on top. */
function remainingMs(timeoutMs: number, started: number): number {
  return Math.max(1, timeoutMs - (Date.now() - started));
}

function ensureSearchable(node: SuperpeerNode): void {
  if (node.core instanceof Leaf && node.core.uplinkCount === 0) {
    throw new SuperpeerError('UNAVAILABLE', `${node.config.id} is not attached to any supernode yet`);
  }
}

export function resultToWire(e: SearchResultEntry): SearchResult {
  return {
    name: e.file.name,
    size: e.file.size,
    sha256: e.file.sha256,
    node_id: e.hit.nodeId,
    http_address: e.hit.httpAddress,
    firewalled: e.hit.firewalled,
    hops: e.hops,
    zone: e.hit.zone,
    path: e.hit.path,
    servent_id: e.hit.serventId,
    elapsed_ms: e.elapsedMs,
  };
}

/** Dynamic querying is the default in supernode mode; a request may force it elsewhere or ask for a single round. */
export function dynamicQuerying(mode: string, dynamic: boolean, singleRound: boolean): boolean {
  if (singleRound) return false;
  return dynamic || mode === 'supernode';
}
