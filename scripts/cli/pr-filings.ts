import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { blob, rawChanges } from "../../lib/git/changes";
import { msg, text } from "../../lib/messages";
import { dataOnlyProblems } from "../../lib/preview/data";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";

interface PrFilingsOptions {
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
export function prFilingsCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("pr-filings")
    .description("take only a pull request's filing files into this base-branch checkout / 只取 PR 中的备案文件")
    .requiredOption("--base <commit>", "the pull request's base commit / 目标分支提交")
    .requiredOption("--head <commit>", "the pull request's head commit (fetched, never checked out) / PR 的最新提交")
    .addOption(rootOption())
    .addOption(langOption())
    .action((options: PrFilingsOptions) => {
      const lang = asLang(options.lang);
      const root = path.resolve(io.cwd, options.root);
      const changes = rawChanges(root, options.base, options.head);
      const problems = dataOnlyProblems(changes);
      if (problems.length > 0) {
        io.stdout(`${text(msg("该 PR 不只修改备案文件，带凭据的预览需要维护者处理：", "This pull request changes more than filing files; a credentialed preview needs a maintainer:"), lang)}\n`);
        for (const p of problems) io.stdout(`  - ${text(p, lang)}\n`);
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
