/**
 * Any input form → the normalized VmDescription. One entry point, so every
 * command accepts whatever the operator has, told apart by content:
 * a JSON object (schemas/vm.schema.json), libvirt domain XML
 * (libvirt-xml.ts), or a QEMU command line / libvirt VM.log excerpt
 * (qemu-cmdline.ts). PCI listings of the running VM (query-pci,
 * info pci, lspci -xxx) can be merged on to supply guest values.
 */
import { InputError } from './errors.js';
import { parseJsonInput, readInput } from './read.js';
import { parseVmJson, type VmDescription } from './vm.js';
import { parseDomainXml } from './libvirt-xml.js';
import { parseCommandLineText } from './qemu-cmdline.js';
import { loadPciListing } from './pci-file.js';
import { mergePciListings } from './pci-listing.js';

export interface LoadOptions {
  /** QEMU release for inputs that do not say (XML, a bare command line): --qemu. */
  qemu?: string;
  /** PCI listings of the running VM to merge on (--src-pci). */
  pci?: string[];
}

export type InputForm = 'json' | 'xml' | 'command line';

export function sniffForm(text: string): InputForm {
  const t = text.trimStart();
  if (t.startsWith('{')) return 'json';
  if (t.startsWith('<')) return 'xml';
  return 'command line';
}

export function parseDescription(text: string, file: string, options: LoadOptions = {}): VmDescription {
  switch (sniffForm(text)) {
    case 'json': {
      const json = parseJsonInput(text, file);
      if (json && typeof json === 'object' && 'return' in json) {
        throw new InputError(file, '', 'this is QMP output (query-pci?), not a VM description: pass it with --src-pci');
      }
      return parseVmJson(json, file);
    }
    case 'xml': return parseDomainXml(text, file, options);
    default: return parseCommandLineText(text, file, options);
  }
}

export function loadDescription(file: string, options: LoadOptions = {}): VmDescription {
  const vm = parseDescription(readInput(file), file, options);
  return options.pci?.length ? mergePciListings(vm, options.pci.map(loadPciListing)) : vm;
}
