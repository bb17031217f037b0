// State the k6 stand-ins share inside one emulated run (one worker thread):
// metric samples, the synchronous bridge to the main thread, execution info.

/** @type {Map<string, 'counter' | 'rate' | 'trend' | 'gauge'>} */
export const metricTypes = new Map([
  ['checks', 'rate'],
  ['iterations', 'counter'],
  ['dropped_iterations', 'counter'],
  ['grpc_req_duration', 'trend'],
  ['grpc_streams', 'counter'],
  ['grpc_streams_msgs_received', 'counter'],
  ['grpc_streams_msgs_sent', 'counter'],
  ['http_reqs', 'counter'],
  ['http_req_duration', 'trend'],
  ['http_req_failed', 'rate'],
]);

export const runtime = {
  /** @type {Array<{ metric: string, value: number, tags: Record<string, string> }>} */
  samples: [],
  /** Calls the main thread and blocks until it answers: k6's connect and invoke are synchronous. */
  sync: (/** @type {string} */ _op, /** @type {unknown} */ _args) => /** @type {any} */ (undefined),
  /** Directory of the script: k6 resolves proto import paths and open() against it. */
  scriptDir: '.',
  emitZeroValues: false,
  scenarioName: '',
  startTime: 0,
  /** What exec.test.options reports: the options k6 runs (from an archive, they may differ from the script's). */
  options: /** @type {Record<string, unknown> | undefined} */ (undefined),
};

export function defineMetric(name, type) {
  const known = metricTypes.get(name);
  if (known !== undefined && known !== type) throw new Error(`metric ${name} is already a ${known}`);
  metricTypes.set(name, type);
}

export function addSample(metric, value, tags) {
  runtime.samples.push({ metric, value: Number(value), tags: stringTags(tags) });
}

function stringTags(tags) {
  const out = {};
  if (tags) for (const k of Object.keys(tags)) out[k] = String(tags[k]);
  return out;
}
