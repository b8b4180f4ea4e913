/**
 * Logs go to stderr through pino, created only when something is logged at
 * an enabled level: most gate runs log nothing, and loading pino is part of
 * the start-up every upgrade script and libvirt hook pays.
 */
import { createRequire } from 'node:module';
import { type Logger } from 'pino';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export function lazyLogger(level: string): Logger {
  let real: Logger | undefined;
  const load = (): Logger => {
    if (!real) {
      const pino = createRequire(import.meta.url)('pino') as typeof import('pino');
      real = pino.pino({ level }, pino.destination(2));
    }
    return real;
  };
  const threshold = LEVELS[level] ?? LEVELS.warn;
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (typeof prop === 'string' && prop in LEVELS && prop !== 'silent') {
        return LEVELS[prop] >= threshold ? (...args: unknown[]) => (load()[prop as 'info'] as (...a: unknown[]) => void)(...args) : () => {};
      }
      return Reflect.get(load(), prop);
    },
  });
}
