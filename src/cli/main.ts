#!/usr/bin/env node
/**
 * compat-check — will the destination QEMU accept this VM's devices?
 * Exit codes (cli/exit.ts): 0 compatible, 1 incompatible or at-risk,
 * 2 bad input, 3 unknown (something is not modelled), 4 internal error.
 * stdout carries only the report; logs go to stderr.
 *
 * A plain gate or hook line runs without loading yargs (cli/plain-line.ts);
 * everything else goes through yargs (cli/commands.ts). Each path imports
 * only what it runs. The start-up snapshot (cli/snapshot.ts) runs the plain
 * lines itself and loads this module for the others.
 */
import { EXIT } from './exit.js';
import { runPlainLine } from './plain-line.js';
import { finish, tolerateClosedStdout } from './finish.js';

async function main(argv: string[]): Promise<number> {
  const plain = await runPlainLine(argv);
  if (plain !== undefined) return plain;
  const { runCommandLine } = await import('./commands.js');
  const code = await runCommandLine(argv);
  // yargs prints --help and --version itself (on stdout) and runs no command, so no command set the code: a success.
  return code === EXIT.internal && asksHelpOrVersion(argv) ? EXIT.compatible : code;
}

/** --help or --version among the options (not after "--", where it would be an operand), or yargs' `help` command. */
function asksHelpOrVersion(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return argv[0] === 'help' || (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '--version');
}

tolerateClosedStdout();
// yargs' hideBin for plain Node: the arguments after the script.
finish(main(process.argv.slice(2)));
