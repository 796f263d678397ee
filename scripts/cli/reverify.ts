import path from "node:path";
import { Command } from "commander";
import { calendarDate } from "../../lib/filings/dates";
import { CONFIG_SOURCE_PATHS } from "../../lib/config/model";
import { changedBeyond, commitVerdictInputs, mainCommitsSince } from "../../lib/git/changes";
import { octokitRepository, octokitPort } from "../../lib/github/octokit";
import { recordVerdict, reverifyMain, reverifyText } from "../../lib/github/reverify";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface ReverifyOptions {
  repo: string;
  since: string;
  root: string;
  lang: string;
}

/**
 * `filing reverify`: before `pulumi up`, judge again every commit that reached main since the last
 * successful deploy (`--root`: the clone at the commit to deploy), each by the rules main had before
 * it, with live team membership. The deploy workflow runs it from the last deployed commit's code. Exit 0 when
 * every change came through a satisfied pull request; 1 otherwise, with one issue naming them.
 */
export function reverifyCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("reverify")
    .description("re-check the approvals of everything merged since the last deploy / 部署前复核审批")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--since <commit>", "the last successfully deployed commit / 上次成功部署的提交")
    .addOption(rootOption())
    .addOption(langOption())
    .action(async (options: ReverifyOptions) => {
      const lang = asLang(options.lang);
      const root = path.resolve(io.cwd, options.root);
      const commits = mainCommitsSince(root, options.since);
      const issues = await octokitRepository(repositoryFromEnv(io, options.repo, deps.retryBaseMs));
      const result = await reverifyMain(
        commits,
        issues,
        (pr) => octokitPort(pullRequestFromEnv(io, options.repo, String(pr), deps.retryBaseMs)),
        {
          inputsFor: (commit) => commitVerdictInputs(root, commit.sha, CONFIG_SOURCE_PATHS),
          changedBeyond: (commit, head, paths) => changedBeyond(root, commit.sha, head, paths),
        },
        calendarDate(io.now()),
      );
      io.stdout(reverifyText(result, lang));
      await recordVerdict(result, issues, lang);
      setExit(result.ok ? 0 : 1);
    });
}
