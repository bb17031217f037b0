// A node's whole Status from its pages (status.ts), bounded: at most
// MAX_STATUS_PAGES pages, and a page that does not move the offsets on ends
// the walk, so a node that answers wrongly cannot keep the caller busy.
import type { StatusRequest } from './generated/superpeer/v1/StatusRequest.js';
import type { StatusResponse__Output } from './generated/superpeer/v1/StatusResponse.js';

/** 64 pages of 48 KiB: a supernode of 10,000 leaves or a node sharing 20,000 files fits. */
export const MAX_STATUS_PAGES = 64;

export async function collectStatusPages(
  fetchPage: (req: StatusRequest) => Promise<StatusResponse__Output>,
  maxPages = MAX_STATUS_PAGES,
): Promise<StatusResponse__Output> {
  const first = await fetchPage({ leaves_offset: 0, files_offset: 0 });
  const whole: StatusResponse__Output = { ...first, leaves: [...first.leaves], files: [...first.files] };
  let page = first;
  let at = { leaves_offset: 0, files_offset: 0 };
  for (let n = 1; page.more && n < maxPages; n++) {
    const req = { leaves_offset: page.next_leaves_offset, files_offset: page.next_files_offset };
    const forward = req.leaves_offset >= at.leaves_offset && req.files_offset >= at.files_offset;
    if (!forward || (req.leaves_offset === at.leaves_offset && req.files_offset === at.files_offset)) break;
    at = req;
    page = await fetchPage(req);
    whole.leaves.push(...page.leaves);
    whole.files.push(...page.files);
  }
  whole.more = page.more;
  return whole;
}
