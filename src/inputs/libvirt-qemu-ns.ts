/**
 * libvirt's QEMU namespace (https://libvirt.org/drvqemu.html#pass-through-of-arbitrary-qemu-commands):
 * <qemu:commandline><qemu:arg value=…/> appends raw arguments after
 * everything libvirt generates; <qemu:override><qemu:device alias=…>
 * <qemu:frontend><qemu:property name type value/> rewrites the properties of
 * the -device libvirt generates for that alias (libvirt ≥ 8.2,
 * qemuProcessPrepareDeviceOverrides… applied in qemuBuildDeviceCommandlineFromJSON).
 */
import { InputError } from './errors.js';
import { type XmlElement } from './xml-tree.js';
import { type Word } from './shell-words.js';
import { parseDevfn } from './devfn.js';
import { type DeviceDescription } from './vm.js';

export const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/** The prefix the document binds to the QEMU namespace ("qemu" in practice). */
export function qemuPrefix(root: XmlElement): string | undefined {
  const attr = Object.entries(root.attrs).find(([k, v]) => k.startsWith('xmlns:') && v === QEMU_NS);
  return attr?.[0].slice('xmlns:'.length);
}

export function commandlineWords(root: XmlElement, prefix: string): Word[] {
  return root.children
    .filter((c) => c.name === `${prefix}:commandline`)
    .flatMap((c) => c.children.filter((a) => a.name === `${prefix}:arg`))
    .map((a) => ({ text: a.attrs.value ?? '', place: `line ${a.line} <${a.name}>` }));
}

/**
 * Applies the frontend overrides to the devices libvirt generates. An alias
 * with no PCI device here (a scsi-hd, a usb-tablet …) is not ours to change.
 */
export function applyOverrides(root: XmlElement, prefix: string, devices: DeviceDescription[], file: string): void {
  const overrides = root.children.filter((c) => c.name === `${prefix}:override`)
    .flatMap((o) => o.children.filter((d) => d.name === `${prefix}:device`));
  for (const o of overrides) {
    const dev = devices.find((d) => d.id === o.attrs.alias);
    if (!dev) continue;
    const props = o.children.filter((f) => f.name === `${prefix}:frontend`)
      .flatMap((f) => f.children.filter((p) => p.name === `${prefix}:property`));
    for (const p of props) {
      const where = `line ${p.line} <${p.name} name='${p.attrs.name ?? ''}'>`;
      const { name, type, value } = p.attrs;
      if (!name) throw new InputError(file, where, 'a property needs name=');
      if (type === 'remove') {
        delete dev.properties[name];
        continue;
      }
      let v: string;
      switch (type) {
        case 'string': v = value ?? ''; break;
        case 'bool':
          if (value !== 'true' && value !== 'false') throw new InputError(file, where, `type='bool' takes value 'true' or 'false', not '${value}'`);
          v = value === 'true' ? 'on' : 'off';
          break;
        case 'signed': case 'unsigned':
          if (!/^-?\d+$/.test(value ?? '')) throw new InputError(file, where, `type='${type}' takes a whole number, not '${value}'`);
          v = BigInt(value!).toString();
          break;
        default: throw new InputError(file, where, `type='${type ?? ''}' is not string, signed, unsigned, bool or remove`);
      }
      if (name === 'addr') {
        const a = parseDevfn(v);
        if (typeof a === 'string') throw new InputError(file, where, a);
        dev.addr = a;
      } else if (name === 'bus') {
        dev.bus = v === 'pci.0' || v === 'pcie.0' ? undefined : v;
      } else if (name === 'id') {
        throw new InputError(file, where, 'overriding the id breaks libvirt\'s own references to the device');
      } else {
        dev.properties[name] = v;
      }
    }
  }
}
