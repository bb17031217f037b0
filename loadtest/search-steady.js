// @ts-check
// Steady search load: a constant arrival rate of searches (open loop: a slow
// node does not slow the load down), terms drawn Zipf-popular or rare from
// the names the target's overlay shares.
//
//   k6 run -e SUPERPEER_TARGET=127.0.0.1:6346 -e RATE=50 -e DURATION=1m loadtest/search-steady.js

import grpc from 'k6/net/grpc';
import { readConfig, readTerms, steadyScenario } from './lib/env.js';
import { searchThresholds, searchesPopular } from './lib/thresholds.js';
import { vuSampler } from './lib/terms.js';
import { recordSearch, searchStream } from './lib/search.js';
import { ready, setupRun } from './lib/vu.js';

const config = readConfig(__ENV);
const given = readTerms(__ENV, (path) => open(path));

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    search_steady: steadyScenario(config),
  },
  thresholds: searchThresholds(config, searchesPopular(config, given)),
};

// Init context: load the repository's own protos (the path is relative to this file).
const client = new grpc.Client();
client.load([config.protoDir], 'superpeer/v1/overlay.proto');

export function setup() {
  return setupRun(client, config, given, options);
}

/** Per VU: each VU has its own copy of this module. */
/** @type {{ connected: boolean, sampler: ReturnType<typeof import('./lib/terms.js').termSampler> | null }} */
const vu = { connected: false, sampler: null };

/** @param {import('./lib/vu.js').SetupData} data */
export default async function (data) {
  if (!ready(client, config, vu, data)) return;
  const { term, kind } = vuSampler(vu, data, config).pick(Math.random);
  const request = { query: term, maxResults: config.maxResults, timeoutMs: config.searchTimeoutMs, ttl: config.ttl };
  const tags = { kind };
  recordSearch(await searchStream(client, request, tags), tags, request);
}
