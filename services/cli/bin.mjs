#!/usr/bin/env node
// Entry of the `superpeer` bin. An installed package runs the compiled CLI
// (dist/); a repository checkout without a build runs the TypeScript sources
// through tsx, a development dependency.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../../dist/services/cli/main.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('superpeer: no compiled build (dist/) and no tsx to run the sources: run `make build` (or `npm run build`) in the repository\n');
    process.exit(1);
  }
  register();
  await import('./main.ts');
}
