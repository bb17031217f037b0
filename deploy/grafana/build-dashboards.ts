// The source of deploy/grafana/dashboards/*.json. Dashboards are data, but six
// hand-written JSON files drift apart; building them here keeps the variables,
// datasource and layout identical. Regenerate with:
//   node --import tsx deploy/grafana/build-dashboards.ts
// services/node/test/dashboards.test.ts fails when the JSON is stale.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DS = { type: 'prometheus', uid: '${datasource}' };
/**
 * The release: a dashboard shows one (cluster, namespace, job) at a time, so
 * two releases scraped by one Prometheus never mix. `cluster` is empty (and
 * matches series without the label) where Prometheus adds no such label.
 */
const RELEASE_LABELS = 'cluster, namespace, job';
const REL = 'cluster=~"$cluster", namespace=~"$namespace", job=~"$job"';
/** Release, node and zone filter of every per-node series. */
const S = `${REL}, node=~"$node", zone=~"$zone"`;
const RI = '$__rate_interval';
const SUPERNODE = `(superpeer_role{${REL}, role="supernode"} == 1)`;
/** A recording rule's series of the selected release. */
const rule = (name: string, extra = ''): string => `${name}{${REL}${extra}}`;

interface Target { expr: string; legend?: string; instant?: boolean; format?: 'time_series' | 'heatmap' }
interface PanelSpec {
  title: string;
  description: string;
  type?: 'timeseries' | 'stat' | 'bargauge';
  unit?: string;
  targets: Target[];
}

const ts = (title: string, description: string, unit: string, ...targets: Target[]): PanelSpec =>
  ({ title, description, unit, targets, type: 'timeseries' });
const stat = (title: string, description: string, unit: string, expr: string): PanelSpec =>
  ({ title, description, unit, targets: [{ expr }], type: 'stat' });
const quantiles = (metric: string): Target[] => [0.5, 0.95, 0.99].map((q) => ({
  expr: `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket{${S}}[${RI}])))`,
  legend: `p${q * 100}`,
}));
const supernodeLoad = (x: string): string => `(${x} and on(${RELEASE_LABELS}, node) ${SUPERNODE})`;
const cv = (x: string): string => `stddev(${supernodeLoad(x)}) / avg(${supernodeLoad(x)})`;
const jain = (x: string): string =>
  `sum(${supernodeLoad(x)}) ^ 2 / (count(${supernodeLoad(x)}) * sum(${supernodeLoad(x)} ^ 2))`;
const searchRate = (filter = ''): string => `sum(rate(superpeer_searches_total{${S}${filter}}[${RI}]))`;
const leavesZ = `superpeer_leaves{${REL}, zone=~"$zone"}`;
const queriesZ = `rate(superpeer_queries_handled_total{${REL}, zone=~"$zone"}[${RI}])`;
/** Leaves with at least one uplink, each counted once however many uplinks it holds. */
const leavesAttached = `count(sum by (node) (superpeer_uplinks{${S}}) > 0) or vector(0)`;
const GRPC = 'superpeer_grpc_server';
const grpcRate = (metric: string, filter = '', by = ''): string =>
  `sum${by ? ` by (${by})` : ''} (rate(${GRPC}_${metric}{${S}${filter}}[${RI}]))`;
/** Calls with a status other than OK, as a share of all calls: 0 where none failed, absent where none finished. */
const grpcErrorRatio = (by = ''): string =>
  `(${grpcRate('handled_total', ', grpc_code!="OK"', by)} or 0 * ${grpcRate('handled_total', '', by)}) / (${grpcRate('handled_total', '', by)} > 0)`;
/** Calls that return (unary and server-streaming); Link and Attach streams live for hours. */
const FINITE_CALLS = ', grpc_type=~"unary|server_stream"';
const grpcQuantile = (q: number, by: string): string =>
  `histogram_quantile(${q}, sum by (${by}le) (rate(${GRPC}_handling_seconds_bucket{${S}${FINITE_CALLS}}[${RI}])))`;
