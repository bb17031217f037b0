import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  PrometheusSd, prometheusCommand, prometheusConfig, repoRulesFile, targetGroups, targetsFileFor, type SdNode,
} from '../cluster/prometheus-sd.js';
import { RULES_FILE } from './dashboard-files.js';

const NODES: SdNode[] = [
  { id: 'sn-2', zone: 'zone-b', role: 'supernode', http: '127.4.0.2:41002' },
  { id: 'leaf-1', zone: 'zone-a', role: 'leaf', http: '127.4.0.3:41003' },
  { id: 'sn-1', zone: 'zone-a', role: 'supernode', http: '127.4.0.1:41001' },
];

interface ScrapeConfig {
  job_name: string;
  honor_labels: boolean;
  metrics_path: string;
  file_sd_configs: { files: string[]; refresh_interval: string }[];
}
interface Config {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'superpeer-sd-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('one target group per node with node, zone and role labels, sorted by ID', () => {
  const groups = targetGroups([...NODES, { id: 'no-http', zone: 'z', role: 'leaf', http: '' }]);
  assert.deepEqual(groups, [
    { targets: ['127.4.0.3:41003'], labels: { node: 'leaf-1', zone: 'zone-a', role: 'leaf' } },
    { targets: ['127.4.0.1:41001'], labels: { node: 'sn-1', zone: 'zone-a', role: 'supernode' } },
    { targets: ['127.4.0.2:41002'], labels: { node: 'sn-2', zone: 'zone-b', role: 'supernode' } },
  ]);
});

test('the config scrapes every 5 s with honor_labels, file_sd beside it and the repo rules by absolute path', () => {
  assert.equal(repoRulesFile(), RULES_FILE);
  assert.equal(targetsFileFor('/x/y/prom.yml'), '/x/y/prom.targets.json');
  const doc = parse(prometheusConfig({ targetsFile: '/x/y/prom.targets.json', rulesFile: RULES_FILE })) as Config;
  assert.equal(doc.global.scrape_interval, '5s');
  assert.equal(doc.global.evaluation_interval, '5s');
  assert.deepEqual(doc.rule_files, [RULES_FILE]);
  assert.equal(doc.scrape_configs.length, 1);
  const job = doc.scrape_configs[0];
  assert.equal(job.honor_labels, true);
  assert.equal(job.metrics_path, '/metrics');
  assert.deepEqual(job.file_sd_configs, [{ files: ['/x/y/prom.targets.json'], refresh_interval: '5s' }]);
  assert.equal(
    prometheusCommand('/x/y/prom.yml', '/tmp/p'),
    'prometheus --config.file=/x/y/prom.yml --storage.tsdb.path=/tmp/p --web.listen-address=127.0.0.1:9090',
  );
});

test('create writes a config promtool accepts (rules included) and an empty targets file', async () => {
  await withDir(async (dir) => {
    const sd = await PrometheusSd.create(path.join(dir, 'sub', 'prometheus.yml'));
    assert.equal(sd.targetsFile, path.join(dir, 'sub', 'prometheus.targets.json'));
    assert.deepEqual(JSON.parse(await readFile(sd.targetsFile, 'utf8')), []);
    await sd.update(NODES);
    const check = spawnSync('promtool', ['check', 'config', sd.configFile], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.match(check.stdout, /SUCCESS: \d+ rules found/);
  });
});

test('updates land in call order, atomically, and an unchanged set is not rewritten', async () => {
  await withDir(async (dir) => {
    const sd = await PrometheusSd.create(path.join(dir, 'p.yml'), { rulesFile: undefined });
    const doc = parse(await readFile(sd.configFile, 'utf8')) as Config;
    assert.deepEqual(doc.rule_files, []);
    const writes = [NODES, NODES.slice(0, 1), NODES.slice(1), []].map((set) => sd.update(set));
    await Promise.all(writes);
    assert.deepEqual(JSON.parse(await readFile(sd.targetsFile, 'utf8')), []);
    await sd.update(NODES.slice(1));
    const groups = JSON.parse(await readFile(sd.targetsFile, 'utf8')) as { labels: { node: string } }[];
    assert.deepEqual(groups.map((g) => g.labels.node), ['leaf-1', 'sn-1']);
    const before = (await readFile(sd.targetsFile)).toString();
    await sd.update([...NODES.slice(1)].reverse());
    assert.equal((await readFile(sd.targetsFile)).toString(), before);
    assert.deepEqual((await readdir(dir)).sort(), ['p.targets.json', 'p.yml'], 'no temporary files left behind');
  });
});

test('a failed write rejects that update only', async () => {
  await withDir(async (dir) => {
    const sd = await PrometheusSd.create(path.join(dir, 'p.yml'));
    await rm(dir, { recursive: true, force: true });
    await assert.rejects(sd.update(NODES), /ENOENT/);
    await sd.flush();
    await mkdir(dir);
    await sd.update(NODES);
    assert.equal((JSON.parse(await readFile(sd.targetsFile, 'utf8')) as unknown[]).length, 3);
  });
});
