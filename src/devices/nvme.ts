/**
 * nvme, QEMU's NVM Express controller. QEMU: nvme_check_params /
 * nvme_check_constraints (5.2) and nvme_init_pci (hw/nvme/ctrl.c;
 * hw/block/nvme.c in 5.2): interrupt pin A, prog-if 02, the Red Hat IDs
 * (or Intel's with use-intel-id), then in this order: PCI PM at 0x60
 * (7.1+), the PCI Express endpoint capability v2 at 0x80 with FLR (7.1+),
 * BAR0 (registers and doorbells, and from 6.0 the MSI-X table and PBA),
 * MSI-X at the first free space (0x40), error reporting enables (9.1+,
 * pcie_cap_deverr_init), the CMB as BAR2 when cmb_size_mb is set. Where
 * the layout changed between releases is data (device-profiles/devices/
 * nvme.json "layouts"); a release no layout covers is not modelled.
 *
 * The type implements only INTERFACE_PCIE_DEVICE: 4096 bytes of config
 * space on every bus. Up to 10.2 its vmsd is .unmigratable: the source
 * refuses to start a migration (check/blockers.ts); 11.x migrates it with
 * state not modelled here.
 */
import { createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { addPmCapability, PCI_PM_CTRL, PCI_PM_CTRL_NO_SOFT_RESET, PCI_PM_CTRL_STATE_MASK, PCI_PM_PMC } from '../config-space/pm.js';
import { msixInit, msixInitExclusiveBar, MSIX_MAX_ENTRIES } from '../config-space/msix.js';
import { pcieCapDeverrInit, pcieCapFlrInit, pcieEndpointCapInit } from '../config-space/pcie-cap.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily, type DeviceFamily } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { pcieCapOptionsOf } from './pcie-options.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber, propValue } from './model.js';

/** What nvme_init_pci does in a range of releases (nvme.json "layouts"). */
interface NvmeLayout {
  since: string;
  until?: string;
  /** nvme_add_pm_capability at 0x60. */
  pm: boolean;
  /** pcie_cap_flr_init. */
  flr: boolean;
  /** pcie_cap_deverr_init. */
  deverr: boolean;
  /** MSI-X table and PBA inside BAR0 (nvme_mbar_size) unless msix-exclusive-bar. */
  msixInBar0: boolean;
  /** The release has the msix-exclusive-bar property. */
  exclusiveBarProperty: boolean;
  source: string;
}

/** PCI_VENDOR_ID_REDHAT / PCI_DEVICE_ID_REDHAT_NVME; PCI_VENDOR_ID_INTEL / PCI_DEVICE_ID_INTEL_NVME. */
const REDHAT = { vendor: 0x1b36, device: 0x0010 };
const INTEL = { vendor: 0x8086, device: 0x5845 };
const REVISION = 0x02;
const CLASS_STORAGE_EXPRESS = 0x0108;
const PROG_NVME = 0x02;
const PM_CAP = 0x60;
const EXP_CAP = 0x80;
/** PCI_PM_CAP_VER_1_2 */
const PM_PMC_VER_1_2 = 0x0003;
/** sizeof(NvmeBar): the controller registers before the doorbells. */
const NVME_BAR_SIZE = 0x1000;
/** NVME_DB_SIZE: one submission and one completion doorbell per queue pair. */
const DB_SIZE = 4;
/** NVME_MAX_IOQPAIRS */
const MAX_IOQPAIRS = 0xffff;
const MSIX_ENTRY_SIZE = 16;
const CMB_BIR = 2;
const MSIX_EXCLUSIVE_BIR = 4;
const KIB = 1024;
const MIB = 1024 * 1024;

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;
const pow2ceil = (n: number) => 2 ** Math.ceil(Math.log2(n));

