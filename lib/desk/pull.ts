import type { Department, InstitutionConfig } from "../config/model";
import type { Filing } from "../filings/model";
import { CHANGE_KIND_NAMES, FILING_CLI, type Names } from "../names";
import { filingSummary } from "../output/filing-summary";
import type { PullProposal } from "../forge/desk";
import { SERVER_NAME } from "./form";

/**
 * The pull request the desk opens for a department: a branch and a title from validated ids only,
 * a Chinese body that says what is filed and what happens next, every value a department typed
 * escaped so that it reads as text (no mention, link or markup of its own). Pure.
 */

/** Markdown and HTML that a typed value must not start: each such character is escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>@~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

export function newFilingPull(filing: Filing, path: string, text: string, department: Department, names: Names): PullProposal {
  const name = filing.id.slice(department.slug.length + 1);
  if (!filing.id.startsWith(`${department.slug}-`) || !SERVER_NAME.test(name)) throw new Error(`unreachable: ${filing.id} was validated`);
  const kind = CHANGE_KIND_NAMES.new.zh;
  return {
    branch: `filing/${filing.id}`,
    title: `【${kind}】${department.name} ${filing.id}`,
    message: `${kind}：${filing.id}`,
    files: [{ path, content: text }],
    body: [
      `**${department.name}** 通过部门服务台提交的${kind}：\`${filing.id}\`（文件 \`${path}\`）。`,
      "",
      ...filingSummary(filing, "zh", names).map((line) => `- ${escapeMarkdown(line)}`),
      "",
      "提交前已按学校规则检查通过（与 `" + FILING_CLI + " validate` 相同）。下面的检查会再次核对，并列出还需要哪些负责人批准。",
      "",
      "<details><summary>English</summary>",
      "",
      `A ${CHANGE_KIND_NAMES.new.en} by ${escapeMarkdown(department.slug)} through the department desk: \`${filing.id}\` (\`${path}\`). It passed the school's rules before submission; the checks below judge it again and list whose approval is still needed.`,
      "",
      "</details>",
    ].join("\n"),
  };
}

/** The departments a signed-in person may file for: those whose members include them. */
export async function departmentsOf(login: string, config: InstitutionConfig, isTeamMember: (team: string, login: string) => Promise<boolean>): Promise<Department[]> {
  const out: Department[] = [];
  for (const d of config.departments) {
    for (const m of d.members ?? []) {
      const member = m.includes("/") ? await isTeamMember(m, login) : m.slice(1).toLowerCase() === login.toLowerCase();
      if (member) {
        out.push(d);
        break;
      }
    }
  }
  return out;
}
