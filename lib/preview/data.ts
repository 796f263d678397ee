import { isFilingPath } from "../approvals/classify";
import { msg, type Message } from "../messages";

/**
 * Whether a pull request is data only, so that the credentialed preview may run the base branch's
 * program and pack over the PR's filings (DESIGN §13). Data means: every changed path is a filing
 * file (`filings/<department>/<name>.yaml`), added, modified or deleted as a regular file. A symbolic
 * link, an executable bit, a submodule or any other path (the schema, policies/, package.json, a
 * workflow) makes the PR code, which no step with the platform's secrets may take.
 */

/** One line of `git diff --raw`: modes, status and path (renames are listed as delete + add). */
export interface RawChange {
  readonly newMode: string;
  readonly status: string;
  readonly path: string;
}

const REGULAR = "100644";
const GONE = "000000";

export function dataOnlyProblems(changes: readonly RawChange[]): Message[] {
  const problems: Message[] = [];
  if (changes.length === 0) problems.push(msg("PR 没有任何文件变更。", "The pull request changes no file."));
  for (const c of changes) {
    if (!isFilingPath(c.path)) {
      problems.push(msg(`${c.path} 不是备案文件（filings/<部门>/<名称>.yaml）。`, `${c.path} is not a filing file (filings/<department>/<name>.yaml).`));
    } else if (c.status === "D" ? c.newMode !== GONE : c.newMode !== REGULAR) {
      problems.push(msg(`${c.path} 不是普通文件（模式 ${c.newMode}：符号链接、可执行文件或子模块）。`, `${c.path} is not a regular file (mode ${c.newMode}: a symbolic link, an executable or a submodule).`));
    } else if (!["A", "M", "D"].includes(c.status)) {
      problems.push(msg(`${c.path} 的变更类型 ${c.status} 无法作为数据处理。`, `${c.path}: change type ${c.status} cannot be taken as data.`));
    }
  }
  return problems;
}
