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

export function sleep() {
  throw new Error('sleep() is not emulated: the scenarios use open-loop executors');
}

export default { check, sleep };
