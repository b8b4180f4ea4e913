// pvpanic-pci read as the spec; its -device help per release (it does not
// exist in 5.2, so the shared help check, which runs on every release, cannot take it).
import { describe, expect, it } from 'vitest';
import { build, buildSide, hex } from './misc-build.js';
import { deviceFamily } from '../../src/profiles/data.js';
import { propertyTable } from '../../src/devices/properties.js';
import { modelFor } from '../../src/devices/registry.js';
import { inRange } from '../../src/profiles/versions.js';
import { helpProperties, releasesUnderTest } from '../real-qemu/harness.js';

describe('pvpanic-pci', () => {
  it('on 10.0 is 1b36:0011 revision 01, class 0880, no interrupt pin, no capabilities', () => {
    const b = build('pvpanic-pci');
    expect(hex(b.cs.config, 0, 12)).toBe('36 1b 11 00 00 00 00 00 01 00 80 08');
    expect([b.cs.config[0x3d], b.cs.config[0x34]]).toEqual([0, 0]);
  });
  it('BAR0 is the 2-byte register: every address bit but bit 0 writable (wmask fe ff ff ff)', () => {
    expect(hex(build('pvpanic-pci').cs.wmask, 0x10, 4)).toBe('fe ff ff ff');
  });
  it('QEMU 5.2 has no such device: the build is refused in QEMU\'s words', () => {
    const b = buildSide('pvpanic-pci', {}, '5.2');
    expect(b).toMatchObject({ kind: 'refused', reason: "'pvpanic-pci' is not a valid device model name" });
  });
  it('events defaults to 3 on 7.2 and 7 on 10.0 (PVPANIC_SHUTDOWN added in 9.0)', () => {
    expect(build('pvpanic-pci', {}, '7.2').props.get('events')?.value).toBe('3');
    expect(build('pvpanic-pci', {}, '10.0').props.get('events')?.value).toBe('7');
  });
});

describe.runIf(releasesUnderTest().length > 0)('pvpanic-pci: -device help lists the family\'s properties', () => {
  for (const q of releasesUnderTest()) {
    it(q.version, () => {
      const real = helpProperties(q.binary, 'pvpanic-pci');
      if (!inRange(q.release, '6.0')) {
        expect(real).toEqual([]); // "Device 'pvpanic-pci' not found"
        return;
      }
      const table = propertyTable(modelFor('pvpanic-pci')!.families.map(deviceFamily), q.release);
      expect([...table.keys()].sort()).toEqual(real);
    });
  }
});