/** Streams started and not yet finished (per process: counters restart with it). */
const openStreams = (by = ''): string => {
  const b = by ? ` by (${by})` : '';
  const started = `sum${b} (${GRPC}_started_total{${S}, grpc_type!="unary"})`;
  return `${started} - (sum${b} (${GRPC}_handled_total{${S}, grpc_type!="unary"}) or 0 * ${started})`;
};

const SPECS: Record<string, { title: string; description: string; panels: PanelSpec[] }> = {
  overview: {
    title: 'Overview',
    description: 'Search traffic, success and latency; supernodes and leaves over time.',
    panels: [
      stat('Searches/s', 'Searches started per second by the selected nodes.', 'reqps', searchRate()),
      stat('Search success', 'Share of searches that found at least one result.', 'percentunit',
        `${searchRate(', outcome="hit"')} / ${searchRate()}`),
      stat('Supernodes', 'Nodes whose role is supernode.', 'short', `sum(superpeer_role{${S}, role="supernode"})`),
      stat('Leaves', 'Nodes whose role is leaf.', 'short', `sum(superpeer_role{${S}, role="leaf"})`),
      stat('Leaves attached', 'Leaves with at least one uplink, each counted once.', 'short', leavesAttached),
      ts('Searches/s by outcome', 'hit: at least one result; miss: none; error: the search failed.', 'reqps',
        { expr: `sum by (outcome) (rate(superpeer_searches_total{${S}}[${RI}]))`, legend: '{{outcome}}' }),
      ts('Search success ratio', 'Share of searches with a hit, against the 0.95 objective of the alert.', 'percentunit',
        { expr: `${searchRate(', outcome="hit"')} / ${searchRate()}`, legend: 'success' },
        { expr: 'vector(0.95)', legend: 'objective' }),
      ts('Time to first hit', 'Quantiles of the time from search start to its first result.', 's',
        ...quantiles('superpeer_search_first_hit_seconds')),
      ts('Time to completion', 'Quantiles of the time from search start to its end.', 's',
        ...quantiles('superpeer_search_duration_seconds')),
      ts('Supernodes and leaves', 'Nodes by role, and leaves attached to supernodes.', 'short',
        { expr: `sum(superpeer_role{${S}, role="supernode"})`, legend: 'supernodes' },
        { expr: `sum(superpeer_role{${S}, role="leaf"})`, legend: 'leaves' },
        { expr: leavesAttached, legend: 'leaves attached' },
        { expr: `sum(superpeer_leaves{${S}})`, legend: 'leaf attachments (one per uplink)' }),
      ts('Refusals/s by reason', 'Work refused by a rate limit or cap: descriptors over a stream\'s rate, searches over a client\'s rate or the concurrency cap, streams over the pending-hello or capacity caps, full outgoing queues, malformed or slow HTTP requests.', 'ops',
        { expr: `sum by (reason) (rate(superpeer_refusals_total{${S}}[${RI}]))`, legend: '{{reason}}' }),
      ts('Resident memory per node', 'Process resident memory of each node.', 'bytes',
        { expr: `superpeer_process_resident_memory_bytes{${S}}`, legend: '{{node}}' }),
    ],
  },
  search: {
    title: 'Search',
    description: 'Hops of hits, messages per query, duplicates and TTL expiries.',
    panels: [
      { title: 'Hits by hop count', description: 'Hits found at each hop count over the selected time range.', type: 'bargauge', unit: 'short',
        targets: [{ expr: `sum by (le) (increase(superpeer_search_hops_bucket{${S}}[$__range]))`, legend: '{{le}}', instant: true, format: 'heatmap' }] },
      ts('Hops of hits', 'Mean and 90th percentile of the hops at which hits were found.', 'short',
        { expr: `sum(rate(superpeer_search_hops_sum{${S}}[${RI}])) / sum(rate(superpeer_search_hops_count{${S}}[${RI}]))`, legend: 'mean' },
        { expr: `histogram_quantile(0.9, sum by (le) (rate(superpeer_search_hops_bucket{${S}}[${RI}])))`, legend: 'p90' }),
      ts('Messages per query', 'Query descriptors sent in the overlay per search started.', 'short',
        { expr: `sum(rate(superpeer_descriptors_sent_total{${S}, type="query"}[${RI}])) / ${searchRate()}`, legend: 'selected nodes' },
        { expr: rule('superpeer:messages_per_query:ratio'), legend: 'overlay (5m)' }),
      ts('Duplicate ratio', 'Share of received queries dropped as duplicates (already seen descriptor ID).', 'percentunit',
        { expr: `sum(rate(superpeer_descriptors_total{${S}, type="query", fate="duplicate"}[${RI}])) / sum(rate(superpeer_descriptors_total{${S}, type="query", fate="received"}[${RI}]))`, legend: 'duplicates' }),
      ts('TTL expiries/s', 'Descriptors dropped because their TTL ran out, by type.', 'ops',
        { expr: `sum by (type) (rate(superpeer_descriptors_total{${S}, fate="ttl_expired"}[${RI}]))`, legend: '{{type}}' }),
      ts('Descriptors/s by fate', 'What became of received descriptors.', 'ops',
        { expr: `sum by (fate) (rate(superpeer_descriptors_total{${S}}[${RI}]))`, legend: '{{fate}}' }),
      ts('Descriptors sent/s by type', 'Descriptors originated, forwarded or routed.', 'ops',
        { expr: `sum by (type) (rate(superpeer_descriptors_sent_total{${S}}[${RI}]))`, legend: '{{type}}' }),
      ts('Invalid, rate-limited and unroutable/s', 'Descriptors rejected as invalid, dropped over a stream\'s rate limit, and replies with no route back.', 'ops',
        { expr: `sum by (type, fate) (rate(superpeer_descriptors_total{${S}, fate=~"invalid|rate_limited|unroutable"}[${RI}]))`, legend: '{{type}} {{fate}}' }),
    ],
  },
  'load-balance': {
    title: 'Load balance',
    description: 'Leaves and queries per supernode; coefficient of variation and Jain\'s fairness index across supernodes.',
    panels: [
      stat('CV of leaves', 'Coefficient of variation (stddev / mean) of leaves per supernode; 0 is perfectly even.', 'short', cv(leavesZ)),
      stat('Jain of leaves', 'Jain\'s fairness index of leaves per supernode; 1 is perfectly even, 1/n is one supernode with all.', 'short', jain(leavesZ)),
      stat('CV of queries', 'Coefficient of variation of queries handled per second per supernode.', 'short', cv(queriesZ)),
      stat('Jain of queries', 'Jain\'s fairness index of queries handled per second per supernode.', 'short', jain(queriesZ)),
      ts('Leaves per supernode', 'Leaves attached to each supernode, and the leaf capacity.', 'short',
        { expr: supernodeLoad(`superpeer_leaves{${S}}`), legend: '{{node}}' },
        { expr: `max(${supernodeLoad(`superpeer_leaf_capacity{${S}}`)})`, legend: 'capacity' }),
      ts('Queries handled/s per supernode', 'New queries processed by each supernode.', 'ops',
        { expr: supernodeLoad(`rate(superpeer_queries_handled_total{${S}}[${RI}])`), legend: '{{node}}' }),
      ts('Leaves: CV and Jain', 'Recorded load-balance measures of leaves over all supernodes.', 'short',
        { expr: rule('superpeer:leaves_per_supernode:cv'), legend: 'CV' },
        { expr: rule('superpeer:leaves_per_supernode:jain'), legend: 'Jain' }),
      ts('Queries: CV and Jain', 'Recorded load-balance measures of queries handled (5m rate) over all supernodes.', 'short',
        { expr: rule('superpeer:queries_per_supernode:cv'), legend: 'CV' },
        { expr: rule('superpeer:queries_per_supernode:jain'), legend: 'Jain' }),
      ts('Index files per supernode', 'Files indexed from each supernode\'s leaves.', 'short',
        { expr: supernodeLoad(`superpeer_index_files{${S}}`), legend: '{{node}}' }),
      ts('Links per supernode', 'Supernode neighbours of each supernode.', 'short',
        { expr: supernodeLoad(`superpeer_links{${S}}`), legend: '{{node}}' }),
    ],
  },
  locality: {
    title: 'Locality',
    description: 'Same-zone share of leaf uplinks and of search hits, per zone.',
    panels: [
      stat('Same-zone uplinks', 'Share of leaf uplinks that go to a supernode in the leaf\'s zone.', 'percentunit',
        `sum(superpeer_uplinks{${S}, locality="same_zone"}) / sum(superpeer_uplinks{${S}})`),
      stat('Same-zone hits', 'Share of hits that came from the searcher\'s zone.', 'percentunit',
        `sum(rate(superpeer_hits_total{${S}, locality="same_zone"}[${RI}])) / sum(rate(superpeer_hits_total{${S}}[${RI}]))`),
      ts('Same-zone share of uplinks per zone', 'Recorded ratio per zone.', 'percentunit',
        { expr: rule('superpeer:uplinks_same_zone:ratio', ', zone=~"$zone"'), legend: '{{zone}}' }),
      ts('Same-zone share of hits per zone', 'Recorded ratio per zone (5m rate).', 'percentunit',
        { expr: rule('superpeer:hits_same_zone:ratio', ', zone=~"$zone"'), legend: '{{zone}}' }),
      ts('Uplinks by locality per zone', 'Leaf uplinks, same zone or cross zone.', 'short',
        { expr: `sum by (zone, locality) (superpeer_uplinks{${S}})`, legend: '{{zone}} {{locality}}' }),
      ts('Hits/s by locality per zone', 'Hits received by searchers, by the responder\'s locality.', 'ops',
        { expr: `sum by (zone, locality) (rate(superpeer_hits_total{${S}}[${RI}]))`, legend: '{{zone}} {{locality}}' }),
      ts('Nodes per zone and role', 'Where the supernodes and leaves are.', 'short',
        { expr: `count by (zone, role) (superpeer_role{${S}} == 1)`, legend: '{{zone}} {{role}}' }),
    ],
  },
  'election-churn': {
    title: 'Election and churn',
    description: 'Roles, participation scores, promotions and demotions, re-homes and registry health.',
    panels: [
      stat('Role changes', 'Promotions and demotions over the selected range.', 'short',
        `sum(increase(superpeer_role_changes_total{${S}}[$__range]))`),
      stat('Re-homes', 'Leaves that moved to another supernode over the selected range.', 'short',
        `sum(increase(superpeer_rehomes_total{${S}}[$__range]))`),
      stat('Registry up', 'Nodes whose last registry call succeeded, out of all.', 'percentunit',
        `avg(superpeer_registry_up{${S}})`),
      ts('Roles', 'Nodes per role.', 'short',
        { expr: `count by (role) (superpeer_role{${S}} == 1)`, legend: '{{role}}' }),
      ts('Supernode per node', '1 while the node is a supernode.', 'short',
        { expr: `superpeer_role{${S}, role="supernode"}`, legend: '{{node}}' }),
      ts('Participation score per node', 'The score the election ranks candidates by.', 'short',
        { expr: `superpeer_participation_score{${S}}`, legend: '{{node}}' }),
      ts('Promotions and demotions', 'Role changes per interval.', 'short',
        { expr: `sum by (direction) (increase(superpeer_role_changes_total{${S}}[${RI}]))`, legend: '{{direction}}' }),
      ts('Re-homes per interval', 'Leaves that moved to another supernode (uplink lost or rebalanced).', 'short',
        { expr: `sum(increase(superpeer_rehomes_total{${S}}[${RI}]))`, legend: 're-homes' }),
      ts('Registry errors/s by operation', 'Failed registry calls.', 'ops',
        { expr: `sum by (op) (rate(superpeer_registry_errors_total{${S}}[${RI}]))`, legend: '{{op}}' }),
    ],
  },
  grpc: {
    title: 'gRPC server',
    description: 'Requests, errors by status code and handling time of every gRPC method the nodes serve (RED).',
    panels: [
      stat('Requests/s', 'gRPC calls finished per second by the selected nodes.', 'reqps', grpcRate('handled_total')),
      stat('Error ratio', 'Share of calls that ended with a status other than OK.', 'percentunit', grpcErrorRatio()),
      stat('p99 handling time', 'Unary and server-streaming calls (Search streams until its deadline or enough results).', 's', grpcQuantile(0.99, '')),
      stat('Open streams', 'Streaming calls started and not finished (Link, Attach, Search).', 'short', openStreams()),
      ts('Requests/s by method', 'Calls started per second, by service method.', 'reqps',
        { expr: grpcRate('started_total', '', 'grpc_service, grpc_method'), legend: '{{grpc_service}}/{{grpc_method}}' }),
      ts('Errors/s by method and code', 'Calls that ended with a status other than OK.', 'reqps',
        { expr: grpcRate('handled_total', ', grpc_code!="OK"', 'grpc_method, grpc_code'), legend: '{{grpc_method}} {{grpc_code}}' }),
      ts('Error ratio by method', 'Share of each method\'s calls that did not end OK.', 'percentunit',
        { expr: grpcErrorRatio('grpc_method'), legend: '{{grpc_method}}' }),
      ts('Handling time by method', 'p50 and p99 from call start to status, for unary and server-streaming methods with calls in the window.', 's',
        ...[0.5, 0.99].map((q) => ({
          expr: `${grpcQuantile(q, 'grpc_method, ')} and on(grpc_method) (${grpcRate('handling_seconds_count', FINITE_CALLS, 'grpc_method')} > 0)`,
          legend: `{{grpc_method}} p${q * 100}`,
        }))),
      ts('Calls/s by status code', 'Every finished call by status, OK included.', 'reqps',
        { expr: grpcRate('handled_total', '', 'grpc_code'), legend: '{{grpc_code}}' }),
      ts('Open streams by method', 'Link (supernode neighbours), Attach (leaf uplinks) and Search streams in progress.', 'short',
        { expr: openStreams('grpc_method'), legend: '{{grpc_method}}' }),
      ts('Requests/s per node', 'Where the calls land.', 'reqps',
        { expr: grpcRate('handled_total', '', 'node'), legend: '{{node}}' }),
    ],
  },
  transfers: {
    title: 'Transfers',
    description: 'Bytes transferred, upload slots and choking.',
    panels: [
      stat('Upload slots in use', 'Share of all upload slots serving a transfer now.', 'percentunit',
        `sum(superpeer_upload_slots_in_use{${S}}) / sum(superpeer_upload_slots{${S}})`),
      stat('Choked/s', 'Upload requests refused by the choker per second.', 'reqps',
        `sum(rate(superpeer_uploads_choked_total{${S}}[${RI}]))`),
      ts('Bytes/s by direction', 'File bytes uploaded and downloaded by the selected nodes.', 'Bps',
        { expr: `sum by (direction) (rate(superpeer_transfer_bytes_total{${S}}[${RI}]))`, legend: '{{direction}}' }),
      ts('Upload bytes/s per node', 'Who serves the files.', 'Bps',
        { expr: `sum by (node) (rate(superpeer_transfer_bytes_total{${S}, direction="upload"}[${RI}]))`, legend: '{{node}}' }),
      ts('Upload slots per node', 'Slots in use against slots configured.', 'short',
        { expr: `superpeer_upload_slots_in_use{${S}}`, legend: '{{node}} in use' },
        { expr: `superpeer_upload_slots{${S}}`, legend: '{{node}} slots' }),
      ts('Choked requests/s per node', 'Requests answered 503 with Retry-After because every slot was busy.', 'reqps',
        { expr: `sum by (node) (rate(superpeer_uploads_choked_total{${S}}[${RI}]))`, legend: '{{node}}' }),
    ],
  },
};

