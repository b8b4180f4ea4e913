/**
 * Any input form → the normalized VmDescription. One entry point, so every
 * command accepts whatever the operator has; adapters for more forms
 * (libvirt XML, QEMU command lines) plug in here.
 */
import { type VmDescription, loadVmFile } from './vm.js';

export function loadDescription(file: string): VmDescription {
  return loadVmFile(file);
}
