// A Topology answer cut into parts that each stay under the message cap: a
// node whose file list does not fit comes again in the next part with the
// same id and the rest of its files.
import type { SharedFile } from './generated/superpeer/v1/SharedFile.js';
import type { TopologyLink } from './generated/superpeer/v1/TopologyLink.js';
import type { TopologyNode } from './generated/superpeer/v1/TopologyNode.js';
import type { TopologyResponse } from './generated/superpeer/v1/TopologyResponse.js';
import { ANSWER_PART_BYTES } from './limits.js';
import { embeddedSize, wireSize } from './wire-size.js';

export class TopologyParts {
  private nodes: TopologyNode[] = [];
  private links: TopologyLink[] = [];
  private room: number;
  /** Parts written so far. */
  parts = 0;

  constructor(
    private readonly write: (part: TopologyResponse) => Promise<void>,
    private readonly budgetBytes = ANSWER_PART_BYTES,
  ) {
    this.room = budgetBytes;
  }

  async node(n: TopologyNode): Promise<void> {
    const files: SharedFile[] = [...(n.files ?? [])];
    let current: TopologyNode = { ...n, files: [] };
    let size = embeddedSize(wireSize('superpeer.v1.TopologyNode', current));
    if (size > this.room) await this.flush();
    for (const f of files) {
      const fileSize = embeddedSize(wireSize('superpeer.v1.SharedFile', f));
      // Grows the node's own length prefix by at most 2 bytes.
      if (size + fileSize + 2 > this.room) {
        this.push(current, size);
        await this.flush();
        current = { node_id: n.node_id, files: [] };
        size = embeddedSize(wireSize('superpeer.v1.TopologyNode', current));
      }
      current.files!.push(f);
      size += fileSize + 2;
    }
    this.push(current, size);
  }

  async link(l: TopologyLink): Promise<void> {
    const size = embeddedSize(wireSize('superpeer.v1.TopologyLink', l));
    if (size > this.room) await this.flush();
    this.links.push(l);
    this.room -= size;
  }

  /** Writes what is left (an empty overlay still gets one part). */
  async end(): Promise<void> {
    if (this.nodes.length > 0 || this.links.length > 0 || this.parts === 0) await this.flush();
  }

  private push(n: TopologyNode, size: number): void {
    this.nodes.push(n);
    this.room -= size;
  }

  private async flush(): Promise<void> {
    const part = { nodes: this.nodes, links: this.links };
    this.nodes = [];
    this.links = [];
    this.room = this.budgetBytes;
    this.parts++;
    await this.write(part);
  }
}

/** The parts of a Topology stream as one answer: nodes met again (by node_id) add their files. */
export function mergeTopologyParts<N extends { node_id: string; files: F[] }, L, F>(parts: Array<{ nodes: N[]; links: L[] }>): { nodes: N[]; links: L[] } {
  const byId = new Map<string, N>();
  const links: L[] = [];
  for (const p of parts) {
    for (const n of p.nodes) {
      const seen = byId.get(n.node_id);
      if (seen) seen.files.push(...n.files);
      else byId.set(n.node_id, { ...n, files: [...n.files] });
    }
    links.push(...p.links);
  }
  return { nodes: [...byId.values()], links };
}