/**
 * QEMU: nvme_mbar_size — registers and doorbells; with MSI-X vectors the
 * table at the next 4 KiB and the PBA at the 4 KiB after it; the whole a
 * power of two. Returns the BAR size and the table and PBA offsets.
 */
export function nvmeMbarSize(totalQueues: number, totalIrqs: number): { size: number; table: number; pba: number } {
  let size = NVME_BAR_SIZE + 2 * totalQueues * DB_SIZE;
  if (totalIrqs === 0) return { size: pow2ceil(size), table: 0, pba: 0 };
  size = alignUp(size, 4 * KIB);
  const table = size;
  size = alignUp(size + MSIX_ENTRY_SIZE * totalIrqs, 4 * KIB);
  const pba = size;
  size += alignUp(totalIrqs, 64) / 8;
  return { size: pow2ceil(size), table, pba };
}

function layoutFor(release: string): NvmeLayout {
  const fam = deviceFamily('nvme') as DeviceFamily & { layouts: NvmeLayout[] };
  const l = fam.layouts.find((x) => inRange(release, x.since, x.until));
  if (!l) throw new NotModelledError(`nvme's config space on QEMU ${release} is not modelled (modelled: ${fam.layouts.map((x) => (x.until && x.until !== x.since ? `${x.since}-${x.until}` : x.until ? x.since : `${x.since}+`)).join(', ')})`);
  return l;
}

interface NvmeMigration { since?: string; until?: string; kind: 'blocked' | 'unmodelled'; why: string }

/** nvme.json "migration": unmigratable up to 10.2, migrating with unmodelled state from 11.0. */
function migrationFor(release: string): { kind: 'blocked' | 'unmodelled'; why: string } | undefined {
  const fam = deviceFamily('nvme') as DeviceFamily & { migration: NvmeMigration[] };
  const m = fam.migration.find((x) => inRange(release, x.since, x.until));
  return m && { kind: m.kind, why: m.why };
}

/** Properties whose effect is not modelled: a memory backend, a subsystem, SR-IOV, SPDM. */
function refuseUnmodelled(ctx: BuildContext): void {
  for (const name of ['pmrdev', 'subsys']) {
    if (propValue(ctx, name)) throw new NotModelledError(`nvme ${name}= is not modelled`);
  }
  for (const name of ['sriov_max_vfs', 'spdm_port']) {
    if (propNumber(ctx, name, 0) !== 0) throw new NotModelledError(`nvme ${name}=${propValue(ctx, name)} is not modelled`);
  }
}

/** QEMU: nvme_check_params — the checks that refuse realize for the properties modelled here. */
function ioQueuePairs(ctx: BuildContext): number {
  const numQueues = propNumber(ctx, 'num_queues', 0);
  const qpairs = numQueues ? numQueues - 1 : propNumber(ctx, 'max_ioqpairs', 64);
  if (qpairs < 1 || qpairs > MAX_IOQPAIRS) throw new RealizeError(`max_ioqpairs must be between 1 and ${MAX_IOQPAIRS}`);
  const qsize = propNumber(ctx, 'msix_qsize', 65);
  if (qsize < 1 || qsize > MSIX_MAX_ENTRIES) throw new RealizeError(`msix_qsize must be between 1 and ${MSIX_MAX_ENTRIES}`);
  if (!propValue(ctx, 'serial')) throw new RealizeError('serial property not set');
  return qpairs;
}

