import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { blob, rawChanges } from "../../lib/git/changes";
import { octokitPort } from "../../lib/github/octokit";
import { msg, text, type Message } from "../../lib/messages";
import { PREVIEW_MARKER } from "../../lib/output/deploy";
import { dataOnlyProblems } from "../../lib/preview/data";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";
import { pullRequestFromEnv } from "./repo";

interface PrFilingsOptions {
  repo?: string;
  pr?: string;
  base: string;
  head: string;
  root: string;
  lang: string;
}

/**
 * `filing pr-filings`: in a checkout of the base branch, take a pull request's filing files (and
 * nothing else) from its head commit, as data, for the credentialed preview. Exit 0 when the PR is
 * data only and its filings were written into the work tree; 1, touching nothing, when it changes
 * anything else (the workflow then leaves the preview to a maintainer).
 */
/** The preview comment when there is no credentialed preview: why, and who can run one. */
function notDataComment(problems: readonly Message[]): string {
  return [
    PREVIEW_MARKER,
    "### 预览 Preview",
    "",
    "本 PR 不只修改备案文件，因此不会用平台凭据自动运行 pulumi preview（PR 中的代码不能接触凭据）。请信息中心维护者审阅后手动预览；备案检查和策略检查（filing validate / filing policy）的结果见 Validate filings。",
    "This pull request changes more than filing files, so no pulumi preview runs with the platform's credentials (a pull request's code never meets them). An information-center maintainer previews it by hand after review; the register and policy checks are in Validate filings.",
    "",
    ...problems.map((p) => `- ${p.zh} / ${p.en}`),
    "",
  ].join("\n");
}

export function prFilingsCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("pr-filings")
    .description("take only a pull request's filing files into this base-branch checkout / 只取 PR 中的备案文件")
    .requiredOption("--base <commit>", "the pull request's base commit / 目标分支提交")
    .requiredOption("--head <commit>", "the pull request's head commit (fetched, never checked out) / PR 的最新提交")
    .option("--repo <owner/name>", "with --pr: say on the pull request why there is no credentialed preview / 在 PR 上说明原因")
    .option("--pr <number>", "pull request number")
    .addOption(rootOption())
    .addOption(langOption())
    .action(async (options: PrFilingsOptions) => {
      const lang = asLang(options.lang);
      const root = path.resolve(io.cwd, options.root);
      const changes = rawChanges(root, options.base, options.head);
      const problems = dataOnlyProblems(changes);
      if (problems.length > 0) {
        io.stdout(`${text(msg("该 PR 不只修改备案文件，带凭据的预览需要维护者处理：", "This pull request changes more than filing files; a credentialed preview needs a maintainer:"), lang)}\n`);
        for (const p of problems) io.stdout(`  - ${text(p, lang)}\n`);
        if (options.repo && options.pr) {
          const port = await octokitPort(pullRequestFromEnv(io, options.repo, options.pr, deps.retryBaseMs));
          await port.upsertComment(PREVIEW_MARKER, notDataComment(problems));
        }
        setExit(1);
        return;
      }
      for (const c of changes) {
        const abs = path.join(root, c.path);
        if (c.status === "D") {
          fs.rmSync(abs, { force: true });
        } else {
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          // A symbolic link already at that path (from the base) is replaced, never written through.
          fs.rmSync(abs, { force: true });
          fs.writeFileSync(abs, blob(root, c.sha), { flag: "wx" });
        }
      }
      io.stdout(`${text(msg(`已从 PR 取出 ${changes.length} 个备案文件（仅作为数据）。`, `Took ${changes.length} filing files from the pull request, as data.`), lang)}\n`);
      setExit(0);
    });
}
