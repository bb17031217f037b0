// One k6 version, everywhere it is named: the minimum the scripts are written
// for (README, loadtest/README.md, docs) is the image the Job and the
// k6-operator example run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The first k6 whose k6/net/grpc has Stream; the scripts parse at ES2017 for its Babel. */
const K6_VERSION = '0.49.0';
const FILES = ['README.md', 'loadtest/README.md', 'docs/kubernetes.md', 'loadtest/k8s/job.yaml', 'loadtest/k8s/testrun-example.yaml'];

/** Every k6 version a text names: `grafana/k6:X`, `k6 vX`, `k6:X`. */
function versionsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/grafana\/k6:([\w.-]+)/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bk6 v(\d+\.\d+(?:\.\d+)?)/g)) out.push(m[1]);
  return out;
}

test(`every k6 version named in the docs and manifests is ${K6_VERSION}`, () => {
  const seen = new Map<string, string[]>();
  for (const file of FILES) seen.set(file, versionsIn(readFileSync(join(REPO_DIR, file), 'utf8')));
  for (const [file, versions] of seen) {
    for (const v of versions) assert.equal(v, K6_VERSION, `${file} names k6 ${v}`);
  }
  assert.ok(seen.get('README.md')!.includes(K6_VERSION), 'README.md states the minimum');
  assert.ok(seen.get('loadtest/README.md')!.includes(K6_VERSION), 'loadtest/README.md states the minimum');
  assert.ok(seen.get('loadtest/k8s/job.yaml')!.includes(K6_VERSION), 'the Job pins the image');
  assert.ok(seen.get('loadtest/k8s/testrun-example.yaml')!.includes(K6_VERSION), 'the TestRun runner pins the image');
});

test('versionsIn finds the forms the docs use', () => {
  assert.deepEqual(versionsIn('image: grafana/k6:1.3.0 and k6 v0.49 or k6 v0.54.0'), ['1.3.0', '0.49', '0.54.0']);
});
