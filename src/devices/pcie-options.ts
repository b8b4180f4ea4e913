/**
 * The PCIDevice cap_present bits every PCI Express capability reads, from
 * the device's resolved properties (hw/pci/pci.c pci_props) and the
 * release: x-pcie-extcap-init, x-pcie-ext-tag (9.2+), x-pcie-lnksta-dllla
 * (which set Link Status DLLLA at init up to 5.2), x-pcie-err-unc-mask
 * (8.1+; 8.0 had the AER mask unconditionally).
 */
import { type PcieCapOptions } from '../config-space/pcie-cap.js';
import { hasBehaviour } from '../profiles/behaviour.js';
import { type BuildContext, propBool, propValue } from './model.js';

export function pcieCapOptionsOf(ctx: BuildContext): PcieCapOptions {
  return {
    // Where a release dropped x-pcie-extcap-init, the behaviour stayed on.
    extcapInit: propBool(ctx, 'x-pcie-extcap-init', true),
    extTag: propBool(ctx, 'x-pcie-ext-tag'),
    lnkstaDllla: hasBehaviour(ctx.release, 'pcie-lnksta-dllla-at-init') && propBool(ctx, 'x-pcie-lnksta-dllla', true),
  };
}

/** QEMU_PCIE_ERR_UNC_MASK: the AER Uncorrectable Error Mask register is implemented. */
export function aerUncMaskOf(ctx: BuildContext): boolean {
  return propValue(ctx, 'x-pcie-err-unc-mask') !== undefined
    ? propBool(ctx, 'x-pcie-err-unc-mask')
    : hasBehaviour(ctx.release, 'aer-uncor-mask-unconditional');
}
