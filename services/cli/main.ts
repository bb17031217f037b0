// The `superpeer` command. Each sub-command lives in commands/<name>.ts and
// exports register(program).
import { Command } from 'commander';
import { CliError } from './cli-error.js';
// command modules (one import and one register call each)
import { register as registerCluster } from './commands/cluster.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerGet } from './commands/get.js';
import { register as registerNode } from './commands/node.js';
import { register as registerSearch } from './commands/search.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerTopology } from './commands/topology.js';
import { register as registerSim } from './commands/sim.js';
import { register as registerBench } from './commands/bench.js';

const program = new Command()
  .name('superpeer')
  .description('A FastTrack/KaZaA-style supernode overlay: run nodes and clusters, search, download, inspect')
  .showHelpAfterError();

// registrations
registerCluster(program);
registerDemo(program);
registerGet(program);
registerNode(program);
registerSearch(program);
registerStatus(program);
registerTopology(program);
registerSim(program);
registerBench(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`superpeer: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
