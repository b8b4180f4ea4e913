import { describe, expect, it } from 'vitest';
import { createConfigSpace, getLE } from '../../src/config-space/config-space.js';
import { addCapability } from '../../src/config-space/capability.js';
import { msixExclusiveBarLayout, msixInitExclusiveBar } from '../../src/config-space/msix.js';
import { guestWrite } from '../../src/config-space/guest-write.js';

const fresh = () => createConfigSpace({ vendorId: 0x1af4, deviceId: 0x1000, revision: 0, classId: 0x0200 }, 256);

describe('pci_add_capability', () => {
  it('links each new capability at the head: 0x34 points to the last one added', () => {
    const cs = fresh();
    expect(addCapability(cs, 0x09, 0, 16, 'a')).toBe(0x40);
    expect(addCapability(cs, 0x09, 0, 20, 'b')).toBe(0x50);
    expect(cs.config[0x34]).toBe(0x50);
    expect(cs.config[0x51]).toBe(0x40);
    expect(cs.config[0x41]).toBe(0x00);
    expect(cs.config[0x06] & 0x10).toBe(0x10);
  });

  it('rounds used space to dwords: a 20-byte capability at 0x50 puts the next at 0x64', () => {
    const cs = fresh();
    addCapability(cs, 0x09, 0x50, 20, 'a');
    expect(addCapability(cs, 0x09, 0, 12, 'b')).toBe(0x40);
    expect(addCapability(cs, 0x09, 0, 4, 'c')).toBe(0x4c);
    expect(addCapability(cs, 0x09, 0, 4, 'd')).toBe(0x64);
  });

  it('makes the capability read-only and checked, the rest of 0x40..0xff writable and unchecked', () => {
    const cs = fresh();
    addCapability(cs, 0x09, 0, 16, 'a');
    expect([...cs.wmask.subarray(0x40, 0x50)]).toEqual(Array(16).fill(0));
    expect([...cs.cmask.subarray(0x40, 0x50)]).toEqual(Array(16).fill(0xff));
    expect(cs.wmask[0x50]).toBe(0xff);
    expect(cs.cmask[0x50]).toBe(0);
  });
});

describe('msix_init_exclusive_bar', () => {
  it('3 vectors: table size field 2, table at BAR1+0, PBA at BAR1+0x800, only enable/mask writable', () => {
    const cs = fresh();
    const cap = msixInitExclusiveBar(cs, 3, 1);
    expect(getLE(cs.config, cap + 2, 2)).toBe(2);
    expect(getLE(cs.config, cap + 4, 4)).toBe(0x1);
    expect(getLE(cs.config, cap + 8, 4)).toBe(0x801);
    expect(cs.wmask[cap + 2]).toBe(0);
    expect(cs.wmask[cap + 3]).toBe(0xc0);
    expect(cs.bars.find((b) => b.index === 1)?.size).toBe(4096);
  });

  it('keeps the PBA at 0x800 up to 128 vectors, then moves it; the BAR grows once table and PBA pass 4 KiB', () => {
    expect(msixExclusiveBarLayout(128)).toEqual({ barSize: 4096, pbaOffset: 2048 });
    expect(msixExclusiveBarLayout(129)).toEqual({ barSize: 4096, pbaOffset: 2064 });
    expect(msixExclusiveBarLayout(256)).toEqual({ barSize: 8192, pbaOffset: 4096 });
  });
});

describe('a guest config write (pci_default_write_config)', () => {
  it('keeps read-only bits and clears write-1-to-clear status bits', () => {
    const cs = fresh();
    cs.config[0x07] = 0x20; // REC_MASTER_ABORT (status bit 13) set by the device
    guestWrite(cs, 0x04, [0xff, 0xff, 0xff, 0xff]);
    expect(getLE(cs.config, 0x04, 2)).toBe(0x0507);
    expect(cs.config[0x07]).toBe(0x00);
    guestWrite(cs, 0x00, [0x34, 0x12]);
    expect(getLE(cs.config, 0x00, 2)).toBe(0x1af4);
  });
});
