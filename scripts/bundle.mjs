#!/usr/bin/env node
// Bundles the CLI into one file, dist/cli/compat-check.mjs, so a run loads
// one module instead of hundreds: start-up is what an upgrade script or a
// libvirt hook pays on every call. It sits at the same depth as the tsc
// output, so paths relative to import.meta.url (device-profiles/, schemas/)
// resolve the same way.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The VM description validator, compiled ahead of time (ajv standalone code):
// a gate run then never compiles a schema. src/inputs/vm.ts loads it from
// beside the bundle and falls back to compiling when run from sources.
const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false, code: { source: true } });
const validate = ajv.compile(JSON.parse(readFileSync('schemas/vm.schema.json', 'utf8')));
writeFileSync('dist/cli/vm-validate.cjs', standaloneCode(ajv, validate));

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/compat-check.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // CommonJS dependencies (ajv, pino) call require() for Node built-ins.
  banner: { js: "import { createRequire as __ccCreateRequire } from 'node:module'; const require = __ccCreateRequire(import.meta.url);" },
  // pino is loaded on the first log line at an enabled level (src/cli/log.ts), from node_modules.
  external: ['pino', 'ajv'],
  logLevel: 'warning',
});
