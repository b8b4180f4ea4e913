/**
 * The PCI functions the pc and q35 machines create themselves (no -device
 * line): the i440FX host bridge (00:00.0) and PIIX3 PCI-to-ISA bridge
 * (00:01.0) of pc; the q35 MCH (00:00.0), ICH9 LPC bridge (00:1f.0) and
 * ICH9 SMBus controller (00:1f.3). q35's SATA controller (00:1f.2) is an
 * ordinary ich9-ahci, built by its own -device model (check/builtin-devices.ts).
 *
 * Only the header is compared on load for these (they have no
 * capabilities: pci_init_cmask); the chipset registers past 0x40 (PAM,
 * SMRAM, PCIEXBAR, PIRQ routing, PMBASE …) are writable and unchecked, so
 * what firmware wrote there never fails a migration. They are modelled at
 * their reset values so the bytes equal what a guest reads.
 */
import { type ConfigSpace, createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { inRange } from '../profiles/versions.js';

const PCI_VENDOR_ID_INTEL = 0x8086;
const PCI_CLASS_BRIDGE_HOST = 0x0600;
const PCI_CLASS_BRIDGE_ISA = 0x0601;
const PCI_CLASS_SERIAL_SMBUS = 0x0c05;
/** PCI_STATUS_DEVSEL_MEDIUM, which piix_reset writes into Status. */
const STATUS_DEVSEL_MEDIUM = 0x0200;

/** A chipset function as the machine creates it: its config space and where its migration section names the PCIDevice. */
export interface ChipsetFunction {
  cs: ConfigSpace;
  /** The vmsd's name ("I440FX"), which with the PCI path names the section. */
  vmsd: string;
  /** VMSTATE_PCI_DEVICE's field in that vmsd. */
  configField: string;
}

/**
 * i440fx_realize and i440fx_pcihost_realize (hw/pci-host/i440fx.c): Intel
 * 82441 (8086:1237) revision 2, host bridge; SMRAM (0x72) at 0x02; 0x57 the
 * RAM size in 8 MiB units (capped at 255) for old coreboot.
 */
export function buildI440fx(memoryMiB: number): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x1237, revision: 0x02, classId: PCI_CLASS_BRIDGE_HOST }, PCI.CONFIG_SPACE_SIZE);
  cs.config[0x72] = 0x02; // I440FX_SMRAM
  cs.config[0x57] = Math.min(255, Math.floor(memoryMiB / 8)); // I440FX_COREBOOT_RAM_SIZE
  return { cs, vmsd: 'I440FX', configField: 'parent_obj' };
}

/**
 * PIIX3 (hw/isa/piix3.c up to 8.1, hw/isa/piix.c after): Intel 82371SB
 * (8086:7000) PCI-to-ISA bridge, created multi-function at 00:01.0 by
 * pc_init1 (pci_new_multifunction); piix_reset's register defaults — PIRQ
 * routing 0x60-0x63 disabled (0x80), and the rest of the list; Status
 * DEVSEL medium. The reset's Command 0x07 is cleared again by the PCI
 * reset that follows (pci_do_device_reset).
 */
export function buildPiix3(): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x7000, revision: 0, classId: PCI_CLASS_BRIDGE_ISA, multifunction: true }, PCI.CONFIG_SPACE_SIZE);
  const c = cs.config;
  setLE(c, PCI.STATUS, 2, STATUS_DEVSEL_MEDIUM);
  const resetValues: [number, number][] = [
    [0x4c, 0x4d], [0x4e, 0x03], [0x60, 0x80], [0x61, 0x80], [0x62, 0x80], [0x63, 0x80], [0x69, 0x02], [0x70, 0x80],
    [0x76, 0x0c], [0x77, 0x0c], [0x78, 0x02], [0xa0, 0x08], [0xa8, 0x0f],
  ];
  for (const [at, v] of resetValues) c[at] = v;
  return { cs, vmsd: 'PIIX3', configField: 'dev' };
}

/**
 * PIIX4_PM, pc's ACPI power management function at 00:01.3 (created while
 * ACPI is on, the default): piix4_pm_realize, piix4_pm_reset and
 * piix4_pm_machine_ready (hw/acpi/piix4.c) — Intel 82371AB (8086:7113)
 * revision 3, class "other bridge" (0680), interrupt pin A, Status fast
 * back-to-back and DEVSEL medium; PMBASE (0x40) 0x01; the SMBus base
 * (0x90) pc_init1's 0xb100 with its enable bit, SMBus host enable (0xd2)
 * 0x09; 0x5f and 0x67 say which parallel/serial ports exist (none here:
 * these are the values without ISA serial or parallel ports, and not
 * compared), 0x63 0x60. With SMM on (TCG's default) the 0x5b byte stays 0;
 * with smm=off piix4_pm_reset marks SMM as already initialized there (0x02):
 * a register past the header, so not compared on load.
 */
export function buildPiix4Pm(o: { smm: boolean } = { smm: true }): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x7113, revision: 0x03, classId: 0x0680 }, PCI.CONFIG_SPACE_SIZE);
  const c = cs.config;
  setLE(c, PCI.STATUS, 2, STATUS_DEVSEL_MEDIUM | 0x0080);
  c[PCI.INTERRUPT_PIN] = 1;
  c[0x40] = 0x01;
  setLE(c, 0x90, 2, 0xb100 | 1);
  c[0xd2] = 0x09;
  c[0x5f] = 0x10;
  c[0x63] = 0x60;
  if (!o.smm) c[0x5b] = 0x02;
  return { cs, vmsd: 'piix4_pm', configField: 'parent_obj' };
}

