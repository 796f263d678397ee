import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A child process whose output is collected, awaited without blocking the test worker: a long
 * `pulumi up` under spawnSync kept vitest's worker from answering its runner and failed the run.
 * `child` is there for a test that must signal it.
 */
export function started(command: string, args: readonly string[], options: SpawnOptions = {}): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** `started(...)`, awaited. */
export const finished = (command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Finished> => started(command, args, options).done;

/**
 * Kills what is left of a killed run: Pulumi starts its plugins in process groups of their own, so
 * killing the CLI's group leaves them running, listening on loopback for an engine that is gone.
 * Finds them by a `NAME=value` their environment holds (Linux: /proc).
 */
export function killLeftovers(envEntry: string): void {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(envEntry)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already, or not ours to read
    }
  }
}
