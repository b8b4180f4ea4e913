#!/usr/bin/env node
// Builds the start-up snapshot of the gate (src/cli/snapshot.ts) and the
// command users run, dist/cli/compat-check:
//   dist/cli/compat-check.snapshot.cjs  the snapshot's entry: one CommonJS file
//                                       that requires only Node built-ins
//   dist/cli/compat-check.blob          the heap it leaves (node --build-snapshot)
//   dist/cli/compat-check               #!/bin/sh launcher: the blob with the
//                                       Node that built it, else the ESM bundle
// Run after scripts/bundle.mjs (it needs dist/cli/vm-validate.cjs and the ESM bundle).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = realpathSync(resolve('dist/cli'));
const ENTRY = resolve(DIST, 'compat-check.snapshot.cjs');
const BLOB = resolve(DIST, 'compat-check.blob');
const LAUNCHER = resolve(DIST, 'compat-check');

// require() of a file while the snapshot is built makes Node refuse the
// snapshot at start (ERR_INTERNAL_ASSERTION in setupUserModules), and
// node:module is not among the built-ins Node vouches for in a snapshot. So
// createRequire (vm.ts: the validators, log.ts: pino, output.ts: node:crypto,
// snapshot.ts: the ESM bundle) goes through this shim: the validators are
// bundled in, built-ins are required directly, and anything else is loaded
// through the real node:module at run time only. fast-xml-parser is bundled
// in as well (the ESM bundle loads it lazily from xml-parser.cjs).
const moduleShim = {
  name: 'snapshot-create-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?module$/ }, (a) => (a.namespace === 'snapshot-shim' ? { path: 'node:module', external: true } : { path: 'module', namespace: 'snapshot-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'snapshot-shim' }, () => ({
      loader: 'js',
      resolveDir: DIST,
      contents: `import { startupSnapshot } from 'node:v8';
        const bundled = { './vm-validate.cjs': () => require('./vm-validate.cjs') };
        export function createRequire(from) {
          return (id) => {
            if (bundled[id]) return bundled[id]();
            if (id.startsWith('node:')) return require(id);
            if (startupSnapshot.isBuildingSnapshot()) throw new Error(id + ': not bundled, and no file can be loaded while the snapshot is built');
            return require('node:module').createRequire(from)(id);
          };
        }`,
    }));
  },
};

await build({
  entryPoints: ['src/cli/snapshot.ts'],
  outfile: ENTRY,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  // Paths relative to import.meta.url (device-profiles/, pino, xml-parser.cjs) resolve from dist/cli/, as in the ESM bundle.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(ENTRY).href) },
  plugins: [moduleShim],
  logLevel: 'warning',
});

// Written beside, then renamed: a run (or another build) never sees half a blob.
const tmp = `${BLOB}.${process.pid}.tmp`;
const made = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', ENTRY], { stdio: 'inherit' });
if (made.status !== 0) {
  rmSync(tmp, { force: true });
  throw new Error(`node --build-snapshot failed (${made.status ?? made.signal})`);
}

// The launcher. The blob carries the mtime of the Node binary that built it
// (touch -r): it is used with that binary only while the binary's mtime is
// still the same (an upgrade or another node changes it; Node itself would
// refuse a blob of another version, with exit code 14), and without
// NODE_OPTIONS (Node refuses a snapshot under other V8 flags, such as
// --max-old-space-size, also with 14). Otherwise the ESM bundle runs, with
// that same binary (a libvirt hook's PATH may have no node), else the node
// on PATH. Only sh builtins run before node, except readlink when the
// launcher is reached through a symlink (node_modules/.bin).
const NODE = process.execPath;
const touched = spawnSync('touch', ['-r', NODE, tmp], { stdio: 'inherit' });
if (touched.status !== 0) throw new Error('touch -r failed');
renameSync(tmp, BLOB);
const launcherTmp = `${LAUNCHER}.${process.pid}.tmp`;
writeFileSync(launcherTmp, `#!/bin/sh
# compat-check: will the destination QEMU accept this VM's devices? (README.md)
# Written by scripts/snapshot.mjs: starts ${NODE} from the start-up snapshot beside this file.
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in /*) self=$link ;; *) self=\${self%/*}/$link ;; esac
done
case $self in */*) dir=\${self%/*} ;; *) dir=. ;; esac
node=${shellQuote(NODE)}
blob=$dir/compat-check.blob
if [ -z "$NODE_OPTIONS" ] && [ -x "$node" ] && ! [ "$node" -nt "$blob" ] && ! [ "$node" -ot "$blob" ]; then
  exec "$node" --snapshot-blob "$blob" "$dir/compat-check.mjs" "$@"
fi
[ -x "$node" ] || node=node
exec "$node" "$dir/compat-check.mjs" "$@"
`);
chmodSync(launcherTmp, 0o755);
renameSync(launcherTmp, LAUNCHER);

function shellQuote(s) {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
