// What the benchmark reports share: the machine they ran on and the nearest-rank percentile.
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

/** The machine and moment a benchmark ran on, for its report: read at start, before any load. */
export function describeMachine() {
  return {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? "unknown",
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    node: process.version,
    date: new Date().toISOString(),
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
