import { spawn, spawnSync } from "node:child_process";
import { ConfigurationError } from "../errors";
import { msg } from "../messages";

/** Runs git in `root`; a failure is a configuration error that says to run inside the checkout. */
export function git(root: string, args: string[], input?: string): Buffer {
  const r = spawnSync("git", ["-C", root, ...args], { input, maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.toString().trim();
    throw new ConfigurationError(msg(`读取 git 历史失败（git ${args[0]}）：${why}。请在备案仓库的 git 工作目录中运行。`, `Reading the git history failed (git ${args[0]}): ${why}. Run inside the register's git checkout.`));
  }
  return r.stdout;
}

/**
 * Runs git in `root` without blocking, for calls that can overlap with other work. Never rejects:
 * the caller judges the status (null when git could not start).
 */
export function gitAsync(root: string, args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("git", ["-C", root, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", () => resolve({ status: null, out: "" }));
    child.on("close", (status) => resolve({ status, out: Buffer.concat(chunks).toString("utf8") }));
  });
}

/** Whether `root` is inside a git work tree (a register copied without .git is not). */
export function isWorkTree(root: string): boolean {
  const r = spawnSync("git", ["-C", root, "rev-parse", "--is-inside-work-tree"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "true";
}

/** Whether `ref` names a commit in the repository at `root`. */
export function hasCommit(root: string, ref: string): boolean {
  return spawnSync("git", ["-C", root, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status === 0;
}

/** Whether commit `ancestor` is `descendant` or comes before it. */
export function isAncestor(root: string, ancestor: string, descendant: string): boolean {
  return spawnSync("git", ["-C", root, "merge-base", "--is-ancestor", ancestor, descendant]).status === 0;
}

/** The commit where `a` and `b` meet, or undefined when they do not (or one names no commit). */
export function mergeBase(root: string, a: string, b: string): string | undefined {
  const r = spawnSync("git", ["-C", root, "merge-base", a, b], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
