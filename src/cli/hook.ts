/**
 * compat-check hook — /etc/libvirt/hooks/qemu, libvirt's calling convention:
 *
 *   qemu OBJECT OPERATION SUB-OPERATION EXTRA   (e.g. "vm1 migrate begin -")
 *
 * with the domain XML on stdin. On the destination host libvirt calls
 * "migrate begin" with the incoming (migratable) domain XML before it starts
 * QEMU; a non-zero exit cancels the incoming migration and libvirt shows the
 * hook's stderr. stdout must stay empty: libvirt would take anything there
 * as a replacement domain XML.
 *
 * The check: the incoming XML on the source's QEMU against the same XML
 * started by the local QEMU. Which QEMU the source runs is not in the XML
 * libvirt sends, so it comes from (most specific first):
 *   1. the domain's own metadata,
 *      <compat-check:source xmlns:compat-check="https://compat-check.invalid/xmlns/1" qemu="7.2.22"/>
 *   2. --src-qemu-version (the wrapper script installed as the hook),
 *   3. $COMPAT_CHECK_SRC_QEMU;
 * with none of them the migration is refused (exit 2): a gate that cannot
 * check does not wave through. The local QEMU: --dst-qemu-version,
 * $COMPAT_CHECK_DST_QEMU, else `--version` of --qemu-binary, of the XML's
 * <emulator>, or of qemu-system-x86_64 on PATH.
 *
 * Every other operation (prepare, start, started, stopped, release,
 * restore, reconnect, attach, …) exits 0 at once without reading stdin.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hookChecks, type HookArgs, METADATA_NS } from './hook-options.js';
import { type Logger } from 'pino';
import { InputError } from '../inputs/errors.js';
import { parseDomainXml } from '../inputs/libvirt-xml.js';
import { child, parseXml } from '../inputs/xml-tree.js';
import { checkMigration } from '../check/migration.js';
import { retarget } from '../check/retarget.js';
import { proposeRemedies, withRemedies } from '../check/remedy.js';
import { type MigrationReport } from '../check/verdict.js';
import { findQemuBinary } from '../qemu/binary.js';
import { EXIT, gateExit, parseFailOn } from './exit.js';
import { WORDS } from '../report/words.js';

export { HOOK_DEFAULT_FAIL_ON, hookOptions, type HookArgs, METADATA_NS } from './hook-options.js';

/** "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" → "7.2.22". */
export function versionFromBanner(banner: string): string | undefined {
  return /QEMU emulator version (\d+\.\d+(?:\.\d+)?)/.exec(banner)?.[1];
}

function localQemuVersion(args: HookArgs, emulator: string | undefined, env: NodeJS.ProcessEnv): string {
  const given = args['dst-qemu-version'] ?? env.COMPAT_CHECK_DST_QEMU;
  if (given) return given;
  const binary = args['qemu-binary'] ?? emulator ?? findQemuBinary(env);
  if (!binary) throw new InputError('hook', 'local QEMU', 'no qemu-system-x86_64 found: give --dst-qemu-version or --qemu-binary');
  let banner: string;
  try {
    banner = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new InputError('hook', 'local QEMU', `${binary} --version failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const v = versionFromBanner(banner);
  if (!v) throw new InputError('hook', 'local QEMU', `cannot read a version from ${binary} --version: "${banner.split('\n')[0]}"`);
  return v;
}

/** The source QEMU the domain's metadata names, if it does. */
export function metadataSourceQemu(xml: string, file: string): string | undefined {
  const metadata = child(parseXml(xml, file), 'metadata');
  for (const el of metadata?.children ?? []) {
    const colon = el.name.indexOf(':');
    const prefix = colon >= 0 ? el.name.slice(0, colon) : '';
    const ns = el.attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
    if (ns === METADATA_NS && el.name.slice(colon + 1) === 'source' && el.attrs.qemu) return el.attrs.qemu;
  }
  return undefined;
}

/** The one line libvirt shows when the hook cancels the migration. */
export function hookMessage(vm: string, r: MigrationReport): string {
  const failing = r.devices.find((d) => d.verdict.kind === 'incompatible')
    ?? r.devices.find((d) => d.verdict.kind === 'at-risk')
    ?? r.devices.find((d) => d.verdict.kind === 'unknown');
  let why = r.firstError;
  if (!why && failing) {
    const v = failing.verdict;
    why = v.kind === 'at-risk' ? `${failing.id}: ${v.conditions[0] ?? 'at risk'}` : v.kind === 'unknown' ? `${failing.id}: ${v.reason}` : v.kind === 'incompatible' ? v.message : '';
  }
  const others = failing && !r.firstError ? r.devices.filter((d) => d !== failing && d.verdict.kind === failing.verdict.kind).length : 0;
  const more = others ? ` (and ${others} more ${others === 1 ? 'device' : 'devices'} ${WORDS[failing!.verdict.kind]})` : '';
  // The remedy for what the line names: the stream's when QEMU's first line is the stream's, else the named device's.
  const streamFirst = r.firstError !== undefined && !r.devices.some((d) => d.verdict.kind === 'incompatible');
  const remedy = (streamFirst ? r.remedies : failing?.remedies)?.find((m) => m.verified);
  const fix = remedy ? `; verified remedy: ${remedy.change}` : '';
  return `compat-check: migration of ${vm} from QEMU ${r.source.qemu} to QEMU ${r.destination.qemu} refused: ${WORDS[r.verdict]}: ${why ?? ''}${more}${fix}`
    .replace(/[\r\n]+/g, ' ');
}

export function runHook(args: HookArgs, log: Logger, env: NodeJS.ProcessEnv = process.env, stdin = () => readFileSync(0, 'utf8')): number {
  if (!hookChecks(args)) return EXIT.compatible;
  const failOn = parseFailOn(args['fail-on'], args['allow-unknown']);
  const vm = args.object;
  const file = `${vm} (incoming domain XML)`;
  const xml = stdin();
  const srcVersion = metadataSourceQemu(xml, file) ?? args['src-qemu-version'] ?? env.COMPAT_CHECK_SRC_QEMU;
  if (!srcVersion) {
    throw new InputError(file, 'source QEMU', `unknown: add <compat-check:source xmlns:compat-check="${METADATA_NS}" qemu="X.Y.Z"/> to <metadata>, or give the hook --src-qemu-version`);
  }
  const emulator = child(child(parseXml(xml, file), 'devices'), 'emulator')?.text || undefined;
  const dstVersion = localQemuVersion(args, emulator, env);
  const src = parseDomainXml(xml, file, { qemu: srcVersion });
  const dst = { ...retarget(src, { qemu: dstVersion }), file: `${vm} on this host` };
  const predicted = checkMigration(src, dst);
  const report = predicted.verdict === 'compatible' ? predicted : withRemedies(predicted, proposeRemedies(src, dst, predicted));
  const code = gateExit(report, failOn);
  log.info({ vm, src: srcVersion, dst: dstVersion, verdict: report.verdict, code }, 'hook: migrate begin checked');
  if (code !== EXIT.compatible) process.stderr.write(`${hookMessage(vm, report)}\n`);
  return code;
}
