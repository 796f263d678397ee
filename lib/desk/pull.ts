import type { FilingChange } from "../approvals/classify";
import type { RoleDecision } from "../approvals/evaluate";
import type { Department, InstitutionConfig } from "../config/model";
import type { Filing } from "../filings/model";
import { CHANGE_KIND_NAMES, FILING_CLI, ROLE_NAMES, type Names } from "../names";
import { changeLine, filingSummary, type FieldChange } from "../output/filing-summary";
import { blobSha, type PullProposal } from "../forge/desk";
import type { DeskAction } from "./change";
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

/** A branch's time of opening, digits only (UTC): two requests for one filing never share a branch. */
function stampOf(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

export function newFilingPull(filing: Filing, path: string, text: string, department: Department, names: Names, now: Date): PullProposal {
  const name = filing.id.slice(department.slug.length + 1);
  if (!filing.id.startsWith(`${department.slug}-`) || !SERVER_NAME.test(name)) throw new Error(`unreachable: ${filing.id} was validated`);
  const kind = CHANGE_KIND_NAMES.new.zh;
  return {
    // Stamped like a change's: a branch someone made beforehand under the filing's name cannot stop it.
    branch: `filing/${filing.id}-${stampOf(now)}`,
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

/** The branches the desk opens: `<action>/<filing id>-<time, 14 digits>`. */
const DESK_BRANCH = /^(filing|change|renew|decommission)\/(.+)-\d{14}$/;

/**
 * The filing a desk branch (`filing|change|renew|decommission/<id>-<14 digits>`) is for, its
 * department being the one whose slug starts the id (the longest, where one slug starts another);
 * undefined for any other branch. Anyone can push a branch of that name: whoever reads it also asks
 * whether the pull request's author files for that department.
 */
export function deskBranchFiling(branch: string, departments: readonly string[]): { action: "new" | DeskAction; department: string; name: string; id: string } | undefined {
  const m = DESK_BRANCH.exec(branch);
  if (!m) return undefined;
  const id = m[2]!;
  const department = departments.filter((d) => id.startsWith(`${d}-`)).sort((a, b) => b.length - a.length)[0];
  const name = department && id.slice(department.length + 1);
  if (!department || !name || !SERVER_NAME.test(name)) return undefined;
  return { action: m[1] === "filing" ? "new" : (m[1] as DeskAction), department, name, id };
}

/** Whether a branch is one the desk opens for this filing id: one request per filing waits at a time. */
export function isDeskBranchFor(branch: string, id: string): boolean {
  return DESK_BRANCH.exec(branch)?.[2] === id;
}

/**
 * The pull request for a change of a filing: the branch from the action, the validated id and the
 * time (digits only), the title from the strongest kind of change, the body with old → new per field
 * (in a fenced block: values a department typed) and who must sign.
 */
export function changePull(action: DeskAction, change: FilingChange, changes: readonly FieldChange[], signers: readonly RoleDecision[], text: string, original: string, department: Department, now: Date): PullProposal {
  const id = change.id;
  if (!id.startsWith(`${department.slug}-`) || !SERVER_NAME.test(id.slice(department.slug.length + 1)) || change.kinds.length === 0) throw new Error(`unreachable: ${id} was validated`);
  const stamp = stampOf(now);
  const kind = CHANGE_KIND_NAMES[change.kinds[0]!];
  const kinds = change.kinds.map((k) => CHANGE_KIND_NAMES[k]);
  return {
    branch: `${action}/${id}-${stamp}`,
    title: `【${kind.zh}】${department.name} ${id}`,
    message: `${kinds.map((k) => k.zh).join("、")}：${id}`,
    files: [{ path: change.path, content: text, basedOn: blobSha(original) }],
    body: [
      `**${department.name}** 通过部门服务台提交的申请：\`${id}\`（文件 \`${change.path}\`），属于${kinds.map((k) => k.zh).join("、")}。`,
      "",
      "本次变更：",
      "",
      verbatim(changes.map((c) => changeLine(c, "zh"))),
      "",
      `需要批准：${signers.map((s) => ROLE_NAMES[s.role].zh).join("、")}。`,
      "",
      "提交前已按学校规则检查通过（与 `" + FILING_CLI + " validate` 相同）。下面的检查会再次核对，并列出还需要哪些负责人批准。",
      "",
      "<details><summary>English</summary>",
      "",
      `A request by ${department.slug} through the department desk for \`${id}\` (\`${change.path}\`): ${kinds.map((k) => k.en).join(", ")}.`,
      "",
      verbatim(changes.map((c) => changeLine(c, "en"))),
      "",
      `Needs the approval of: ${signers.map((s) => ROLE_NAMES[s.role].en).join(", ")}. It passed the school's rules before submission; the checks below judge it again.`,
      "",
      "</details>",
    ].join("\n"),
  };
}

/** The departments a signed-in person may file for: those whose members include them. */
export async function departmentsOf(login: string, config: InstitutionConfig, isTeamMember: (team: string, login: string) => Promise<boolean>): Promise<Department[]> {
  const out: Department[] = [];
  for (const d of config.departments) if (await filesFor(login, d, isTeamMember)) out.push(d);
  return out;
}

/** Whether `login` is among `department`'s filers, by name or through a team. */
export async function filesFor(login: string, department: Department, isTeamMember: (team: string, login: string) => Promise<boolean>): Promise<boolean> {
  for (const m of department.members ?? []) {
    if (m.includes("/") ? await isTeamMember(m, login) : m.slice(1).toLowerCase() === login.toLowerCase()) return true;
  }
  return false;
}
