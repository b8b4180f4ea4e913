// ivshmem-plain against real QEMU, over described memory backends (the
// harness starts each as described: memory-backend-ram/file with its size).
// ivshmem-doorbell is not probed: realize waits for an ivshmem-server,
// which Debian does not ship (device-profiles/devices/ivshmem.json).
import { type DeviceCase, type FamilyCases } from './cases.js';

const p = 'ivshmem-plain';
const MiB = 1024 * 1024;
const ram = (size: number | string) => ({ m0: { type: 'memory-backend-ram', size, share: true } });
const on = { memdev: 'm0', master: 'on' };

export const IVSHMEM_CASES: FamilyCases = {
  family: 'ivshmem',
  drivers: ['ivshmem-plain', 'ivshmem-doorbell'],
  probes: [
    { driver: p, properties: on, memoryBackends: ram('1M') },
    { driver: p, properties: on, memoryBackends: ram(4 * MiB), placements: ['i440fx', 'q35-root'] },
    { driver: p, properties: on, memoryBackends: ram('64M'), placements: ['i440fx', 'q35-root'] },
    // 1 GiB: BAR2's writable bits start at bit 30 (wmask 00 00 00 c0 ff ff ff ff).
    { driver: p, properties: on, memoryBackends: ram('1G'), placements: ['i440fx'] },
    { driver: p, properties: { memdev: 'm0', master: 'off', multifunction: 'on' }, memoryBackends: ram('1M'), placements: ['i440fx'] },
    { driver: p, properties: { memdev: 'm0', master: 'auto' }, memoryBackends: { m0: { type: 'memory-backend-file', size: '2M', share: true } }, placements: ['q35-root'] },
    // Not a power of two: pci_register_bar's assertion stops QEMU at start.
    { driver: p, properties: on, memoryBackends: ram('3M'), placements: ['i440fx'] },
  ] satisfies DeviceCase[],
  flips: [
    { name: 'ivshmem-plain backend 1 MiB → 4 MiB (RAM block size)', placement: 'i440fx', driver: p, src: on, dst: on, memoryBackends: ram('1M'), dstMemoryBackends: ram('4M') },
    { name: 'ivshmem-plain backend 64 MiB → 1 MiB', placement: 'q35-root', driver: p, src: on, dst: on, memoryBackends: ram('64M'), dstMemoryBackends: ram('1M') },
    { name: 'ivshmem-plain master on → off (destination pre_load refuses)', placement: 'i440fx', driver: p, src: on, dst: { memdev: 'm0', master: 'off' }, memoryBackends: ram('1M') },
    { name: 'ivshmem-plain master off → on (the source refuses: peer mode blocker)', placement: 'i440fx', driver: p, src: { memdev: 'm0' }, dst: on, memoryBackends: ram('1M') },
    { name: 'ivshmem-plain master auto on both (plain is master)', placement: 'q35-root', driver: p, src: { memdev: 'm0', master: 'auto' }, dst: { memdev: 'm0', master: 'auto' }, memoryBackends: ram('4M') },
    {
      name: 'ivshmem-plain memdev m0 → m1 on the destination (RAM block renamed)', placement: 'i440fx', driver: p, src: on, dst: { memdev: 'm1', master: 'on' },
      memoryBackends: ram('1M'), dstMemoryBackends: { m1: { type: 'memory-backend-ram', size: '1M', share: true } },
    },
    {
      name: 'ivshmem-plain backend ram → file of the same size', placement: 'i440fx', driver: p, src: on, dst: on,
      memoryBackends: ram('4M'), dstMemoryBackends: { m0: { type: 'memory-backend-file', size: 4 * MiB, share: true } },
    },
    { name: 'ivshmem-plain only on the source (its RAM block is unknown first)', placement: 'i440fx', driver: p, src: on, memoryBackends: ram('1M'), dstAbsent: true },
    { name: 'ivshmem-plain at another slot (RAM block path changes)', placement: 'i440fx', driver: p, src: on, dst: on, memoryBackends: ram('1M'), dstAddr: '0x6' },
    { name: 'identical ivshmem-plain, 64 MiB', placement: 'i440fx', driver: p, src: on, dst: on, memoryBackends: ram('64M') },
  ],
};
