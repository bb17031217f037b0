// @ts-check
// Ramping search load to find the knee: the arrival rate climbs in stair steps
// from START_RATE to PEAK_RATE; every search is tagged with its step, and each
// step has its own threshold, so the end-of-test summary shows p95 per rate and
// the first step that fails is the knee.
//
//   k6 run -e SUPERPEER_TARGET=127.0.0.1:6346 -e START_RATE=20 -e PEAK_RATE=400 -e STEPS=8 loadtest/search-ramp.js

import grpc from 'k6/net/grpc';
import exec from 'k6/execution';
import { readConfig, readTerms, readVus, numberFrom, durationFrom, flagFrom } from './lib/env.js';
import { searchThresholds, searchesPopular, SEARCHES_OK, NOT_EMPTY } from './lib/thresholds.js';
import { vuSampler } from './lib/terms.js';
import { stairStages, stepAt, stepRates } from './lib/ramp.js';
import { recordSearch, searchStream } from './lib/search.js';
import { ready, setupRun } from './lib/vu.js';

const config = readConfig(__ENV);
const given = readTerms(__ENV, (path) => open(path));
const startRate = numberFrom(__ENV, 'START_RATE', 10, { min: 1, integer: true });
const peakRate = numberFrom(__ENV, 'PEAK_RATE', 200, { min: startRate, integer: true });
const ramp = stairStages(
  stepRates(startRate, peakRate, numberFrom(__ENV, 'STEPS', 8, { min: 1, max: 50, integer: true })),
  durationFrom(__ENV, 'RAMP', '10s'),
  durationFrom(__ENV, 'HOLD', '30s'),
);
// With ABORT_AT_KNEE=1 the run stops once p95 time to first result crosses P95_MS.
const abortAtKnee = flagFrom(__ENV, 'ABORT_AT_KNEE');
// Sized for the peak: the VUs a step needs grow with its rate.
const vus = readVus(__ENV, peakRate, config.searchTimeoutMs);

/** @type {Record<string, import('k6/options').Threshold[]>} */
const thresholds = searchThresholds(config, searchesPopular(config, given));
if (abortAtKnee && thresholds['search_first_result{kind:popular}'] !== undefined) {
  thresholds['search_first_result{kind:popular}'] = [
    { threshold: `p(95)<${config.p95Ms}`, abortOnFail: true, delayAbortEval: '10s' },
  ];
}
for (const step of ramp.steps) {
  // One threshold per step: k6 prints each one's p95 in the summary; the
  // companion fails a step in which no search found anything.
  thresholds[`search_first_result{step:${step.index}}`] = [`p(95)<${config.p95Ms}`];
  thresholds[`${SEARCHES_OK}{step:${step.index}}`] = [NOT_EMPTY];
}

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    search_ramp: {
      executor: 'ramping-arrival-rate',
      startRate,
      timeUnit: '1s',
      stages: ramp.stages,
      preAllocatedVUs: vus.preAllocatedVUs,
      maxVUs: vus.maxVUs,
    },
  },
  thresholds,
};

const client = new grpc.Client();
client.load([config.protoDir], 'superpeer/v1/overlay.proto');

export function setup() {
  return setupRun(client, config, given, options);
}

/** @type {{ connected: boolean, sampler: ReturnType<typeof import('./lib/terms.js').termSampler> | null }} */
const vu = { connected: false, sampler: null }; // per VU

/** @param {import('./lib/vu.js').SetupData} data */
export default async function (data) {
  if (!ready(client, config, vu, data)) return;
  const step = stepAt(ramp.steps, Date.now() - exec.scenario.startTime);
  const { term, kind } = vuSampler(vu, data, config).pick(Math.random);
  const request = { query: term, maxResults: config.maxResults, timeoutMs: config.searchTimeoutMs, ttl: config.ttl };
  const tags = { kind, step: String(step.index), rate: String(step.rate) };
  recordSearch(await searchStream(client, request, tags), tags, request);
}
