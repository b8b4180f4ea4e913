// Split a byte stream into text lines. All three QEMU channels we read are
// line protocols: qtest replies, QMP JSON messages (one per line) and stderr.

import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * Call onLine for every complete line of `stream` (without the line ending).
 * A last line without a newline is delivered when the stream ends.
 */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const feed = (text: string): void => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, "");
      pending = pending.slice(nl + 1);
      onLine(line);
    }
  };
  stream.on("data", (chunk: Buffer | string) => {
    feed(typeof chunk === "string" ? chunk : decoder.write(chunk));
  });
  stream.on("end", () => {
    feed(decoder.end());
    if (pending !== "") {
      const last = pending;
      pending = "";
      onLine(last);
    }
  });
}
