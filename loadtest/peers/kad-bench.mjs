// js-libp2p Kademlia DHT on this machine, for the side-by-side with superpeer's
// Locate: N libp2p nodes in one process on 127.0.0.1 over TCP (noise, yamux),
// K content keys provided, then L lookups (findProviders) from random nodes.
// Prints one JSON line: time to the first provider p50/p95/p99 and messages
// per lookup (kad RPCs the lookup sent, and the responses it got).
//   node kad-bench.mjs --nodes 50 --keys 1000 --lookups 300 --seed 1
import './node20.mjs'
import { createHash } from 'node:crypto'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, removePublicAddressesMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const NODES = Number(args.nodes ?? 50)
const KEYS = Number(args.keys ?? 1000)
const LOOKUPS = Number(args.lookups ?? 300)
const SEED = Number(args.seed ?? 1)
const BOOTSTRAP_LINKS = 4 // each node dials this many others, then the DHT fills its table
const LOOKUP_TIMEOUT_MS = 10_000
const PROVIDE_CONCURRENCY = 16
const SETTLE_TIMEOUT_MS = 60_000

function rng (seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = rng(SEED)
const pick = (n) => Math.floor(random() * n)

function pct (sorted, p) {
  if (sorted.length === 0) return null
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] * 1000) / 1000
}

function cidOf (i) {
  const bytes = createHash('sha256').update(`superpeer-bench-key:${SEED}:${i}`).digest()
  return CID.createV1(raw.code, createDigest(0x12, bytes))
}

const started = performance.now()
const nodes = []
for (let i = 0; i < NODES; i++) {
  nodes.push(await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 200 },
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({ protocol: '/bench/kad/1.0.0', clientMode: false, peerInfoMapper: removePublicAddressesMapper })
    }
  }))
}
for (let i = 0; i < NODES; i++) {
  for (let c = 0; c < BOOTSTRAP_LINKS; c++) {
    const j = c === 0 ? (i + 1) % NODES : pick(NODES)
    if (j === i) continue
    try { await nodes[i].dial(nodes[j].getMultiaddrs()[0]) } catch { /* counted below as a smaller table */ }
  }
}
// Let the routing tables fill (bounded).
const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS
for (let round = 0; Date.now() < settleDeadline && round < 600; round++) {
  const sizes = nodes.map((n) => n.services.dht.routingTable.size)
  if (Math.min(...sizes) >= Math.min(NODES - 1, 8)) break
  await new Promise((r) => setTimeout(r, 100))
}
const tableSizes = nodes.map((n) => n.services.dht.routingTable.size)
const setupMs = performance.now() - started

// Provide K keys, each from a random node.
const providedBy = []
const provideStart = performance.now()
for (let i = 0; i < KEYS; i += PROVIDE_CONCURRENCY) {
  const batch = []
  for (let k = i; k < Math.min(KEYS, i + PROVIDE_CONCURRENCY); k++) {
    const owner = pick(NODES)
    providedBy[k] = owner
    batch.push(nodes[owner].contentRouting.provide(cidOf(k), { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) }).catch(() => {}))
  }
  await Promise.all(batch)
}
const provideMs = performance.now() - provideStart

// Lookups: one at a time (latency, not throughput), from a node that is not the provider.
const firstMs = []
const sent = []
const responses = []
let found = 0
for (let l = 0; l < LOOKUPS; l++) {
  const key = pick(KEYS)
  let from = pick(NODES)
  if (from === providedBy[key]) from = (from + 1) % NODES
  const t = performance.now()
  let queries = 0
  let replies = 0
  let ok = false
  try {
    for await (const ev of nodes[from].services.dht.findProviders(cidOf(key), { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) })) {
      if (ev.name === 'SEND_QUERY') queries++
      else if (ev.name === 'PEER_RESPONSE') replies++
      else if (ev.name === 'PROVIDER' && ev.providers.length > 0) { ok = true; break }
    }
  } catch { /* timed out: counted as not found */ }
  if (ok) { found++; firstMs.push(performance.now() - t) }
  sent.push(queries)
  responses.push(replies)
}
firstMs.sort((a, b) => a - b)
const mean = (xs) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 100) / 100
const report = {
  system: 'js-libp2p kad-dht',
  versions: { libp2p: '3.3.11', '@libp2p/kad-dht': '16.4.5' },
  transport: 'tcp 127.0.0.1, noise, yamux; all nodes in one process',
  nodes: NODES,
  keys: KEYS,
  lookups: LOOKUPS,
  found,
  successRate: Math.round((found / Math.max(1, LOOKUPS)) * 1000) / 1000,
  firstProviderMs: { p50: pct(firstMs, 50), p95: pct(firstMs, 95), p99: pct(firstMs, 99), mean: mean(firstMs) },
  messagesPerLookup: { requests: mean(sent), responses: mean(responses), total: mean(sent.map((s, i) => s + responses[i])) },
  routingTable: { min: Math.min(...tableSizes), mean: mean(tableSizes) },
  setupMs: Math.round(setupMs),
  provideMs: Math.round(provideMs)
}
process.stdout.write(JSON.stringify(report) + '\n')
await Promise.allSettled(nodes.map((n) => n.stop()))
process.exit(0)
