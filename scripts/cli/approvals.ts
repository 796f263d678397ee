import { Command, Option } from "commander";
import { calendarDate } from "../../lib/filings/dates";
import { formatApprovalJson, formatApprovalText } from "../../lib/output/approvals";
import { checkApprovals } from "../../lib/github/check";
import { octokitIssues, octokitPort } from "../../lib/github/octokit";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface ApprovalsOptions {
  repo: string;
  pr?: string;
  headSha?: string;
  dryRun?: boolean;
  format: "text" | "json";
  lang: string;
}

/**
 * `filing approvals`: the approval check of one pull request. Exit 0 when every filing has its
 * signatures, 1 when not yet, 2 on an error (GitHub unreachable or refusing, config broken on the base
 * branch) — an error never leaves a success status behind.
 */
export function approvalsCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("approvals")
    .description("check a pull request's reviews against the approval chain / 检查 PR 的审批签字")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .option("--pr <number>", "pull request number / PR 编号")
    .option("--head-sha <sha>", "instead of --pr: judge the open pull requests whose head is this commit (a review event) / 按最新提交查找 PR")
    .option("--dry-run", "print the decision; write no status or comment / 只显示结果，不写状态和评论")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .action(async (options: ApprovalsOptions) => {
      const lang = asLang(options.lang);
      if ((options.pr === undefined) === (options.headSha === undefined)) {
        throw new UsageError(msg("请给出 --pr 或 --head-sha 之一。", "Give one of --pr and --head-sha."));
      }
      const numbers = options.pr !== undefined
        ? [options.pr]
        : (await (await octokitIssues(repositoryFromEnv(io, options.repo, deps.retryBaseMs))).openPullsWithHead(options.headSha!)).map(String);
      if (numbers.length === 0) {
        io.stdout(`${text(msg(`没有以 ${options.headSha} 为最新提交的未合并 PR，无需判断。`, `No open pull request has ${options.headSha} as its head; nothing to judge.`), lang)}\n`);
        setExit(0);
        return;
      }
      let satisfied = true;
      for (const number of numbers) {
        const port = await octokitPort(pullRequestFromEnv(io, options.repo, number, deps.retryBaseMs));
        const result = await checkApprovals(port, { dryRun: options.dryRun === true, today: calendarDate(io.now()) });
        io.stdout(options.format === "json" ? formatApprovalJson(result.evaluation) : formatApprovalText(result.evaluation, lang));
        satisfied &&= result.evaluation.satisfied;
      }
      setExit(satisfied ? 0 : 1);
    });
}
