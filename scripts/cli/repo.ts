import { UsageError } from "../../lib/errors";
import { msg } from "../../lib/messages";
import type { OctokitOptions, RepositoryOptions } from "../../lib/github/octokit";
import type { CliIo } from "./io";

const DEFAULT_API = "https://api.github.com";

/** `--repo OWNER/NAME` → its parts, or a usage error saying the expected form. */
export function parseRepo(value: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!m) throw new UsageError(msg(`--repo 应写作 所有者/仓库名，收到 "${value}"。`, `--repo must be OWNER/NAME, got "${value}".`));
  return { owner: m[1]!, repo: m[2]! };
}

/**
 * The repository `--repo` names, reached as the environment says: token from GITHUB_TOKEN, API from
 * GITHUB_API_URL (GitHub Enterprise Server), github.com's by default.
 */
export function repositoryFromEnv(io: CliIo, repo: string, retryBaseMs?: number): RepositoryOptions {
  return { ...parseRepo(repo), token: io.env.GITHUB_TOKEN, baseUrl: io.env.GITHUB_API_URL || DEFAULT_API, retryBaseMs };
}

/** One pull request of that repository; team lookups use FILINGS_TEAMS_TOKEN when it is set. */
export function pullRequestFromEnv(io: CliIo, repo: string, pr: string, retryBaseMs?: number): OctokitOptions {
  const number = Number(pr);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(msg(`--pr 应为正整数，收到 "${pr}"。`, `--pr must be a positive integer, got "${pr}".`));
  return { ...repositoryFromEnv(io, repo, retryBaseMs), number, teamsToken: io.env.FILINGS_TEAMS_TOKEN || undefined };
}