/** A filter variable: multi-select with "All", or one value at a time (the release). */
function variable(name: string, label: string, query: string, multi = true): Record<string, unknown> {
  return {
    name, label, type: 'query', datasource: DS,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query, refresh: 2, sort: 1, hide: 0, regex: '',
    ...(multi
      ? { includeAll: true, multi: true, allValue: '.*', current: { selected: true, text: ['All'], value: ['$__all'] } }
      : { includeAll: false, multi: false, current: {} }),
  };
}

function panel(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }): Record<string, unknown> {
  const type = spec.type ?? 'timeseries';
  const options = type === 'timeseries'
    ? { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } }
    : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'auto',
      ...(type === 'stat' ? { colorMode: 'value', graphMode: 'area', justifyMode: 'auto', textMode: 'auto' } : { displayMode: 'gradient', showUnfilled: true }) };
  return {
    id, type, title: spec.title, description: spec.description, datasource: DS, gridPos,
    fieldConfig: { defaults: { unit: spec.unit ?? 'short' }, overrides: [] },
    options,
    targets: spec.targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i), datasource: DS, expr: t.expr,
      legendFormat: t.legend ?? '__auto', range: !t.instant, instant: t.instant ?? false,
      ...(t.format ? { format: t.format } : {}),
    })),
  };
}

