import { Command, Option } from "commander";
import { UsageError } from "../../lib/errors";
import { calendarDate } from "../../lib/filings/period";
import { msg } from "../../lib/messages";
import { formatApprovalJson, formatApprovalText } from "../../lib/output/approvals";
import { checkApprovals } from "../github/check";
import { octokitPort } from "../github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { parseRepo } from "./repo";

interface ApprovalsOptions {
  repo: string;
  pr: string;
  dryRun?: boolean;
  format: "text" | "json";
  lang: string;
}

const DEFAULT_API = "https://api.github.com";

/**
 * `filing approvals`: the approval check of one pull request. Exit 0 when every filing has its
 * signatures, 1 when not yet, 2 on an error (GitHub unreachable or refusing, config broken on the base
 * branch) — an error never leaves a success status behind.
 */
export function approvalsCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("approvals")
    .description("check a pull request's reviews against the approval chain / 检查 PR 的审批签字")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--pr <number>", "pull request number / PR 编号")
    .option("--dry-run", "print the decision; write no status or comment / 只显示结果，不写状态和评论")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .action(async (options: ApprovalsOptions) => {
      const lang = asLang(options.lang);
      const repo = parseRepo(options.repo);
      const number = Number(options.pr);
      if (!Number.isInteger(number) || number < 1) throw new UsageError(msg(`--pr 应为正整数，收到 "${options.pr}"。`, `--pr must be a positive integer, got "${options.pr}".`));
      const port = await octokitPort({
        token: io.env.GITHUB_TOKEN,
        teamsToken: io.env.FILINGS_TEAMS_TOKEN || undefined,
        baseUrl: io.env.GITHUB_API_URL || DEFAULT_API,
        owner: repo.owner,
        repo: repo.repo,
        number,
        retryBaseMs: deps.retryBaseMs,
      });
      const result = await checkApprovals(port, { dryRun: options.dryRun === true, today: calendarDate(io.now()) });
      io.stdout(options.format === "json" ? formatApprovalJson(result.evaluation) : formatApprovalText(result.evaluation, lang));
      setExit(result.evaluation.satisfied ? 0 : 1);
    });
}
