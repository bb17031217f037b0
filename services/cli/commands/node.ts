// `superpeer node`: run one node in this process, as in a pod. Flags and
// SUPERPEER_* environment variables are listed in services/node/config.ts.
import { Command, Option } from 'commander';
import { ConfigError, SETTINGS, resolveConfig, type NodeConfig } from '../../node/config.js';
import { SuperpeerNode } from '../../node/node.js';
import { CliError } from '../cli-error.js';

export function register(program: Command): void {
  const cmd = program.command('node').description('run one superpeer node (supernode, leaf, or elected) until SIGTERM');
  for (const s of SETTINGS) {
    if (s.key === 'firewalled') {
      cmd.addOption(new Option(`${s.flag}`, s.help));
      continue;
    }
    cmd.addOption(new Option(`${s.flag} <value>`, `${s.help} [env ${s.env}${s.def ? `, default ${s.def}` : ''}]`));
  }
  cmd.action(async (opts: Record<string, unknown>) => {
    let config: NodeConfig;
    try {
      const flags: Partial<Record<keyof NodeConfig, unknown>> = {};
      for (const s of SETTINGS) {
        const v = opts[camel(s.flag)];
        if (v !== undefined) flags[s.key] = v;
      }
      config = resolveConfig(flags);
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message, 2);
      throw err;
    }
    await runNode(config);
  });
}

/** Runs until SIGINT/SIGTERM, then stops gracefully. */
export async function runNode(config: NodeConfig): Promise<void> {
  const node = new SuperpeerNode(config);
  try {
    await node.start();
  } catch (err) {
    throw new CliError(`node ${config.id} could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      node.stop().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