/** Stats four to a row at the top, then other panels two to a row. */
function layout(specs: PanelSpec[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, i) => {
    const small = spec.type === 'stat';
    const w = small ? 6 : 12;
    const h = small ? 4 : 8;
    if (x + w > 24 || (i > 0 && !small && specs[i - 1].type === 'stat')) { x = 0; y += rowHeight; rowHeight = 0; }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panel(spec, i + 1, gridPos);
  });
}

export function buildDashboards(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(SPECS)) {
    out[name] = {
      uid: `superpeer-${name}`,
      title: `superpeer / ${spec.title}`,
      description: spec.description,
      tags: ['superpeer'],
      editable: true,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      refresh: '30s',
      time: { from: 'now-1h', to: 'now' },
      timezone: 'browser',
      annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true,
        iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
      links: [{ title: 'superpeer', type: 'dashboards', tags: ['superpeer'], asDropdown: true, includeVars: true, keepTime: true }],
      templating: {
        list: [
          { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', regex: '', hide: 0,
            current: { selected: false, text: 'Prometheus', value: 'prometheus' }, refresh: 1 },
          variable('cluster', 'Cluster', 'label_values(superpeer_role, cluster)', false),
          variable('namespace', 'Namespace', 'label_values(superpeer_role{cluster=~"$cluster"}, namespace)', false),
          variable('job', 'Job (release)', 'label_values(superpeer_role{cluster=~"$cluster", namespace=~"$namespace"}, job)', false),
          variable('zone', 'Zone', `label_values(superpeer_role{${REL}}, zone)`),
          variable('node', 'Node', `label_values(superpeer_role{${REL}, zone=~"$zone"}, node)`),
        ],
      },
      panels: layout(spec.panels),
    };
  }
  return out;
}

export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');

export function renderDashboard(dashboard: Record<string, unknown>): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, dashboard] of Object.entries(buildDashboards())) {
    writeFileSync(join(DASHBOARD_DIR, `${name}.json`), renderDashboard(dashboard));
  }
}
