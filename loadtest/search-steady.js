// @ts-check
// Steady search load: a constant arrival rate of searches (open loop: a slow
// node does not slow the load down), terms drawn Zipf-popular or rare.
//
//   k6 run -e SUPERPEER_TARGET=127.0.0.1:6346 -e RATE=50 -e DURATION=1m loadtest/search-steady.js

import grpc from 'k6/net/grpc';
import { readConfig, readTerms, streamThresholds, checksThresholds, latencyThresholds, steadyScenario } from './lib/env.js';
import { termSampler } from './lib/terms.js';
import { recordSearch, searchStream } from './lib/search.js';

const config = readConfig(__ENV);
const sampler = termSampler({
  ...readTerms(__ENV, (path) => open(path)),
  exponent: config.zipfExponent,
  rareFraction: config.rareFraction,
});

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    search_steady: steadyScenario(config),
  },
  thresholds: {
    grpc_req_duration: streamThresholds(config),
    checks: checksThresholds(config),
    'search_first_result{kind:popular}': latencyThresholds(config.p95Ms, config.p99Ms),
  },
};

// Init context: load the repository's own protos (the path is relative to this file).
const client = new grpc.Client();
client.load([config.protoDir], 'superpeer/v1/overlay.proto');

let connected = false; // per VU: each VU has its own copy of this module

export default async function () {
  if (!connected) {
    client.connect(config.target, { plaintext: !config.tls });
    connected = true;
  }
  const { term, kind } = sampler.pick(Math.random);
  const request = { query: term, maxResults: config.maxResults, timeoutMs: config.searchTimeoutMs, ttl: config.ttl };
  const tags = { kind };
  recordSearch(await searchStream(client, request, tags), tags, request);
}
