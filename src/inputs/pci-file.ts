/**
 * --src-pci FILE: QMP query-pci JSON, HMP `info pci` text or a guest's
 * `lspci -xxx` dump, told apart by content.
 */
import { InputError } from './errors.js';
import { parseJsonInput, readInput } from './read.js';
import { type PciListing } from './pci-listing.js';
import { parseQueryPci } from './query-pci.js';
import { parseInfoPci } from './info-pci.js';
import { parseLspci } from './lspci-dump.js';

export function loadPciListing(file: string): PciListing {
  const text = readInput(file);
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    return parseQueryPci(parseJsonInput(text, file), file);
  }
  if (/Bus\s+\d+,\s*device\s+\d+,\s*function\s+\d+:/.test(text)) return parseInfoPci(text, file);
  if (/^(?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\s/im.test(text)) return parseLspci(text, file);
  throw new InputError(file, 'line 1', 'not a PCI listing: expected query-pci JSON, `info pci` text or `lspci -xxx` output');
}
