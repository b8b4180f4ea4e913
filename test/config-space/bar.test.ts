import { describe, expect, it } from 'vitest';
import { createConfigSpace, getLE } from '../../src/config-space/config-space.js';
import { registerBar } from '../../src/config-space/bar.js';
import { guestWriteValue } from '../../src/config-space/guest-write.js';
import { badConfigMessage, failingBytes } from '../../src/config-space/load-check.js';

const fresh = () => createConfigSpace({ vendorId: 0x1af4, deviceId: 0x1001, revision: 0, classId: 0x0100 }, 256);

describe('pci_register_bar', () => {
  it('an I/O BAR of 64 bytes: byte 0x10 is 01, wmask ffffffc0, all four bytes checked', () => {
    const cs = fresh();
    registerBar(cs, 0, 0x01, 64, 'legacy');
    expect(cs.config[0x10]).toBe(0x01);
    expect(getLE(cs.wmask, 0x10, 4)).toBe(0xffffffc0);
    expect(getLE(cs.cmask, 0x10, 4)).toBe(0xffffffff);
  });

  it('an I/O BAR of 128 bytes makes bit 6 read-only: byte 0x10 wmask 80', () => {
    const cs = fresh();
    registerBar(cs, 0, 0x01, 128, 'legacy');
    expect(cs.wmask[0x10]).toBe(0x80);
  });

  it('a 64-bit prefetchable BAR4 of 16 KiB spans 0x20..0x27 with type 0x0c', () => {
    const cs = fresh();
    registerBar(cs, 4, 0x0c, 0x4000, 'modern');
    expect(cs.config[0x20]).toBe(0x0c);
    expect([...cs.wmask.subarray(0x20, 0x28)]).toEqual([0x00, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect([...cs.cmask.subarray(0x20, 0x28)]).toEqual(Array(8).fill(0xff));
  });

  it('the ROM BAR keeps its enable bit writable', () => {
    const cs = fresh();
    registerBar(cs, 6, 0, 0x40000, 'rom');
    expect(getLE(cs.wmask, 0x30, 4)).toBe(0xfffc0001);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => registerBar(fresh(), 0, 1, 96, 'x')).toThrow(/power of two/);
  });
});

describe('the seed: BAR0 grown from 64 to 128 bytes', () => {
  it('a guest address 0xffc0 fails at i=0x10 with QEMU\'s exact text; 0xd080 passes', () => {
    const src = fresh();
    registerBar(src, 0, 0x01, 64, 'legacy');
    const dst = fresh();
    registerBar(dst, 0, 0x01, 128, 'legacy');
    guestWriteValue(src, 0x10, 4, 0xffc0n);
    expect(src.config[0x10]).toBe(0xc1);
    const [first] = failingBytes(src.config, dst);
    expect(badConfigMessage(first)).toBe(
      'get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0');
    guestWriteValue(src, 0x10, 4, 0xd080n);
    expect(failingBytes(src.config, dst)).toEqual([]);
  });
});
