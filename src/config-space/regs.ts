/**
 * PCI spec register offsets and bits, named as in the PCI spec and
 * QEMU's include/standard-headers/linux/pci_regs.h.
 */
export const PCI = {
  VENDOR_ID: 0x00,
  DEVICE_ID: 0x02,
  COMMAND: 0x04,
  STATUS: 0x06,
  REVISION_ID: 0x08,
  CLASS_PROG: 0x09,
  CLASS_DEVICE: 0x0a,
  CACHE_LINE_SIZE: 0x0c,
  LATENCY_TIMER: 0x0d,
  HEADER_TYPE: 0x0e,
  BIST: 0x0f,
  /** Header type values (low 7 bits of 0x0e). */
  HEADER_TYPE_NORMAL: 0x00,
  HEADER_TYPE_BRIDGE: 0x01,
  BASE_ADDRESS_0: 0x10,
  SUBSYSTEM_VENDOR_ID: 0x2c,
  SUBSYSTEM_ID: 0x2e,
  ROM_ADDRESS: 0x30,
  /** The expansion ROM BAR of a type-1 (bridge) header. */
  ROM_ADDRESS1: 0x38,
  CAPABILITY_LIST: 0x34,
  INTERRUPT_LINE: 0x3c,
  INTERRUPT_PIN: 0x3d,
  /** End of the type-0 header; capabilities may start here. */
  CONFIG_HEADER_SIZE: 0x40,
  CONFIG_SPACE_SIZE: 0x100,
  EXPRESS_CONFIG_SPACE_SIZE: 0x1000,
  /** BAR index of the expansion ROM in QEMU's io_regions[]. */
  ROM_SLOT: 6,
} as const;

export const PCI_COMMAND = {
  IO: 0x1,
  MEMORY: 0x2,
  MASTER: 0x4,
  SERR: 0x100,
  INTX_DISABLE: 0x400,
} as const;

export const PCI_STATUS = {
  CAP_LIST: 0x10,
  MHZ_66: 0x20,
  FAST_BACK: 0x80,
  PARITY: 0x100,
  SIG_TARGET_ABORT: 0x800,
  REC_TARGET_ABORT: 0x1000,
  REC_MASTER_ABORT: 0x2000,
  SIG_SYSTEM_ERROR: 0x4000,
  DETECTED_PARITY: 0x8000,
} as const;

/** BAR type bits (the low bits of a Base Address Register). */
export const PCI_BASE_ADDRESS = {
  SPACE_IO: 0x01,
  SPACE_MEMORY: 0x00,
  MEM_TYPE_64: 0x04,
  MEM_PREFETCH: 0x08,
} as const;

export const PCI_ROM_ADDRESS_ENABLE = 0x01;

/** Capability IDs (PCI spec, "Capability IDs"). */
export const PCI_CAP_ID = {
  PM: 0x01,
  MSI: 0x05,
  VNDR: 0x09,
  SSVID: 0x0d,
  EXP: 0x10,
  MSIX: 0x11,
} as const;

/** PCI Express extended capability IDs. */
export const PCI_EXT_CAP_ID = {
  ERR: 0x01,
  DSN: 0x03,
  ACS: 0x0d,
  ATS: 0x0f,
} as const;

/** QEMU's default subsystem IDs (pci_set_default_subsystem_id). */
export const PCI_SUBVENDOR_ID_REDHAT_QUMRANET = 0x1af4;
export const PCI_SUBDEVICE_ID_QEMU = 0x1100;
