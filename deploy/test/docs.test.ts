// docs/kubernetes.md documents every value of the chart (each `# --` comment
// of values.yaml), and names every ci/ scenario it relies on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR, REPO_ROOT } from './support.js';

/** Dotted paths of the values that carry a `# --` description. */
function documentedValues(yamlText: string): string[] {
  const paths: string[] = [];
  let stack: string[] = [];
  let described = false;
  for (const line of yamlText.split('\n')) {
    if (/^\s*# -- /.test(line)) { described = true; continue; }
    const key = /^(\s*)([A-Za-z0-9_]+):/.exec(line);
    if (!key) continue;
    stack = [...stack.slice(0, key[1].length / 2), key[2]];
    if (described) paths.push(stack.join('.'));
    described = false;
  }
  return paths;
}

describe('docs/kubernetes.md', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'kubernetes.md'), 'utf8');
  const values = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8');

  it('has a row for every value of values.yaml', () => {
    const paths = documentedValues(values);
    assert.ok(paths.length > 80, `only ${paths.length} described values`);
    const missing = paths.filter((p) => !doc.includes(`| \`${p}\` |`));
    assert.deepEqual(missing, []);
  });

  it('every leaf value of values.yaml has a description', () => {
    // A key is described itself or sits under a described key (e.g. resources.requests).
    const described = documentedValues(values);
    let stack: string[] = [];
    const lines = values.split('\n');
    for (const [i, line] of lines.entries()) {
      const key = /^(\s*)([A-Za-z0-9_]+):\s*(\S.*)?$/.exec(line);
      if (!key) continue;
      stack = [...stack.slice(0, key[1].length / 2), key[2]];
      const isLeaf = key[3] !== undefined && !key[3].startsWith('#');
      if (!isLeaf) continue;
      const path = stack.join('.');
      assert.ok(described.some((d) => path === d || path.startsWith(`${d}.`)), `values.yaml:${i + 1} ${path} has no "# --" description`);
    }
  });

  it('names the files it tells people to use', () => {
    for (const file of ['ci/three-zones-values.yaml', 'overlays/three-zones', 'overlays/no-monitoring', 'testrun-example.yaml', 'make k8s-sync']) {
      assert.ok(doc.includes(file), file);
    }
  });
});