function buildNvme(ctx: BuildContext): BuiltDevice {
  const layout = layoutFor(ctx.release);
  refuseUnmodelled(ctx);
  const exclusiveSet = ctx.props.get('msix-exclusive-bar');
  if (!layout.exclusiveBarProperty && exclusiveSet && exclusiveSet.source !== 'default') {
    throw new NotModelledError(`nvme msix-exclusive-bar does not exist in QEMU ${ctx.release}`);
  }
  const qpairs = ioQueuePairs(ctx);
  const qsize = propNumber(ctx, 'msix_qsize', 65);
  const notes: string[] = [];
  const ids = propBool(ctx, 'use-intel-id') ? INTEL : REDHAT;
  const cs = createConfigSpace({
    vendorId: ids.vendor, deviceId: ids.device, revision: REVISION, classId: CLASS_STORAGE_EXPRESS, progIf: PROG_NVME,
    multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  if (layout.pm) {
    // nvme_add_pm_capability: PM 1.2, No_Soft_Reset; only the power state is writable.
    const pm = addPmCapability(cs, PM_CAP);
    setLE(cs.config, pm + PCI_PM_PMC, 2, PM_PMC_VER_1_2);
    setLE(cs.config, pm + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET);
    setLE(cs.wmask, pm + PCI_PM_CTRL, 2, PCI_PM_CTRL_STATE_MASK);
  }
  const exp = pcieEndpointCapInit(cs, { onRootBus: ctx.bus.express && ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  if (layout.flr) pcieCapFlrInit(cs, exp);
  const mem64 = PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64;
  const exclusive = !layout.msixInBar0 || propBool(ctx, 'msix-exclusive-bar');
  if (exclusive) {
    const bar0 = nvmeMbarSize(qpairs + 1, 0).size;
    registerBar(cs, 0, mem64, bar0, 'NVMe registers and doorbells');
    msixInitExclusiveBar(cs, qsize, MSIX_EXCLUSIVE_BIR);
    notes.push(`BAR0 ${bar0 / KIB} KiB for ${qpairs} I/O queue pairs; MSI-X (${qsize} vectors) in BAR4`);
  } else {
    const bar0 = nvmeMbarSize(qpairs + 1, qsize);
    registerBar(cs, 0, mem64, bar0.size, 'NVMe registers, doorbells, MSI-X table and PBA');
    msixInit(cs, qsize, 0, bar0.table, 0, bar0.pba);
    notes.push(`BAR0 ${bar0.size / KIB} KiB: ${qpairs} I/O queue pairs, MSI-X table (${qsize} vectors) at 0x${bar0.table.toString(16)}, PBA at 0x${bar0.pba.toString(16)}`);
  }
  if (layout.deverr) pcieCapDeverrInit(cs, exp);
  const cmb = propNumber(ctx, 'cmb_size_mb', 0);
  if (cmb) registerBar(cs, CMB_BIR, mem64 | PCI_BASE_ADDRESS.MEM_PREFETCH, cmb * MIB, `NVMe Controller Memory Buffer (${cmb} MiB)`);
  const rom = addOptionRom(cs, ctx, undefined, 'nvme', notes);
  // Where nvme migrates (11.x), its state holds per-queue entries: another queue count on the
  // destination desynchronises the section (seen on 11.1.3: "Missing section footer"). The rest
  // of that state is not modelled (check/blockers.ts keeps such a device from "compatible").
  const streamShape = migrationFor(ctx.release)?.kind === 'unmodelled' ? { 'queues (max_ioqpairs + 1)': qpairs + 1 } : undefined;
  return { cs, notes, ramBlocks: rom ? [rom] : [], streamShape };
}

export const nvme: DeviceModel = {
  drivers: ['nvme'],
  families: ['pci-device', 'nvme'],
  sectionName: 'nvme',
  configField: 'parent_obj',
  migrationBlocker: (release, props) => {
    const m = migrationFor(release);
    // Seen on 11.1.3: migrating a controller without a namespace crashes the source (SIGSEGV).
    if (m?.kind === 'unmodelled' && !props.get('drive')?.value) {
      return { kind: 'source-fails', why: `QEMU ${release} migrates nvme, and 11.1.3's source QEMU crashed (SIGSEGV) in the device phase for a controller without a namespace (no drive=); not modelled exactly` };
    }
    return m;
  },
  typeChain: () => deviceFamily('nvme').typeChains.pci,
  build: (_driver, ctx) => buildNvme(ctx),
};
