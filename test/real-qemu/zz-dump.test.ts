import { it } from 'vitest';
import { withSession } from '../../src/qemu/session.js';
import { readConfig } from '../../src/qemu/pci-config-io.js';
import { probeDevice } from '../../src/qemu/probe.js';
import { QEMUS } from './harness.js';
const hx = (a: Uint8Array) => [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
it('dump', async () => {
  for (const q of QEMUS) {
    for (const m of ['pc', 'pc-i440fx-5.2']) {
      await withSession({ binary: q.binary, spec: { machine: m, smp: 1, args: [] } }, async (s) => {
        const c = await readConfig(s.qtest, { bus: 0, device: 1, fn: 3 }, 256);
        process.stdout.write(`D ${q.release} ${m} ${hx(c)}\n`);
      });
      await withSession({ binary: q.binary, spec: { machine: m, smp: 1, args: [] } }, async (s) => {
        const p = await probeDevice(s, { bus: 0, device: 1, fn: 3 }, 256);
        process.stdout.write(`W ${q.release} ${m} ${hx(p.wmask)}\n`);
      });
    }
  }
}, 120000);
