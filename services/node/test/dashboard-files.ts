// Reads the Grafana dashboards and the Prometheus rule file the way the tests
// need them: every PromQL expression, with Grafana's variables substituted.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DASHBOARD_DIR = join(ROOT, 'deploy', 'grafana', 'dashboards');
export const RULES_FILE = join(ROOT, 'deploy', 'prometheus', 'rules.yaml');

export interface DashboardJson {
  uid: string;
  title: string;
  templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
  panels: { title: string; type: string; datasource?: { uid?: string }; targets?: { expr: string; datasource?: { uid?: string } }[] }[];
}

export interface DashboardFile { file: string; text: string; json: DashboardJson }

export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const text = readFileSync(join(DASHBOARD_DIR, file), 'utf8');
    return { file, text, json: JSON.parse(text) as DashboardJson };
  });
}

export interface PanelExpr { dashboard: string; panel: string; expr: string }

export function panelExprs(dashboards: DashboardFile[]): PanelExpr[] {
  return dashboards.flatMap((d) => d.json.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ dashboard: d.json.uid, panel: p.title, expr: t.expr }))));
}

/** label_values(metric{sel}, label) as the equivalent PromQL, for the template variables. */
export function variableExprs(dashboards: DashboardFile[]): PanelExpr[] {
  return dashboards.flatMap((d) => d.json.templating.list.filter((v) => v.type === 'query').map((v) => {
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition ?? '');
    if (!m) throw new Error(`${d.file}: variable ${v.name} is not a label_values query`);
    return { dashboard: d.json.uid, panel: `variable ${v.name}`, expr: `group by (${m[2]}) (${m[1]})` };
  }));
}

/** The release a dashboard shows: values of its cluster, namespace and job variables. */
export interface ReleaseSelection { cluster?: string; namespace?: string; job?: string }

/**
 * Grafana variables replaced as the "All" selection and a 1m rate window
 * would; the release variables by `release` (default: any release).
 */
export function substitute(expr: string, release: ReleaseSelection = {}): string {
  let out = expr;
  for (const name of ['cluster', 'namespace', 'job'] as const) {
    const value = release[name] ?? '.*';
    out = out.replaceAll(`\${${name}}`, value).replaceAll(`$${name}`, value);
  }
  return out
    .replaceAll('${node}', '.*').replaceAll('$node', '.*')
    .replaceAll('${zone}', '.*').replaceAll('$zone', '.*')
    .replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1m').replaceAll('$__range', '5m');
}

export interface Rule { record?: string; alert?: string; expr: string; annotations?: Record<string, string> }
interface RuleFile { groups: { name: string; rules: Rule[] }[] }

export function loadRules(): Rule[] {
  const doc = parse(readFileSync(RULES_FILE, 'utf8')) as RuleFile;
  return doc.groups.flatMap((g) => g.rules);
}

/** Metric and recording-rule names an expression refers to. */
export function referencedNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...new Set(withoutStrings.match(/\bsuperpeer[_:][a-zA-Z0-9_:]*/g) ?? [])];
}
