import type { Message } from "./messages";

export type Severity = "error" | "warning";

/** One finding, located in a file of the register root (posix path relative to the root). */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: Message;
}

/** The one way to make a Problem: what `rule` found at `at` (1-based line and column) in `file`. */
export function problem(file: string, at: { readonly line: number; readonly column: number }, rule: string, message: Message, severity: Severity = "error"): Problem {
  return { file, line: at.line, column: at.column, rule, severity, message };
}

/** The start of a file, where a problem with the file as a whole is reported. */
export const FILE_START = { line: 1, column: 1 } as const;

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
