// PCI bus/device/function addresses, as plain data, with the "BB:DD.F"
// spelling lspci and QEMU's own error messages use ("0000:00:0b.0/virtio-blk").

export interface Bdf {
  readonly bus: number; // 0..255
  readonly device: number; // 0..31 (QEMU calls it "slot")
  readonly fn: number; // 0..7
}

export function bdf(bus: number, device: number, fn = 0): Bdf {
  if (!isInt(bus, 0xff) || !isInt(device, 0x1f) || !isInt(fn, 7)) {
    throw new RangeError(`invalid PCI address ${bus}:${device}.${fn}`);
  }
  return { bus, device, fn };
}

/** Parse "00:0b.0" or "0000:00:0b.0" (domain must be 0: QEMU x86 has one). */
export function parseBdf(text: string): Bdf {
  const m = /^(?:(0{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(text.trim());
  if (!m) throw new RangeError(`not a PCI address: '${text}'`);
  return bdf(Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16), Number.parseInt(m[4]!, 10));
}

export function formatBdf(a: Bdf): string {
  const h2 = (n: number) => n.toString(16).padStart(2, "0");
  return `${h2(a.bus)}:${h2(a.device)}.${a.fn}`;
}

/** devfn as QEMU's `addr=` property and the "qdev path" use it: device<<3 | fn. */
export function devfn(a: Bdf): number {
  return (a.device << 3) | a.fn;
}

function isInt(n: number, max: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= max;
}
