import { spawnSync } from "node:child_process";
import path from "node:path";
import type { DriftLook } from "../../scripts/cli/drift";
import { run } from "../../scripts/cli/main";
import { REPO } from "./register";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `filing` command in-process with captured output. GitHub retries wait 1 ms instead of
 * seconds, so a test of a persisting 5xx stays fast.
 */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; now?: Date; driftLook?: DriftLook } = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const now = options.now;
  const code = await run(
    args,
    {
      cwd: options.cwd ?? REPO,
      now: () => now ?? new Date(),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      isInteractive: false,
      env: options.env ?? {},
    },
    { retryBaseMs: 1, driftLook: options.driftLook },
  );
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** The installed `filing` command (scripts/filing.js, its loader included) as a child process. */
export function runBin(args: string[], cwd: string = REPO): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
