/**
 * A real migration of a described VM: the source QEMU built from the
 * source description (placeholder backends), stopped, its guest registers
 * programmed as the description says, migrated to a file; the destination
 * QEMU started from the destination description loads it. Returns QEMU's
 * own verdict and the config bytes each source device really sent.
 */
import { type VmDescription } from '../inputs/vm.js';
import { machineProfile } from '../profiles/data.js';
import { resolveMachine } from '../profiles/machine.js';
import { releaseOf } from '../profiles/versions.js';
import { rootBusName } from '../check/placement.js';
import { rehearseMigration, type MigrationRehearsal } from '../qemu/migrate.js';
import { readConfig } from '../qemu/pci-config-io.js';
import { vmMachineSpec } from './vm-args.js';
import { programGuest, topology } from './program.js';

export interface Rehearsal extends MigrationRehearsal {
  /** Device id → the config bytes the source held when it migrated (hex). */
  sourceConfig: Record<string, string>;
}

function specOf(vm: VmDescription) {
  const profile = machineProfile(releaseOf(vm.qemu));
  // Without a profile the machine name is passed through as given.
  const machine = profile ? resolveMachine(profile, vm.machine) : { name: vm.machine, family: vm.machine.includes('q35') ? 'q35' as const : 'i440fx' as const };
  return { machine, root: rootBusName(machine.family) };
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function rehearse(srcBinary: string, dstBinary: string, src: VmDescription, dst: VmDescription, timeoutMs = 20_000): Promise<Rehearsal> {
  const s = specOf(src);
  const d = specOf(dst);
  const topo = topology(src, s.root);
  const sourceConfig: Record<string, string> = {};
  const result = await rehearseMigration({
    binary: srcBinary,
    dstBinary,
    timeoutMs,
    srcArgs: vmMachineSpec(src, s.machine.name, s.root),
    dstArgs: vmMachineSpec(dst, d.machine.name, d.root),
    program: async (qtest) => {
      await programGuest(qtest, src, topo);
      for (const dev of src.devices) {
        const at = topo.bdf.get(dev.id);
        // 4096 bytes need MMCONFIG (q35 only); the first 256 say what matters for conventional devices.
        if (at) sourceConfig[dev.id] = toHex(await readConfig(qtest, at, s.machine.family === 'q35' ? 4096 : 256));
      }
    },
  });
  return { ...result, sourceConfig };
}
