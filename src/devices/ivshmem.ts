/**
 * ivshmem-plain and ivshmem-doorbell (inter-VM shared memory). QEMU:
 * ivshmem_common_realize (hw/misc/ivshmem-pci.c) — 1af4:1110 rev 01, class
 * 0500, no interrupt pin; BAR0 = 256 bytes of registers; for the doorbell
 * flavour MSI-X with `vectors` entries in an exclusive BAR1
 * (msix_init_exclusive_bar); BAR2 = the shared memory, a 64-bit
 * prefetchable BAR as large as the memory backend (plain: memdev;
 * doorbell: what the server hands over), also migrated as a RAM block
 * "<device path>/<backend id>" (vmstate_register_ram with the device; the
 * backend's region is named after its id, also on pc-*-4.0 whose compat
 * x-use-canonical-path-for-ramblock-id does not reach it: checked on 5.2,
 * 7.2 and 10.0). The command register's I/O and memory bits that realize
 * sets are cleared again by the reset every device gets.
 *
 * ivshmem-plain is modelled when the description gives the backend's size
 * (memoryBackends, or the -object line): a size change is refused in the RAM
 * section ("Size mismatch: 0000:00:05.0/m0: 0x100000 != 0x400000"), before
 * any device state. master: unless the device is master (master=on, or
 * auto, which is on for plain: its vm_id stays 0), realize adds a migration
 * blocker and the source refuses to migrate; a destination that is not
 * master refuses the section in ivshmem_pre_load ("'peer' devices are not
 * migratable"). master defaults to off.
 *
 * ivshmem-doorbell stays unknown: its memory and vm_id come from an
 * ivshmem-server over the chardev (with a null chardev realize waits
 * forever), whose size (ivshmem-server -l) a description does not carry,
 * and Debian ships no ivshmem-server, so it is modelled from the source and
 * not probed. buildIvshmem takes the size, so tests can check its layout.
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { msixInitExclusiveBar } from '../config-space/msix.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { type AddedBlocker, type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber, propValue } from './model.js';
import { type PropertyValues } from './properties.js';
import { RealizeError } from '../virtio-caps/transport.js';

/** ivshmem_common_class_init: PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_DEVICE_ID_IVSHMEM, revision 1, PCI_CLASS_MEMORY_RAM. */
const VENDOR = 0x1af4;
const DEVICE = 0x1110;
const REVISION = 0x01;
const CLASS_MEMORY_RAM = 0x0500;
/** IVSHMEM_REG_BAR_SIZE */
const REG_BAR_SIZE = 0x100;
const MSIX_BAR = 1;
const SHM_BAR = 2;
/** The text of the migration blocker ivshmem_common_realize adds when the device is not master. */
export const IVSHMEM_PEER_BLOCKER = "Migration is disabled when using feature 'peer mode' in device 'ivshmem'";

/** The device as QEMU builds it around a shared-memory region of `shmSize` bytes. */
export function buildIvshmem(driver: string, ctx: BuildContext, shmSize: number): BuiltDevice {
  const notes: string[] = [];
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_MEMORY_RAM, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.CONFIG_SPACE_SIZE);
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY, REG_BAR_SIZE, 'ivshmem registers');
  if (driver === 'ivshmem-doorbell') {
    msixInitExclusiveBar(cs, propNumber(ctx, 'vectors', 1), MSIX_BAR);
  }
  registerBar(cs, SHM_BAR, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_PREFETCH | PCI_BASE_ADDRESS.MEM_TYPE_64,
    shmSize, 'ivshmem shared memory');
  const rom = addOptionRom(cs, ctx, undefined, driver, notes);
  return { cs, notes, ramBlocks: rom ? [rom] : [] };
}

/** master=auto is on for the first peer (vm_id 0): always for plain, whose vm_id is never set (ivshmem_common_realize). */
function isMaster(driver: string, master: string | undefined): boolean | undefined {
  if (master === 'auto') return driver === 'ivshmem-plain' ? true : undefined;
  return master === 'on';
}

/** ivshmem_plain_realize, then ivshmem_common_realize over the described backend. */
function build(driver: string, ctx: BuildContext): BuiltDevice {
  if (driver === 'ivshmem-doorbell') {
    throw new NotModelledError(`ivshmem-doorbell: BAR2 and its RAM block are as large as the shared memory the ivshmem server on chardev "${propValue(ctx, 'chardev') ?? '?'}" hands over (ivshmem-server -l), which a description does not carry; modelled from QEMU's source, not probed (Debian ships no ivshmem-server)`);
  }
  const memdev = propValue(ctx, 'memdev');
  if (memdev === undefined) throw new RealizeError("You must specify a 'memdev'");
  // host_memory_backend_is_mapped: a device created earlier maps this backend already.
  if (ctx.memdev?.busy) throw new RealizeError(`can't use already busy memdev: ${memdev}`);
  const size = ctx.memdev?.size;
  if (size === undefined) {
    throw new NotModelledError(`ivshmem-plain: BAR2 and its RAM block are as large as memory backend "${memdev}", which the description does not describe: add it to memoryBackends (or give its -object line)`);
  }
  // pci_register_bar asserts a power-of-two size: QEMU aborts at start.
  if (!Number.isInteger(Math.log2(size))) throw new RealizeError("pci_register_bar: Assertion `is_power_of_2(size)' failed");
  const built = buildIvshmem(driver, ctx, size);
  built.notes.push(`BAR2 and RAM block "${memdev}": ${size} bytes (memory backend "${memdev}")`);
  // The backend's block exists before the device's ROM (the -object is created first).
  return { ...built, ramBlocks: [{ name: memdev, size }, ...(built.ramBlocks ?? [])] };
}

function ivshmemModel(driver: string): DeviceModel {
  return {
    drivers: [driver],
    families: ['pci-device', 'ivshmem'],
    // Each type has its own vmsd, named after the type: 0000:00:SS.F/ivshmem-plain, …/ivshmem-doorbell.
    sectionName: driver,
    configField: 'parent_obj',
    typeChain: () => pciTypeChain('ivshmem', driver),
    // Not master: realize adds the blocker, and the source refuses the migrate command with its text.
    addedBlocker: (props: PropertyValues): AddedBlocker => ({
      message: IVSHMEM_PEER_BLOCKER,
      condition: `master=${props.get('master')?.value ?? 'off'}: ivshmem_common_realize adds a migration blocker (peer mode)`,
      applies: isMaster(driver, props.get('master')?.value ?? 'off') === false,
    }),
    // ivshmem_pre_load: a destination that is not master refuses the section (vmsd version 0, minimum 0).
    preLoad: {
      versionId: 0, minimumVersionId: 0,
      refuses: (props) => (isMaster(driver, props.get('master')?.value ?? 'off') === false ? "'peer' devices are not migratable" : undefined),
    },
    build,
  };
}

export const ivshmemPlain = ivshmemModel('ivshmem-plain');
export const ivshmemDoorbell = ivshmemModel('ivshmem-doorbell');
