// One emulated `k6 run` in a worker thread: init context (import the script),
// setup(), the scenario's arrival-rate executor, then the thresholds the way
// k6 judges them at the end of a test. Started by run.ts with register.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { addSample, runtime } from './k6/runtime.mjs';
import { evaluateThresholds, summarize } from './thresholds.mjs';

const { script, env, emitZeroValues, runningOptions, noSetup, setupData, skipEmptyMetrics, control, data: shared } = workerData;
const ctl = new Int32Array(control);
const buf = new Uint8Array(shared);
/** k6's exit codes. */
const EXIT_THRESHOLDS_FAILED = 99;
const EXIT_SCRIPT_EXCEPTION = 107;
const GRACEFUL_STOP_MS = 30000;

runtime.scriptDir = path.dirname(script);
runtime.emitZeroValues = emitZeroValues;
runtime.sync = (op, args) => {
  Atomics.store(ctl, 0, 0);
  parentPort.postMessage({ op, args });
  Atomics.wait(ctl, 0, 0);
  const length = ctl[1];
  return JSON.parse(Buffer.from(buf.subarray(0, length)).toString('utf8'));
};
globalThis.__ENV = { ...env };
globalThis.open = (file) => readFileSync(path.resolve(runtime.scriptDir, file), 'utf8');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Arrival rate (per second) at `t` ms into a ramping-arrival-rate scenario. */
function rampRate(scenario, t) {
  const unit = durationMs(scenario.timeUnit || '1s');
  let from = scenario.startRate || 0;
  let at = 0;
  for (const stage of scenario.stages) {
    const d = durationMs(stage.duration);
    if (t < at + d) return ((from + ((stage.target - from) * (t - at)) / d) * 1000) / unit;
    at += d;
    from = stage.target;
  }
  return 0;
}

function durationMs(text) {
  let total = 0;
  for (const m of String(text).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2]];
  return total;
}

async function execute(mod, scenario, data) {
  const total = scenario.executor === 'constant-arrival-rate'
    ? durationMs(scenario.duration)
    : scenario.stages.reduce((sum, s) => sum + durationMs(s.duration), 0);
  const rateAt = scenario.executor === 'constant-arrival-rate'
    ? () => (scenario.rate * 1000) / durationMs(scenario.timeUnit || '1s')
    : (t) => rampRate(scenario, t);
  const inFlight = new Set();
  const errors = [];
  let busiest = 0;
  runtime.startTime = Date.now();
  let due = 0; // iterations owed, fractional
  let last = 0;
  for (let t = 0; t < total; t = Date.now() - runtime.startTime) {
    due += (rateAt(t) * (t - last)) / 1000;
    last = t;
    for (; due >= 1; due -= 1) {
      if (inFlight.size >= scenario.maxVUs) {
        addSample('dropped_iterations', 1, {});
        continue;
      }
      const started = Date.now();
      const p = Promise.resolve()
        .then(() => mod.default(data))
        .catch((err) => {
          if (errors.length < 20) errors.push(String(err && err.stack ? err.stack : err));
        })
        .finally(() => {
          addSample('iterations', 1, {});
          addSample('iteration_duration', Date.now() - started, {});
          inFlight.delete(p);
        });
      inFlight.add(p);
      busiest = Math.max(busiest, inFlight.size);
    }
    await sleep(5);
  }
  await Promise.race([Promise.all([...inFlight]), sleep(GRACEFUL_STOP_MS)]);
  return { errors, busiest };
}

async function main() {
  const mod = await import(pathToFileURL(script).href);
  const options = mod.options || {};
  const names = Object.keys(options.scenarios || {});
  if (names.length !== 1) throw new Error(`expected one scenario, got ${names.join(', ')}`);
  runtime.scenarioName = names[0];
  runtime.options = runningOptions || JSON.parse(JSON.stringify(options));
  const scenario = runtime.options.scenarios[names[0]];
  let data = setupData === undefined ? undefined : setupData;
  if (!noSetup && setupData === undefined && typeof mod.setup === 'function') {
    try {
      data = JSON.parse(JSON.stringify(mod.setup()));
    } catch (err) {
      return { exitCode: EXIT_SCRIPT_EXCEPTION, error: `setup: ${err && err.message ? err.message : err}`, thresholds: [], metrics: {}, iterationErrors: [] };
    }
  }
  const { errors: iterationErrors, busiest } = await execute(mod, scenario, data);
  const thresholds = evaluateThresholds(options.thresholds || {}, runtime.samples, Date.now() - runtime.startTime, skipEmptyMetrics === true);
  const failedChecks = {};
  for (const s of runtime.samples) if (s.metric === 'checks' && s.value === 0) failedChecks[s.tags.check] = (failedChecks[s.tags.check] || 0) + 1;
  return {
    exitCode: thresholds.some((t) => !t.ok) ? EXIT_THRESHOLDS_FAILED : 0,
    thresholds,
    metrics: { ...summarize(runtime.samples, options.thresholds || {}), vus: { busiest, preAllocated: scenario.preAllocatedVUs, max: scenario.maxVUs } },
    iterationErrors,
    failedChecks,
    setupData: data === undefined || data === null || !Array.isArray(data.popular) ? null : { popular: data.popular.length, rare: data.rare.length, source: data.source, role: data.role },
  };
}

main().then(
  (result) => parentPort.postMessage({ done: result }),
  (err) => parentPort.postMessage({ done: { exitCode: EXIT_SCRIPT_EXCEPTION, error: String(err && err.stack ? err.stack : err), thresholds: [], metrics: {}, iterationErrors: [] } }),
);
