// The `superpeer` command. Each sub-command lives in commands/<name>.ts and
// exports register(program). Only the module of the command being run is
// loaded (a leaf started with `superpeer node` carries no simulator, bench or
// cluster code); help and unknown commands load them all.
import { Command } from 'commander';
import { CliError } from './cli-error.js';
import { paintFor } from './render/colour.js';
import { packageVersion } from './version.js';

type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  cluster: () => import('./commands/cluster.js'),
  demo: () => import('./commands/demo.js'),
  get: () => import('./commands/get.js'),
  node: () => import('./commands/node.js'),
  search: () => import('./commands/search.js'),
  status: () => import('./commands/status.js'),
  topology: () => import('./commands/topology.js'),
  sim: () => import('./commands/sim.js'),
  bench: () => import('./commands/bench.js'),
};

const program = new Command()
  .name('superpeer')
  .description('A FastTrack/KaZaA-style supernode overlay: run nodes and clusters, search, download, inspect')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .showHelpAfterError();

const named = process.argv[2];
const load = Object.hasOwn(COMMANDS, named ?? '') ? [COMMANDS[named!]] : Object.values(COMMANDS);
for (const module of await Promise.all(load.map((l) => l()))) module.register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`${paintFor(process.stderr)('red', 'superpeer:')} ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
