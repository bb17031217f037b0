// @ts-check
// The server-streaming Search read to the end: no max_results cap by default,
// so each stream carries every hit the overlay finds before the deadline. It
// checks the stream itself: clean end, well-formed results in arrival order,
// no duplicate sources, nothing after the deadline.
//
//   k6 run -e SUPERPEER_TARGET=127.0.0.1:6346 -e RATE=20 loadtest/stream-search.js

import grpc from 'k6/net/grpc';
import { check } from 'k6';
import { readConfig, readTerms, numberFrom, steadyScenario } from './lib/env.js';
import { searchThresholds, searchesPopular, NOT_EMPTY } from './lib/thresholds.js';
import { vuSampler } from './lib/terms.js';
import { recordSearch, searchStream } from './lib/search.js';
import { distinctSources, inArrivalOrder } from './lib/results.js';
import { ready, setupRun } from './lib/vu.js';

const config = readConfig(__ENV);
const given = readTerms(__ENV, (path) => open(path));
// 0 = the server's default cap: read whatever the overlay returns.
const maxResults = numberFrom(__ENV, 'MAX_RESULTS', 0, { min: 0, integer: true });
/** Results stamped later than the deadline by more than this are a server bug, not jitter. */
const DEADLINE_TOLERANCE_MS = 100;

const thresholds = searchThresholds(config, searchesPopular(config, given));
thresholds.grpc_streams_msgs_received = [NOT_EMPTY];

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    stream_search: steadyScenario(config),
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
  const { term, kind } = vuSampler(vu, data, config).pick(Math.random);
  const request = { query: term, maxResults, timeoutMs: config.searchTimeoutMs, ttl: config.ttl };
  const tags = { kind };
  const outcome = await searchStream(client, request, tags);
  recordSearch(outcome, tags, request);
  check(
    outcome,
    {
      'stream: results in arrival order': (o) => inArrivalOrder(o.results),
      'stream: no duplicate source': (o) => distinctSources(o.results),
      'stream: nothing after the deadline': (o) =>
        o.results.every((r) => r.elapsedMs <= config.searchTimeoutMs + DEADLINE_TOLERANCE_MS),
    },
    tags,
  );
}
