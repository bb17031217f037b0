// The version of the package this code ships in, from its package.json
// (services/cli/ in the repository, dist/services/cli/ when compiled).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LEVELS_UP = 4;

export function packageVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < LEVELS_UP; i++) {
    dir = new URL('../', dir);
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('package.json', dir)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'superpeer' && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level: go up
    }
  }
  return 'unknown';
}
