/**
 * How a run ends: the exit code it returned, or the error that stopped it
 * worded on stderr (2 for bad input, 4 for an internal error). stdout
 * carries only the report.
 */
import { InputError } from '../inputs/errors.js';
import { EXIT } from './exit.js';

/** A reader that stops early (| head) is not an error of ours. Call at run time only: it opens stdout. */
export function tolerateClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** Sets the exit code when the run settles; a run that returns undefined has handed over to another entry, which sets its own. */
export function finish(run: Promise<number | undefined>): void {
  run.then(
    (code) => { if (code !== undefined) process.exitCode = code; },
    (e: unknown) => {
      if (e instanceof InputError) {
        process.stderr.write(`compat-check: ${e.message}\n`);
        process.exitCode = EXIT.badInput;
      } else {
        process.stderr.write(`compat-check: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = EXIT.internal;
      }
    },
  );
}
