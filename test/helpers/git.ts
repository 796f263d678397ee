import { spawnSync } from "node:child_process";
import { tempRoot } from "./register";

/**
 * git in `repo` with a fixed identity (and, given `date`, fixed author and commit times), for tests
 * that build a real history. Returns stdout, trimmed; a failing command throws with git's message.
 */
export function gitIn(repo: string): (args: string[], date?: string) => string {
  return (args, date) => {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.edu.cn",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.edu.cn",
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    };
    const r = spawnSync("git", ["-C", repo, ...args], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
}

/**
 * A temporary copy of the register root (filings/ and policies/) as a git repository whose `main`
 * holds it in one commit; `git(...args)` runs in it. The caller removes `repo`.
 */
export function committedRoot(message: string): { repo: string; git: (...args: string[]) => string } {
  const repo = tempRoot();
  const run = gitIn(repo);
  const git = (...args: string[]): string => run(args);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", message);
  return { repo, git };
}
