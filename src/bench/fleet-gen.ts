/**
 * Synthetic but realistic fleets for the benchmark: virt-install-like q35
 * VMs (each PCIe device behind its own pcie-root-port, as libvirt lays them
 * out) and some i440fx ones, 5–30 devices each, on a mix of QEMU releases
 * and machine types. Deterministic: the same seed gives the same fleet.
 *
 *   node dist/bench/fleet-gen.js COUNT [SEED] > fleet.jsonl
 */
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BUILDS = [
  { qemu: '5.2.0', machines: ['5.2', '4.2', '5.1'] },
  { qemu: '7.2.22', machines: ['7.2', '6.2', '5.2', '7.1'] },
  { qemu: '10.0.13', machines: ['10.0', '9.2', '8.2', '7.2'] },
];

export function generateVm(r: () => number, n: number): object {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const build = pick(BUILDS);
  const q35 = r() < 0.85;
  const machine = `${q35 ? 'pc-q35' : 'pc-i440fx'}-${pick(build.machines)}`;
  const endpoints: { driver: string; properties: Record<string, string>; netdevQueues?: number }[] = [];
  const disks = 1 + Math.floor(r() * 10);
  for (let i = 0; i < disks; i++) endpoints.push({ driver: 'virtio-blk-pci', properties: { drive: `drive-virtio-disk${i}`, ...(r() < 0.2 ? { 'num-queues': '4' } : {}) } });
  const nics = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nics; i++) {
    const queues = r() < 0.5 ? 1 : 2 + Math.floor(r() * 3);
    endpoints.push({ driver: 'virtio-net-pci', properties: { netdev: `hostnet${i}`, mac: `52:54:00:00:${(n & 0xff).toString(16).padStart(2, '0')}:${i}`, ...(queues > 1 ? { mq: 'on', vectors: String(2 * queues + 2) } : {}) }, netdevQueues: queues });
  }
  endpoints.push({ driver: 'virtio-balloon-pci', properties: {} });
  if (r() < 0.6) endpoints.push({ driver: 'virtio-rng-pci', properties: {} });
  if (r() < 0.7) endpoints.push({ driver: 'virtio-serial-pci', properties: {} });
  if (r() < 0.3) endpoints.push({ driver: 'virtio-scsi-pci', properties: {} });
  const devices: object[] = [];
  endpoints.forEach((e, i) => {
    const bars = r() < 0.7 ? { guest: { bars: { '1': `0xfe${(i + 0x10).toString(16)}0000`, '4': `0x${(0x800000000 + i * 0x100000).toString(16)}` } } } : {};
    if (q35) {
      const port = `pci.${i + 1}`;
      devices.push({ id: port, driver: 'pcie-root-port', addr: `0x${(2 + (i >> 3)).toString(16)}.${i & 7}`,
        properties: { port: `0x${(0x10 + i).toString(16)}`, chassis: String(i + 1), ...((i & 7) === 0 ? { multifunction: 'on' } : {}) } });
      devices.push({ id: `dev${i}`, bus: port, ...e, ...bars });
    } else {
      devices.push({ id: `dev${i}`, addr: `0x${(3 + i).toString(16)}`, ...e, ...bars });
    }
  });
  return { name: `vm-${n}`, qemu: build.qemu, machine, smp: 1 + Math.floor(r() * 16), ...(r() < 0.5 ? { bootedOn: build.qemu } : {}), devices };
}

export function* generateFleet(count: number, seed = 1): Generator<string> {
  const r = rng(seed);
  for (let n = 0; n < count; n++) yield JSON.stringify(generateVm(r, n));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  let buf = '';
  for (const line of generateFleet(count, seed)) {
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      process.stdout.write(buf);
      buf = '';
    }
  }
  process.stdout.write(buf);
}
