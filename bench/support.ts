import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateRegister } from "./generate-register";

export const REPO = path.resolve(__dirname, "..");
/** The program and pack benchmarks (issues 3 and 4): both sizes on both example stacks. */
export const SIZES = [2_000, 4_000] as const;
export const STACKS = ["campus-vsphere", "campus-proxmox"] as const;

/** Generates one register root per size in a temporary folder, hands them to `use`, then removes them. */
export function withGeneratedRegisters<T>(sizes: readonly number[], prefix: string, use: (dirs: ReadonlyMap<number, string>) => T): T {
  const dirs = new Map<number, string>();
  try {
    for (const n of sizes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-${n}-`));
      generateRegister(n, dir);
      dirs.set(n, dir);
    }
    return use(dirs);
  } finally {
    for (const dir of dirs.values()) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A target line's verdict, the same words in every benchmark. */
export function verdict(met: boolean): string {
  return met ? "met" : "NOT met";
}

/** Right-aligned columns, two spaces apart, the header first. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}
