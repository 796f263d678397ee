import type { Department, InstitutionConfig } from "../config/model";
import type { Filing } from "../filings/model";
import { CHANGE_KIND_NAMES, FILING_CLI, type Names } from "../names";
import { filingSummary } from "../output/filing-summary";
import type { PullProposal } from "../forge/desk";
import { SERVER_NAME } from "./form";

/**
 * The pull request the desk opens for a department: a branch and a title from validated ids only,
 * a Chinese body that says what is filed and what happens next, every value a department typed in a
 * fenced block so that it reads as text (no mention, link or markup of its own). Pure.
 */

/**
 * Lines a department typed, as a fenced block: inside it nothing is markup, link, mention or
 * reference (GitHub's autolinker and @mentions included, which a backslash does not stop). The fence
 * is longer than any run of backticks inside; line breaks of any kind become spaces.
 */
export function verbatim(lines: readonly string[]): string {
  const flat = lines.map((l) => l.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, " "));
  const longest = Math.max(2, ...flat.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = "`".repeat(longest + 1);
  return [`${fence}text`, ...flat, fence].join("\n");
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
      verbatim(filingSummary(filing, "zh", names)),
      "",
      "提交前已按学校规则检查通过（与 `" + FILING_CLI + " validate` 相同）。下面的检查会再次核对，并列出还需要哪些负责人批准。",
      "",
      "<details><summary>English</summary>",
      "",
      `A ${CHANGE_KIND_NAMES.new.en} by ${department.slug} through the department desk: \`${filing.id}\` (\`${path}\`). It passed the school's rules before submission; the checks below judge it again and list whose approval is still needed.`,
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
