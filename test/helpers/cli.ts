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
  options: { cwd?: string; env?: Record<string, string | undefined>; now?: Date } = {},
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
    { retryBaseMs: 1 },
  );
  return { code, stdout: out.join(""), stderr: err.join("") };
}
