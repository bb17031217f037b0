// Test-only fault injection: zones this node refuses to talk to, so a chaos
// test can cut the overlay between zones without touching the network. Set
// at start (SUPERPEER_FAULT_BLOCK_ZONES) or at run time through
// POST /admin/faults, which answers only with SUPERPEER_FAULT_INJECTION=true
// and only to loopback callers (docs/reliability.md). Off by default.

/** Zones named in one setting at most (a cluster has a handful). */
export const MAX_BLOCKED_ZONES = 64;
const ZONE = /^[A-Za-z0-9._-]{1,64}$/;

export function parseZones(list: string | undefined): string[] {
  const zones = (list ?? '').split(',').map((z) => z.trim()).filter(Boolean);
  if (zones.length > MAX_BLOCKED_ZONES || zones.some((z) => !ZONE.test(z))) throw new Error(`expected up to ${MAX_BLOCKED_ZONES} comma-separated zone names, got ${JSON.stringify(list)}`);
  return zones;
}

export class Faults {
  private blocked: Set<string>;
  /** Called after the blocked set changed (the node closes and redials streams). */
  onChange: () => void = () => {};

  constructor(zones: string[] = []) {
    this.blocked = new Set(zones);
  }

  /** Whether links and attaches to/from nodes of `zone` are refused. */
  blocks(zone: string | undefined): boolean {
    return this.blocked.size > 0 && zone !== undefined && this.blocked.has(zone);
  }

  list(): string[] {
    return [...this.blocked].sort();
  }

  set(zones: string[]): void {
    this.blocked = new Set(zones);
    this.onChange();
  }
}

/** 127.0.0.0/8 and ::1, also IPv4-mapped: the admin path answers nobody else. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
