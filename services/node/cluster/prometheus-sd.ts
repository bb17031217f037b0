// A Prometheus scrape configuration for a local cluster, with file-based
// service discovery: the config names a targets JSON file beside it, and that
// file is rewritten (atomically, by rename) as nodes come, go or change role,
// so a running Prometheus follows the cluster without a restart.
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** Local clusters are short-lived: see changes within seconds. */
export const LOCAL_SCRAPE_INTERVAL_S = 5;

/** The repository's rule file, by absolute path (undefined when not shipped alongside). */
export function repoRulesFile(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // services/node/cluster -> repo root (also dist/services/node/cluster -> dist, then one more).
  for (const up of [['..', '..', '..'], ['..', '..', '..', '..']]) {
    const file = path.resolve(here, ...up, 'deploy', 'prometheus', 'rules.yaml');
    if (existsSync(file)) return file;
  }
  return undefined;
}

export interface SdNode {
  id: string;
  zone: string;
  role: string;
  /** host:port of the node's HTTP server, which serves /metrics. */
  http: string;
}

export interface TargetGroup {
  targets: string[];
  labels: { node: string; zone: string; role: string };
}

/** One file_sd group per node (its own labels), sorted by node ID for stable files. */
export function targetGroups(nodes: Iterable<SdNode>): TargetGroup[] {
  return [...nodes]
    .filter((n) => n.http !== '')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => ({ targets: [n.http], labels: { node: n.id, zone: n.zone, role: n.role } }));
}

/** `prometheus.yml` -> `prometheus.targets.json` in the same directory. */
export function targetsFileFor(configFile: string): string {
  const abs = path.resolve(configFile);
  const base = path.basename(abs, path.extname(abs));
  return path.join(path.dirname(abs), `${base}.targets.json`);
}

export interface ConfigOptions {
  targetsFile: string;
  /** Absolute path of a rule file; omitted from the config when undefined. */
  rulesFile?: string;
  scrapeIntervalS?: number;
}

export function prometheusConfig(o: ConfigOptions): string {
  const interval = `${o.scrapeIntervalS ?? LOCAL_SCRAPE_INTERVAL_S}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: o.rulesFile ? [path.resolve(o.rulesFile)] : [],
    scrape_configs: [
      {
        job_name: 'superpeer',
        // Nodes label their own series with node and zone; keep them as they are.
        honor_labels: true,
        metrics_path: '/metrics',
        file_sd_configs: [{ files: [path.resolve(o.targetsFile)], refresh_interval: interval }],
      },
    ],
  };
  return `# Written by \`superpeer cluster up --prometheus-config\`; targets follow the cluster.\n${stringify(config)}`;
}

/** The command line that runs Debian's prometheus on this config. */
export function prometheusCommand(configFile: string, storageDir: string, listen = '127.0.0.1:9090'): string {
  return `prometheus --config.file=${path.resolve(configFile)} --storage.tsdb.path=${storageDir} --web.listen-address=${listen}`;
}

let tmpCounter = 0;

/** Write then rename, so a reader (Prometheus) never sees a half-written file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Owns one config file and its targets file; updates are written in call order. */
export class PrometheusSd {
  readonly targetsFile: string;
  private chain: Promise<void> = Promise.resolve();
  private last = '';

  private constructor(readonly configFile: string) {
    this.targetsFile = targetsFileFor(configFile);
  }

  /** Writes the config (and an empty targets file) and returns the writer. */
  static async create(configFile: string, options: { rulesFile?: string; scrapeIntervalS?: number } = {}): Promise<PrometheusSd> {
    const sd = new PrometheusSd(path.resolve(configFile));
    await mkdir(path.dirname(sd.configFile), { recursive: true });
    const rulesFile = 'rulesFile' in options ? options.rulesFile : repoRulesFile();
    await writeFileAtomic(sd.targetsFile, '[]\n');
    await writeFileAtomic(sd.configFile, prometheusConfig({ targetsFile: sd.targetsFile, rulesFile, scrapeIntervalS: options.scrapeIntervalS }));
    return sd;
  }

  /** Rewrites the targets file if the node set (or a label) changed. */
  update(nodes: Iterable<SdNode>): Promise<void> {
    const text = `${JSON.stringify(targetGroups(nodes), null, 2)}\n`;
    const next = this.chain.then(async () => {
      if (text === this.last) return;
      await writeFileAtomic(this.targetsFile, text);
      this.last = text;
    });
    // A failed write must not block later ones; the caller sees its own failure.
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every update so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }
}
