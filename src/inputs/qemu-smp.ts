/**
 * -smp [cpus=]N[,maxcpus=M][,sockets=S][,dies=D][,clusters=C][,cores=C][,threads=T]
 * → the vCPUs at start. QEMU (hw/core/machine-smp.c machine_parse_smp_config):
 * with cpus omitted it is maxcpus, or the product of the topology.
 */

export function parseSmp(opts: [string, string][]): number | string {
  const o = new Map(opts);
  const num = (k: string) => {
    const v = o.get(k);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(k);
    return Number(v);
  };
  try {
    const cpus = num('cpus') || undefined;
    const max = num('maxcpus') || undefined;
    const topo = ['sockets', 'dies', 'clusters', 'books', 'drawers', 'cores', 'threads'].map(num);
    const n = cpus ?? max ?? (topo.some((t) => t !== undefined) ? topo.reduce<number>((p, t) => p * (t ?? 1), 1) : 1);
    if (n < 1 || n > 4096) return `${n} vCPUs is outside 1..4096`;
    return n;
  } catch (e) {
    return `${(e as Error).message}= is not a whole number`;
  }
}
