// Stand-in for the `k6` module: check() records one `checks` sample per named check.
import { addSample } from './runtime.mjs';

export function check(value, checks, tags) {
  let all = true;
  for (const name of Object.keys(checks)) {
    const ok = Boolean(checks[name](value));
    addSample('checks', ok ? 1 : 0, { ...(tags || {}), check: name });
    all = all && ok;
  }
  return all;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the VU, as k6's sleep does (seconds). */
export function sleep(seconds) {
  Atomics.wait(pause, 0, 0, Math.max(0, Number(seconds) * 1000));
}

export default { check, sleep };
