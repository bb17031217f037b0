// Stand-in for `k6/execution`: the scenario's start and the options k6 runs.
import { runtime } from './runtime.mjs';

export default {
  get scenario() {
    return { name: runtime.scenarioName, startTime: runtime.startTime };
  },
  get test() {
    return { options: runtime.options };
  },
};
