// Participation score (FastTrack's "participation level"): one number in
// 0..100 that says how good a supernode this peer would make. Each component
// saturates, so no single resource (a huge disk of shares, a 64-core box) can
// buy the role; the weights say what matters to an overlay: staying up,
// relaying bandwidth, memory for the leaf index, and a record of behaving well.
// Pure: the node measures the inputs, this only combines them.

export interface ParticipationInput {
  /** Time since the node started, ms. */
  uptimeMs: number;
  /** CPU cores the container may use (limit, or host cores if unlimited). */
  cpuCores: number;
  /** Memory the container may use (limit, or host memory if unlimited). */
  memoryBytes: number;
  /** Measured upload bandwidth, bits per second. */
  uploadBandwidthBps: number;
  /** Cannot accept inbound connections: never eligible to be a supernode. */
  firewalled: boolean;
  filesShared: number;
  bytesUploaded: number;
  /** Query hits this node's shares produced. */
  hitsServed: number;
  /** 0..1: share of past sessions ended gracefully / heartbeats kept. */
  reliability: number;
}

export interface ScoreComponents {
  uptime: number;
  cpu: number;
  memory: number;
  bandwidth: number;
  files: number;
  uploaded: number;
  hits: number;
  reliability: number;
}

export interface ParticipationScore {
  /** 0..100, rounded to two decimals. */
  score: number;
  /** false when firewalled: the score still ranks it among leaves, never for promotion. */
  eligible: boolean;
  /** Each component's saturation in 0..1, before weighting (for status and debugging). */
  components: ScoreComponents;
}

// Weights: points out of 100.
/** Churn is what hurts an overlay most: a supernode that leaves orphans all its leaves. */
export const WEIGHT_UPTIME = 25;
/** A supernode relays queries and hits for every leaf, so upload bandwidth is its main cost. */
export const WEIGHT_BANDWIDTH = 20;
/** Reliability: graceful exits hand leaves over; crashes make them re-home. */
export const WEIGHT_RELIABILITY = 15;
/** The leaves' file index and routing tables live in memory. */
export const WEIGHT_MEMORY = 10;
/** Query matching and descriptor handling are CPU-bound but light; capped low. */
export const WEIGHT_CPU = 10;
/** Contribution (files, bytes, hits): rewards peers that serve others, as KaZaA's level did. */
export const WEIGHT_FILES = 7;
export const WEIGHT_UPLOADED = 7;
export const WEIGHT_HITS = 6;

// Saturation points: beyond these, more of a resource adds nothing.
/** A day of uptime is as good as it gets; log scale so the first hours count most. */
export const UPTIME_SATURATION_MS = 24 * 60 * 60 * 1000;
/** Unit of the uptime log scale: one minute, so a fresh node scores near zero. */
export const UPTIME_UNIT_MS = 60 * 1000;
/** 4 cores handle a supernode's load comfortably; linear up to there. */
export const CPU_SATURATION_CORES = 4;
/** 2 GiB holds the index of thousands of leaves; linear up to there. */
export const MEMORY_SATURATION_BYTES = 2 * 1024 ** 3;
/** 100 Mbit/s; log scale from 64 kbit/s so dial-up-like links score near zero. */
export const BANDWIDTH_SATURATION_BPS = 100e6;
export const BANDWIDTH_FLOOR_BPS = 64e3;
/** 1,000 shared files; log scale so the first shares count most. */
export const FILES_SATURATION = 1_000;
/** 10 GiB uploaded; log scale from 1 MiB. */
export const UPLOADED_SATURATION_BYTES = 10 * 1024 ** 3;
export const UPLOADED_UNIT_BYTES = 1024 ** 2;
/** 10,000 query hits served; log scale. */
export const HITS_SATURATION = 10_000;

/** A non-negative finite number, or 0 (measurements can fail). */
function sane(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** log(1 + x/unit) / log(1 + saturation/unit), clamped to 0..1. */
function logSaturation(x: number, saturation: number, unit = 1): number {
  return clamp01(Math.log1p(sane(x) / unit) / Math.log1p(saturation / unit));
}

export function participationScore(input: ParticipationInput): ParticipationScore {
  const bw = sane(input.uploadBandwidthBps);
  const components: ScoreComponents = {
    uptime: logSaturation(input.uptimeMs, UPTIME_SATURATION_MS, UPTIME_UNIT_MS),
    cpu: clamp01(sane(input.cpuCores) / CPU_SATURATION_CORES),
    memory: clamp01(sane(input.memoryBytes) / MEMORY_SATURATION_BYTES),
    bandwidth: bw <= BANDWIDTH_FLOOR_BPS ? 0 : clamp01(Math.log(bw / BANDWIDTH_FLOOR_BPS) / Math.log(BANDWIDTH_SATURATION_BPS / BANDWIDTH_FLOOR_BPS)),
    files: logSaturation(input.filesShared, FILES_SATURATION),
    uploaded: logSaturation(input.bytesUploaded, UPLOADED_SATURATION_BYTES, UPLOADED_UNIT_BYTES),
    hits: logSaturation(input.hitsServed, HITS_SATURATION),
    reliability: clamp01(sane(input.reliability)),
  };
  const raw =
    WEIGHT_UPTIME * components.uptime +
    WEIGHT_CPU * components.cpu +
    WEIGHT_MEMORY * components.memory +
    WEIGHT_BANDWIDTH * components.bandwidth +
    WEIGHT_FILES * components.files +
    WEIGHT_UPLOADED * components.uploaded +
    WEIGHT_HITS * components.hits +
    WEIGHT_RELIABILITY * components.reliability;
  return {
    score: Math.round(Math.min(100, Math.max(0, raw)) * 100) / 100,
    eligible: !input.firewalled,
    components,
  };
}

/** Sum of the weights; 100 by construction (checked in tests). */
export const SCORE_MAX =
  WEIGHT_UPTIME + WEIGHT_BANDWIDTH + WEIGHT_RELIABILITY + WEIGHT_MEMORY + WEIGHT_CPU + WEIGHT_FILES + WEIGHT_UPLOADED + WEIGHT_HITS;
