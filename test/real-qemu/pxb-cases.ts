// pxb and pxb-pcie: their -device help must list exactly the family's
// properties. The expander function itself is not modelled (unknown), so
// there are no probe cases; devices behind expanders are checked by real
// migrations in test/real-qemu/pxb.test.ts.
import { type FamilyCases } from './cases.js';

export const PXB_CASES: FamilyCases = { family: 'pxb', drivers: ['pxb', 'pxb-pcie'], probes: [], flips: [] };
