import type { Problem } from "./problems";

/**
 * A subset of the register to report on (`filing validate filings/jwc/`): root-relative files or
 * folders (folders end with "/"). The whole register is still checked, because uniqueness and
 * quotas look across it; only what is reported narrows.
 */
export type Selection = readonly string[] | undefined;

export function selects(selection: Selection, file: string): boolean {
  if (!selection) return true;
  return selection.some((s) => (s.endsWith("/") ? file.startsWith(s) : file === s));
}

/** Problems in the selected files, plus those in policies/ and stacks/: a broken config concerns every filing. */
export function selectProblems(problems: readonly Problem[], selection: Selection): Problem[] {
  return problems.filter((p) => selects(selection, p.file) || p.file.startsWith("policies/") || p.file.startsWith("stacks/"));
}

export function selectFiles<T extends { readonly path: string }>(files: readonly T[], selection: Selection): T[] {
  return files.filter((f) => selects(selection, f.path));
}
