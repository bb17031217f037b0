// Every knob of a simulation run, with its default and the reason for it.
// A run is a pure function of these parameters (the seed included).

export type SimMode = 'supernode' | 'flood' | 'central' | 'dht';
export const SIM_MODES: readonly SimMode[] = ['supernode', 'flood', 'central', 'dht'];

export interface SimParams {
  mode: SimMode;
  seed: number;
  /** Peers in the population, supernodes included. */
  peers: number;
  /** Supernodes to elect (supernode and dht modes; flood has no tiers, central has one index). */
  supernodes: number;
  /** Searches to run. */
  queries: number;
  /** Query TTL (the cap for dynamic querying). */
  ttl: number;
  zones: number;
  /** Latency inside a zone, one way, ms (same data centre / metro). */
  intraZoneMs: number;
  /** Latency between zones, one way, ms (cross-region). */
  interZoneMs: number;
  /** Uniform jitter, as a fraction of the zone latency (±). */
  jitter: number;
  /** Supernode neighbours (average degree of the supernode graph); Gnutella ultrapeers held 6–32. */
  supernodeDegree: number;
  /** Average degree of the flat flood graph; Gnutella 0.4 measured ~3.4. */
  floodDegree: number;
  /** Uplinks per leaf (selection.ts DEFAULT_UPLINKS). */
  uplinks: number;
  /** Distinct files in the catalogue. */
  files: number;
  /** Fraction of peers that share nothing (Adar & Huberman 2000 measured ~2/3 on Gnutella). */
  freeRiders: number;
  /** Mean files shared by a sharing peer (Pareto, alpha 1.5). */
  meanShared: number;
  /** Zipf exponent of replication (how many copies of file k). */
  replicationZipf: number;
  /** Zipf exponent of query popularity. */
  queryZipf: number;
  /** Fraction of peers behind NAT: never supernodes, served by Push. */
  firewalled: number;
  /** Searches per second of virtual time, Poisson arrivals. */
  queryRatePerS: number;
  /** Results a search wants before it stops (dynamic querying's goal). */
  maxResults: number;
  /** Dynamic querying in supernode mode. */
  dynamic: boolean;
  /** QRP tables between supernodes in supernode mode. */
  qrp: boolean;
  /** Neighbourhood adverts (core/neighbourhood.ts): route past the last hop, one relay per supernode two links away. Needs qrp. */
  neighbourhoods: boolean;
  qrtBits: number;
  /** Search deadline, ms of virtual time. */
  searchTimeoutMs: number;
  /**
   * Lifetime of the servents' duplicate and reverse-route entries, ms of virtual time. Nodes keep
   * them 10 min; every descriptor of a search is dead within its deadline plus a few hops, so any
   * lifetime well above searchTimeoutMs routes identically while keeping the tables small.
   */
  tableTtlMs: number;
  /** supernode mode: also model the control plane (registry operations, control messages, balance); see control-plane.ts. Off by default here, on in `superpeer sim`. */
  controlPlane: boolean;
  /** Departures per peer per minute; 0 = no churn. Session times are Pareto with mean 1/churn minutes. */
  churn: number;
  /** Shape of the Pareto session times (heavy tail). */
  sessionParetoAlpha: number;
  /** How often a supernode re-sends its route table when its index changed, ms. */
  qrtRefreshMs: number;
  /** Time windows the churn report is cut into. */
  windows: number;
  /** Distinct searching peers (real Leaf objects); other leaves exist only in their supernodes' index. */
  searchers: number;
  /** dht: replicas r of every provider record (and distinct members in each successor list). */
  replicas: number;
  /** dht: ring positions (virtual nodes) per member. */
  virtualNodes: number;
  /** dht: proximity finger choice (same zone first among the members that fit a finger). */
  proximity: boolean;
  /** dht: fraction of members that fail at once after publishing, before the searches, with no repair. */
  failFraction: number;
  /** dht: virtual ms of steady state over which the ring's maintenance traffic is counted. */
  steadyMs: number;
}

export const DEFAULT_SIM_PARAMS: SimParams = {
  mode: 'supernode',
  seed: 1,
  peers: 10_000,
  supernodes: 100,
  queries: 1_000,
  ttl: 4,
  zones: 3,
  intraZoneMs: 5,
  interZoneMs: 40,
  jitter: 0.2,
  supernodeDegree: 10,
  floodDegree: 4,
  uplinks: 2,
  files: 0,
  freeRiders: 0.66,
  meanShared: 10,
  replicationZipf: 0.8,
  queryZipf: 0.8,
  firewalled: 0.3,
  queryRatePerS: 100,
  maxResults: 50,
  dynamic: true,
  qrp: true,
  neighbourhoods: true,
  qrtBits: 16,
  searchTimeoutMs: 10_000,
  tableTtlMs: 30_000,
  churn: 0,
  controlPlane: false,
  sessionParetoAlpha: 1.5,
  qrtRefreshMs: 30_000,
  windows: 5,
  searchers: 1_000,
  replicas: 3,
  virtualNodes: 8,
  proximity: true,
  failFraction: 0,
  steadyMs: 60_000,
};

/** Defaults filled in; `files` 0 means peers/10 (at least 100). */
export function resolveParams(p: Partial<SimParams>): SimParams {
  const r = { ...DEFAULT_SIM_PARAMS, ...p };
  if (!r.files) r.files = Math.max(100, Math.floor(r.peers / 10));
  r.supernodes = Math.max(1, Math.min(r.supernodes, r.peers));
  r.searchers = Math.max(1, Math.min(r.searchers, r.queries));
  return r;
}
