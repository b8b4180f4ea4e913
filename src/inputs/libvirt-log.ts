/**
 * A libvirt /var/log/libvirt/qemu/VM.log: each start appends a header
 * "… starting up libvirt version: 9.0.0, package: …, qemu version: 7.2.22Debian …"
 * then the environment and the command, one option per line joined by
 * backslash-newline (libvirt: qemuProcessLaunch → virCommandWriteArgLog).
 * The last start is the one running now.
 */
export interface LogCommand {
  command: string;
  /** Line number of the command's first line in the log. */
  firstLine: number;
  /** "7.2.22" from the header, when it names the QEMU version. */
  qemu?: string;
  libvirt?: string;
}

const MARK = 'starting up libvirt version:';
const HEADER = /^starting up libvirt version:\s*([^,\n]*)(?:,[^\n]*?qemu version:\s*(\d+\.\d+(?:\.\d+)?))?[^\n]*\n/;

export function extractLogCommand(text: string): LogCommand | undefined {
  // Found from the end with one regex run: a global regex over the text was quadratic on a long
  // line of markers with no newline (a 4 MiB line hung; found by test/fuzz).
  // A header is a whole line: the last marker before the last newline starts it.
  const index = text.lastIndexOf(MARK, text.lastIndexOf('\n'));
  if (index < 0) return undefined;
  const last = HEADER.exec(text.slice(index, text.indexOf('\n', index) + 1));
  if (!last) return undefined;
  const start = index + last[0].length;
  const lines = text.slice(start).split('\n');
  let n = 0;
  while (n < lines.length && lines[n].endsWith('\\')) n++;
  const command = lines.slice(0, n + 1).join('\n');
  const firstLine = text.slice(0, start).split('\n').length;
  return { command, firstLine, qemu: last[2], libvirt: last[1].trim() || undefined };
}
