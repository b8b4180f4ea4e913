/**
 * pxb and pxb-pcie, the PCI expander bridges: a host bridge function on
 * pci.0 / pcie.0 (Red Hat 1b36:0009 / 1b36:000b, class host bridge) that
 * opens a new root bus numbered bus_nr (pxb_dev_realize_common,
 * hw/pci-bridge/pci_expander_bridge.c). The expander function has no vmsd,
 * so it has no section of its own; pxb's bus carries an internal pci-bridge
 * (chassis_nr = bus_nr, no SHPC) that is migrated but not described. What
 * compat-check does model is where everything behind an expander sits
 * (check/placement.ts: "0000:<bus_nr>:<pxb slot>:<slot>", verified on
 * 5.2.0, 7.2.22, 10.0.13 and 11.1.3), so those devices are compared with
 * the right section names; the expander itself stays unknown.
 */
import { type DeviceModel, NotModelledError, propValue } from './model.js';

export const pxb: DeviceModel = {
  drivers: ['pxb', 'pxb-pcie'],
  families: ['pci-device', 'pxb'],
  sectionName: 'pxb',
  typeChain: (driver) => [driver, 'pci-device', 'device'],
  build: (driver, ctx) => {
    const bridge = driver === 'pxb' ? ' and its internal pci-bridge (migrated, not described)' : '';
    throw new NotModelledError(`${driver} bus_nr=${propValue(ctx, 'bus_nr') ?? '0'}: the expander${bridge} is not modelled; ` +
      'the devices behind it are placed and compared by their section names');
  },
};

