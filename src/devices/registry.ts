/**
 * Every modelled -device driver. A driver missing here gets the verdict
 * "unknown", never "compatible".
 */
import { type DeviceModel } from './model.js';
import { virtioBlk } from './virtio-blk.js';
import { virtioNet } from './virtio-net.js';
import { virtioScsi } from './virtio-scsi.js';
import { virtioBalloon } from './virtio-balloon.js';
import { virtioSerial } from './virtio-serial.js';
import { virtioRng } from './virtio-rng.js';
import { pcieRootPort } from './pcie-root-port.js';
import { virtioInput } from './virtio-input.js';
import { virtioGpu } from './virtio-gpu.js';
import { virtioVga } from './virtio-vga.js';
import { qemuXhci } from './qemu-xhci.js';
import { vga } from './vga.js';
import { pciBridge } from './pci-bridge.js';
import { pciePciBridge } from './pcie-pci-bridge.js';
import { e1000 } from './e1000.js';
import { rtl8139 } from './rtl8139.js';
import { e1000e } from './e1000e.js';

const MODELS: DeviceModel[] = [
  virtioBlk, virtioNet, virtioScsi, virtioBalloon, virtioSerial, virtioRng, pcieRootPort,
  virtioInput, virtioGpu, virtioVga, qemuXhci, vga, pciBridge, pciePciBridge, e1000, rtl8139, e1000e,
];

let byDriver: Map<string, DeviceModel> | undefined;

export function modelFor(driver: string): DeviceModel | undefined {
  byDriver ??= new Map(MODELS.flatMap((m) => m.drivers.map((d) => [d, m] as const)));
  return byDriver.get(driver);
}
