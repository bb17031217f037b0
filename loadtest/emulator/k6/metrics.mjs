// Stand-in for `k6/metrics`: custom metrics record samples with their tags.
import { addSample, defineMetric } from './runtime.mjs';

class Metric {
  constructor(name, type) {
    defineMetric(name, type);
    this.name = name;
  }

  add(value, tags) {
    // As k6: a value that is not a number (undefined from a missing field) is an error in the script.
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`'${value}' is an invalid value for metric '${this.name}'`);
    addSample(this.name, value, tags);
  }
}

export class Counter extends Metric {
  constructor(name) {
    super(name, 'counter');
  }
}

export class Gauge extends Metric {
  constructor(name) {
    super(name, 'gauge');
  }
}

export class Trend extends Metric {
  constructor(name) {
    super(name, 'trend');
  }
}

export class Rate extends Metric {
  constructor(name) {
    super(name, 'rate');
  }

  add(value, tags) {
    addSample(this.name, value ? 1 : 0, tags);
  }
}

export default { Counter, Gauge, Trend, Rate };
