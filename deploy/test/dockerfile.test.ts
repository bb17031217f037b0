// deploy/Dockerfile, read as text (no Docker daemon here): multi-stage,
// production dependencies only at runtime, compiled JS, non-root, the node as
// PID 1 with the CLI entry point the chart uses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
const lines = dockerfile.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const stages = new Map<string, string[]>();
let current = '';
for (const l of lines) {
  const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(l);
  if (from) { current = from[1]; stages.set(current, []); continue; }
  if (current) stages.get(current)!.push(l);
}

describe('deploy/Dockerfile', () => {
  it('builds with npm ci and tsc, and installs production dependencies only for runtime', () => {
    assert.deepEqual([...stages.keys()], ['build', 'deps', 'runtime']);
    assert.ok(stages.get('build')!.some((l) => /npm ci\b/.test(l) && !l.includes('--omit=dev')));
    // The build stage compiles with the package's own build script (tsc, the same as `make build`).
    assert.ok(stages.get('build')!.some((l) => l.includes('npm run build')));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.build, /\btsc -p tsconfig\.build\.json\b/);
    assert.ok(stages.get('deps')!.some((l) => l.includes('npm ci --omit=dev')));
    const runtime = stages.get('runtime')!;
    assert.ok(runtime.includes('COPY --from=deps /app/node_modules ./node_modules'));
    assert.ok(runtime.includes('COPY --from=build /src/dist ./dist'));
    assert.ok(!runtime.some((l) => /COPY\s+(services|\.)\s/.test(l)), 'runtime must not copy TypeScript sources');
  });

  it('ships the protos where services/node/proto.ts looks for them from dist/', () => {
    const protoModule = readFileSync(join(REPO_ROOT, 'services', 'node', 'proto.ts'), 'utf8');
    assert.match(protoModule, /new URL\('\.\.\/\.\.\/proto', import\.meta\.url\)/);
    assert.ok(stages.get('runtime')!.includes('COPY proto ./dist/proto'));
  });

  it('runs as a non-root numeric user, the chart\'s uid, with node as PID 1', () => {
    const runtime = stages.get('runtime')!;
    assert.ok(runtime.includes('USER 10001:10001'));
    const values = readFileSync(join(REPO_ROOT, 'deploy', 'helm', 'superpeer', 'values.yaml'), 'utf8');
    assert.match(values, /runAsUser: 10001/);
    assert.ok(runtime.includes('ENTRYPOINT ["node", "/app/dist/services/cli/main.js"]'));
    assert.ok(runtime.includes('CMD ["node"]'));
    assert.ok(!/tini|dumb-init/.test(dockerfile.replace(/^#.*$/gm, '')));
  });

  it('keeps local state out of the build context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['.git', 'node_modules', 'dist']) assert.ok(ignore.includes(p), p);
    for (const p of ['package.json', 'package-lock.json', 'tsconfig.json', 'proto', 'services']) assert.ok(!ignore.includes(p), p);
  });
});
