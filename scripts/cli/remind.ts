import { Command } from "commander";
import { msg, text } from "../../lib/messages";
import { planReminders, REMINDER_LABEL } from "../../lib/operations/reminders";
import { formatReport } from "../../lib/output/problems";
import { planRegister } from "../../lib/plan/servers";
import { octokitRepository } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { notifyFromEnv, repositoryWebUrl } from "./notify";
import { reminderNotice } from "../../lib/notify/notice";
import { asLang, langOption, openRegister, rootOption, todayOption } from "./options";
import { repositoryFromEnv } from "./repo";

interface RemindOptions {
  repo: string;
  root: string;
  dryRun?: boolean;
  lang: string;
  today?: string;
}

/**
 * `filing remind`: one issue per filing per threshold (30, 7, 0 days before the period ends),
 * assigned to the department's role holders; a second run updates instead of duplicating, and a
 * renewal (or decommission) closes the open reminder.
 */
export function remindCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("remind")
    .description("open, update or close expiry reminder issues / 到期提醒")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .addOption(rootOption())
    .option("--dry-run", "print what would change / 只显示将要做的操作")
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: RemindOptions) => {
      const lang = asLang(options.lang);
      const repository = repositoryFromEnv(io, options.repo, deps.retryBaseMs);
      const opened = openRegister(io, options);
      const input = { filings: opened.filings, config: opened.config, today: opened.today };
      const plan = planRegister(input);
      const config = plan.config;
      if (!plan.servers || !config) {
        io.stderr(formatReport({ ok: false, filings: plan.filingCount, problems: plan.problems }, "text", lang));
        setExit(1);
        return;
      }
      const issues = await octokitRepository(repository);
      const actions = planReminders(plan.servers, config, await issues.openIssues(REMINDER_LABEL));
      for (const a of actions) {
        const line =
          a.kind === "create" ? text(msg(`新建提醒：${a.reminder.title}`, `create: ${a.reminder.title}`), lang)
          : a.kind === "update" ? text(msg(`更新提醒 #${a.number}：${a.reminder.title}`, `update #${a.number}: ${a.reminder.title}`), lang)
          : text(msg(`关闭提醒 #${a.number}（${a.filingId}）`, `close #${a.number} (${a.filingId})`), lang);
        io.stdout(`${options.dryRun ? "[dry-run] " : ""}${line}\n`);
        if (options.dryRun) continue;
        if (a.kind === "create") {
          const number = await issues.createIssue({ title: a.reminder.title, body: a.reminder.body, labels: [REMINDER_LABEL], assignees: [...a.reminder.assignees] });
          // A new threshold reached (30, 7, 0 days): said in the groups too; updates of the days left are not.
          await notifyFromEnv(io, reminderNotice(a.reminder.title, `${repositoryWebUrl(io, options.repo)}/issues/${number}`));
        }
        else if (a.kind === "update") await issues.updateIssue(a.number, { title: a.reminder.title, body: a.reminder.body });
        else await issues.closeIssue(a.number, a.comment);
      }
      if (actions.length === 0) io.stdout(`${text(msg("提醒已是最新，无需改动。", "Reminders are up to date."), lang)}\n`);
      setExit(0);
    });
}
