/**
 * After config space a device's section carries state whose array lengths
 * the destination takes from its own device (VMSTATE_STRUCT_VARRAY_UINT32
 * over xhci's ports, for example). Different counts shift the rest of the
 * section, and QEMU notices at its end: qemu_loadvm_section_start_full →
 * check_section_footer, "Missing section footer for <section>". Machine
 * types that send no footers (send-section-footer off, pc ≤ 2.3) fail some
 * other way, which is not modelled.
 */
import { type Machine } from '../profiles/machine.js';
import { qemuMessage } from './messages.js';
import { type DeviceVerdict } from './verdict.js';

export function sendsSectionFooters(machine: Machine): boolean {
  return !machine.compat.some(({ property: [driver, name, value] }) => driver === 'migration' && name === 'send-section-footer' && value === 'off');
}

/** The verdict when the two sides' counts differ; undefined when they agree. */
export function streamShapeVerdict(
  src: Record<string, number> | undefined, dst: Record<string, number> | undefined, section: string, release: string, footers: boolean,
): DeviceVerdict | undefined {
  const names = [...new Set([...Object.keys(src ?? {}), ...Object.keys(dst ?? {})])];
  const differ = names.filter((n) => src?.[n] !== dst?.[n]);
  if (!differ.length) return undefined;
  const what = differ.map((n) => `${n} ${src?.[n] ?? 'absent'} → ${dst?.[n] ?? 'absent'}`).join(', ');
  if (!footers) return { kind: 'unknown', reason: `the migrated state after config space differs (${what}) and this machine type sends no section footers` };
  const message = qemuMessage(release, 'sectionFooter', { section }).lines[0];
  return {
    kind: 'incompatible', message,
    mismatches: differ.map((n) => ({
      offset: 0, length: 0, field: 'stream layout', source: String(src?.[n] ?? 'absent'), destination: String(dst?.[n] ?? 'absent'),
      description: `${n}: ${src?.[n] ?? 'absent'} → ${dst?.[n] ?? 'absent'} (sizes the device's migrated state after config space)`,
    })),
  };
}
