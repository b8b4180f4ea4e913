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

const MODELS: DeviceModel[] = [virtioBlk, virtioNet, virtioScsi, virtioBalloon, virtioSerial, virtioRng, pcieRootPort];

let byDriver: Map<string, DeviceModel> | undefined;

export function modelFor(driver: string): DeviceModel | undefined {
  byDriver ??= new Map(MODELS.flatMap((m) => m.drivers.map((d) => [d, m] as const)));
  return byDriver.get(driver);
}
