#!/usr/bin/env node
// Bundles the CLI into dist/cli/compat-check.mjs and a few chunks beside it,
// so a run loads a handful of modules instead of hundreds, and only those
// its command line needs: start-up is what an upgrade script or a libvirt
// hook pays on every call. Everything sits at the same depth as the tsc
// output, so paths relative to import.meta.url (device-profiles/, schemas/)
// resolve the same way. scripts/snapshot.mjs then builds the start-up
// snapshot of the gate and dist/cli/compat-check, the command users run.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// The VM description validators, compiled ahead of time (ajv standalone code):
// a gate run then never compiles a schema. src/inputs/vm.ts loads it from
// beside the bundle and falls back to compiling when run from sources.
const require = createRequire(import.meta.url);
// A snapshot of the previous sources must not outlive them (the launcher runs the ESM bundle without it).
rmSync('dist/cli/compat-check.blob', { force: true });
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;
const ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false, code: { source: true } });
const schema = JSON.parse(readFileSync('schemas/vm.schema.json', 'utf8'));
ajv.addSchema(schema);
// Two exports: the whole description, and one entry of its devices (the fleet validates repeated entries once).
writeFileSync('dist/cli/vm-validate.cjs', standaloneCode(ajv, { vm: schema.$id, device: `${schema.$id}#/definitions/device` }));

// fast-xml-parser reads domain XML only: bundled on its own (one CommonJS
// file beside the bundle) and loaded on the first XML input, so a JSON gate
// run does not compile it. The shim keeps the two names xml-tree.ts uses.
await build({
  entryPoints: ['node_modules/fast-xml-parser/lib/fxp.cjs'], outfile: 'dist/cli/xml-parser.cjs', bundle: true,
  platform: 'node', format: 'cjs', target: 'node20', minify: true, legalComments: 'none', logLevel: 'warning',
});
const lazyXmlParser = {
  name: 'lazy-fast-xml-parser',
  setup(b) {
    b.onResolve({ filter: /^fast-xml-parser$/ }, () => ({ path: 'fast-xml-parser', namespace: 'lazy-xml' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-xml' }, () => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module';
        let m; const load = () => (m ??= createRequire(import.meta.url)('./xml-parser.cjs'));
        export const XMLValidator = { validate: (...a) => load().XMLValidator.validate(...a) };
        export class XMLParser {
          constructor(...a) { return new (load().XMLParser)(...a); }
          static getMetaDataSymbol() { return load().XMLParser.getMetaDataSymbol(); }
        }`,
    }));
  },
};

// Code splitting: the gate line (src/cli/main.ts → check.ts) is one module;
// yargs and the other commands (src/cli/commands.ts) are a chunk loaded only
// when the line needs them. Chunks sit beside the entry, at the same depth.
for (const f of readdirSync('dist/cli')) if (/^chunk-.*\.mjs$/.test(f)) rmSync(join('dist/cli', f));
await build({
  entryPoints: { 'compat-check': 'src/cli/main.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  splitting: true,
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
  plugins: [lazyXmlParser],
  logLevel: 'warning',
});
