// Module resolve hook: `k6` and `k6/...` imports of the scenarios resolve to
// the stand-ins in ./k6/, so the scripts run unchanged under Node.
const STUBS = new Set(['k6', 'k6/net/grpc', 'k6/metrics', 'k6/execution', 'k6/http']);

export async function resolve(specifier, context, next) {
  if (STUBS.has(specifier)) {
    const file = specifier === 'k6' ? 'k6.mjs' : `${specifier.slice(3).replace('/', '-')}.mjs`;
    return { url: new URL(`./k6/${file}`, import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
