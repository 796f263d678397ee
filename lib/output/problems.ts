import { text, type Lang } from "../messages";
import type { Problem } from "../problems";

export type ProblemFormat = "text" | "json" | "github";
export const PROBLEM_FORMATS: readonly ProblemFormat[] = ["text", "json", "github"];

export interface ValidationReport {
  readonly ok: boolean;
  /** Number of filing files checked. */
  readonly filings: number;
  readonly problems: readonly Problem[];
}

const SEVERITY: Record<Lang, Record<Problem["severity"], string>> = {
  zh: { error: "错误", warning: "警告" },
  en: { error: "error", warning: "warning" },
};

/** `file:line:column  severity  [rule]  message`, the text form of one problem. */
export function problemLine(p: Problem, lang: Lang): string {
  return `${p.file}:${p.line}:${p.column}  ${SEVERITY[lang][p.severity]}  [${p.rule}]  ${text(p.message, lang)}`;
}

/** Human-readable lines, one per problem, then a summary. */
/** "1 error", "2 errors": English counts its nouns. */
const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

export function formatText(report: ValidationReport, lang: Lang): string {
  const lines = report.problems.map((p) => problemLine(p, lang));
  const errors = report.problems.filter((p) => p.severity === "error").length;
  const warnings = report.problems.length - errors;
  if (lang === "zh") {
    lines.push(
      report.ok
        ? `✓ 已检查 ${report.filings} 份备案，没有错误${warnings ? `（${warnings} 个警告）` : ""}。`
        : `✗ 已检查 ${report.filings} 份备案：${errors} 个错误，${warnings} 个警告。请按提示修改后重新提交。`,
    );
  } else {
    lines.push(
      report.ok
        ? `✓ Checked ${counted(report.filings, "filing")}: no errors${warnings ? ` (${counted(warnings, "warning")})` : ""}.`
        : `✗ Checked ${counted(report.filings, "filing")}: ${counted(errors, "error")}, ${counted(warnings, "warning")}. Fix them and push again.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `{"ok","filings","problems":[{file,line,column,rule,severity,message}]}`, the shape other tools read. */
export function formatJson(report: ValidationReport, lang: Lang): string {
  return `${JSON.stringify({
    ok: report.ok,
    filings: report.filings,
    problems: report.problems.map((p) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      rule: p.rule,
      severity: p.severity,
      message: text(p.message, lang),
    })),
  })}\n`;
}

// Workflow-command escaping as GitHub's actions toolkit does it.
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions annotations, shown on the pull request's diff lines. */
export function formatGithub(report: ValidationReport, lang: Lang): string {
  const lines = report.problems.map(
    (p) =>
      `::${p.severity} file=${escapeProperty(p.file)},line=${p.line},col=${p.column},title=${escapeProperty(p.rule)}::${escapeData(text(p.message, lang))}`,
  );
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export function formatReport(report: ValidationReport, format: ProblemFormat, lang: Lang): string {
  switch (format) {
    case "json":
      return formatJson(report, lang);
    case "github":
      return formatGithub(report, lang);
    default:
      return formatText(report, lang);
  }
}

/** Each problem in Chinese with its English beneath: for logs read by both departments and engineers. */
export function formatBilingual(problems: readonly Problem[]): string {
  return problems
    .map((p) => `${problemLine(p, "zh")}\n    ${p.message.en}`)
    .join("\n");
}