/**
 * The MCH property that reaches config space (mch_props). smbase-smram
 * (pc_compat_4_2 off) only changes what a guest's write to F_SMBASE does,
 * not the reset bytes or masks.
 */
export interface MchOptions {
  /** extended-tseg-mbytes: 16 by default, 64 from 10.2 (pc_compat_10_1 keeps 16); pc_compat_2_9 sets 0. */
  extTsegMbytes: number;
  /**
   * smm-ranges (9.1+, pc_q35_init sets it from -machine smm): without it
   * mch_reset leaves SMRAM, ESMRAMC, EXT_TSEG_MBYTES and F_SMBASE at 0 and
   * read-only. Before 9.1 the MCH has its SMRAM registers whatever smm is.
   */
  smmRanges: boolean;
}

/**
 * mch_realize and mch_reset (hw/pci-host/q35.c): Intel 82P35 MCH (8086:29c0)
 * revision 0, host bridge; PCIEXBAR (0x60) at 0xb0000000 with MMCONFIG off;
 * SMRAM (0x9d) 0x02 and ESMRAMC (0x9e) 0x38 with their writable bits;
 * EXT_TSEG_MBYTES (0x50) read back as the configured size (the reset's
 * 0xffff query is answered by mch_update_ext_tseg_mbytes); F_SMBASE (0x9c)
 * 0, writable — all only with smm-ranges (MchOptions; without it the bytes
 * stay 0 and plainly writable, as pci_init_wmask leaves everything past the
 * header). PCIEXBAR, PAM and SMRAM are what
 * firmware programs; none of them is compared on load.
 */
export function buildMch(o: MchOptions): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x29c0, revision: 0, classId: PCI_CLASS_BRIDGE_HOST }, PCI.CONFIG_SPACE_SIZE);
  setLE(cs.config, 0x60, 4, 0xb0000000); // MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT
  if (!o.smmRanges) return { cs, vmsd: 'mch', configField: 'parent_obj' };
  cs.config[0x9d] = 0x02; // MCH_HOST_BRIDGE_SMRAM_DEFAULT (C_BASE_SEG)
  cs.config[0x9e] = 0x38; // MCH_HOST_BRIDGE_ESMRAMC_DEFAULT (SM_CACHE | SM_L1 | SM_L2)
  cs.wmask[0x9d] = 0x78; // D_OPEN | D_CLS | D_LCK | G_SMRAME
  cs.wmask[0x9e] = 0x87; // H_SMRAME | TSEG_SZ | T_EN
  if (o.extTsegMbytes > 0) setLE(cs.config, 0x50, 2, o.extTsegMbytes);
  cs.wmask[0x9c] = 0xff;
  return { cs, vmsd: 'mch', configField: 'parent_obj' };
}

/**
 * ich9_lpc_realize and ich9_lpc_reset (hw/isa/lpc_ich9.c): Intel ICH9
 * (8086:2918) revision 2 (ICH9_A2_LPC_REVISION), ISA bridge, created
 * multi-function at 00:1f.0; PMBASE (0x40) 0x00000001 with its base
 * address bits and, in its low byte, ACPI_EN and the SCI IRQ select
 * writable; the eight PIRQ routing registers (0x60-0x63, 0x68-0x6b) 0x80
 * (disabled).
 */
export function buildIch9Lpc(): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x2918, revision: 0x02, classId: PCI_CLASS_BRIDGE_ISA, multifunction: true }, PCI.CONFIG_SPACE_SIZE);
  setLE(cs.config, 0x40, 4, 0x00000001); // ICH9_LPC_PMBASE_DEFAULT
  setLE(cs.wmask, 0x40, 4, 0x0000ff80); // ICH9_LPC_PMBASE_BASE_ADDRESS_MASK
  cs.wmask[0x40] = 0x80 | 0x07; // ACPI_EN | SCI_IRQ_SEL_MASK (as QEMU writes it, over PMBASE's low byte)
  for (const at of [0x60, 0x61, 0x62, 0x63, 0x68, 0x69, 0x6a, 0x6b]) cs.config[at] = 0x80; // ICH9_LPC_PIRQ_ROUT_DEFAULT
  return { cs, vmsd: 'ICH9LPC', configField: 'd' };
}

/**
 * ich9_smbus_realize (hw/i2c/smbus_ich9.c): Intel ICH9 SMBus (8086:2930)
 * revision 2, interrupt pin A, created multi-function at 00:1f.3; BAR4 the
 * pm-smbus I/O registers (64 bytes, pm_smbus_init); HOSTC (0x40) 0. Its
 * SSRESET bit (0x08) is writable but clears itself at once
 * (ich9_smbus_write_config), so a probe never sees it.
 */
export function buildIch9Smbus(): ChipsetFunction {
  const cs = createConfigSpace({ vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x2930, revision: 0x02, classId: PCI_CLASS_SERIAL_SMBUS, multifunction: true }, PCI.CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  registerBar(cs, 4, PCI_BASE_ADDRESS.SPACE_IO, 64, 'SMBus host registers (I/O)');
  return { cs, vmsd: 'ich9_smb', configField: 'dev' };
}

/** mch's extended-tseg-mbytes default in a release (before machine compat). */
export function mchExtTsegDefault(release: string): number {
  return inRange(release, '10.2') ? 64 : 16;
}

/**
 * Whether the MCH has its SMRAM registers: always before 9.1, from then only
 * with SMM on (has_smm_ranges, first in upstream v9.1.0's hw/pci-host/q35.c;
 * probed on 10.0.13 and 11.1.3).
 */
export function mchSmmRanges(release: string, smm: boolean): boolean {
  return smm || !inRange(release, '9.1');
}
