import * as YAML from "yaml";
import { classifyChanges, type FilingChange } from "../approvals/classify";
import { evaluateApprovals, type RoleDecision } from "../approvals/evaluate";
import { daysBetween, periodEnd, plusDays, type IsoDate } from "../filings/dates";
import type { Filing } from "../filings/model";
import { SCHEMA_COMMENT } from "../filings/scaffold";
import { msg } from "../messages";
import { fieldChanges, type FieldChange } from "../output/filing-summary";
import type { Problem } from "../problems";
import { validateRegister } from "../validate";
import { bearingOn, freeAddress, inUseOrAsked, placeOnFields, requestedElsewhere, type FieldProblem, type FormCheck, type PendingAddress, type PreparedRegister } from "./check";
import filingSchema from "../../filings/filing.schema.json";
import { fieldRepair, type SchemaNode } from "../schema/check";
import { filingFromForm, type FormInput, type Normalised } from "./form";

/**
 * A change to a filing the register holds, made at the desk: changed, renewed or decommissioned.
 * The form's values become the filing as it will be (`changedFiling`, `decommissionedFiling`), the
 * file is edited in place (comments and layout kept, so that the pull request shows only what
 * changed), and the result goes through the same validateRegister and the gate's own classifier and
 * evaluator: what changes (old → new), which kind of change it is, and who must sign. Pure.
 */

/** Said of a change form that changes nothing: as its problem, and in its list of changes. */
export const NO_CHANGE = msg("还没有任何修改。", "Nothing is changed yet.");

/** What the desk offers to do with a filing. */
export type DeskAction = "change" | "renew" | "decommission";

/** The filing as the register holds it: its file, its text and what it reads as. */
export interface Original {
  readonly path: string;
  readonly text: string;
  readonly filing: Filing;
}

export interface ChangeCheck extends FormCheck {
  /** Every field that differs, old → new, in the approval comment's words (lib/output/filing-summary.ts). */
  readonly changes: readonly FieldChange[];
  /** The gate's classification: the change's kinds, strongest first; empty when nothing changes. */
  readonly change?: FilingChange;
  /** Whose signature the change needs, as the gate will say it. */
  readonly signers: readonly RoleDecision[];
}

/** The filing a change form makes: the form's values over the original's id, status and decommission record. */
export function changedFiling(original: Filing, input: FormInput, config: Parameters<typeof filingFromForm>[3]): { filing: Record<string, unknown>; normalised: ReturnType<typeof filingFromForm>["normalised"] } {
  const name = original.id.slice(original.department.length + 1);
  const made = filingFromForm(input, original.department, name, config);
  const filing: Record<string, unknown> = { ...made.filing, status: original.status };
  if (original.decommission) filing.decommission = original.decommission;
  else delete filing.decommission;
  return { filing, normalised: made.normalised };
}

/** What a decommission asks: the day it is asked (the desk's today), the last full backup if taken, why. */
export interface DecommissionInput {
  readonly backupTakenAt: string;
  readonly remarks: string;
}

export function decommissionedFiling(original: Filing, input: DecommissionInput, today: IsoDate): { filing: Record<string, unknown>; normalised: Normalised[] } {
  const typed = input.backupTakenAt.trim();
  // 2026/11/20 and 2026年11月20日 are the date they look like, as in the filing form.
  const backup = typed ? (fieldRepair(filingSchema as unknown as SchemaNode, ["decommission", "backupTakenAt"])(typed) ?? typed) : "";
  return {
    filing: {
      ...(original as unknown as Record<string, unknown>),
      status: "decommissioned",
      decommission: { requestedAt: today, ...(backup ? { backupTakenAt: backup } : {}) },
      remarks: input.remarks.trim(),
    },
    normalised: backup !== typed ? [{ path: "decommission.backupTakenAt", typed, recorded: backup }] : [],
  };
}

/**
 * A renewal's period: from the day after the current one's last day (or today, when it has ended
 * already), for as long as it was, up to the school's maximum.
 */
export function renewedPeriod(original: Filing, today: IsoDate, maxMonths: number): { start: IsoDate; months: number } {
  const last = periodEnd(original.period.start, original.period.months);
  return { start: daysBetween(today, last) >= 0 ? plusDays(last, 1) : today, months: Math.min(original.period.months, maxMonths) };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The original text with the head's values set in place: every key whose value differs is replaced,
 * every key the head no longer has removed, a new key added at the end of its map. Comments, order,
 * quoting and flow style of what did not change stay as the department or the engineer wrote them.
 */
export function editedText(original: string, head: Record<string, unknown>): string {
  const fresh = `${SCHEMA_COMMENT}\n${YAML.stringify(head, { lineWidth: 0 })}`;
  try {
    const text = editedInPlace(original, head);
    // It must read back as exactly the head; where it would not (an odd original), the file is written afresh.
    return JSON.stringify(YAML.parse(text)) === JSON.stringify(YAML.parse(YAML.stringify(head))) ? text : fresh;
  } catch {
    // An original the edit cannot follow (an alias shared by two keys): written afresh.
    return fresh;
  }
}

function editedInPlace(original: string, head: Record<string, unknown>): string {
  const doc = YAML.parseDocument(original);
  const visit = (before: unknown, after: Record<string, unknown>, path: string[]): void => {
    const old = isMap(before) ? before : {};
    for (const key of Object.keys(old)) if (!(key in after)) doc.deleteIn([...path, key]);
    for (const [key, value] of Object.entries(after)) {
      const was = old[key];
      if (JSON.stringify(was) === JSON.stringify(value)) continue;
      if (isMap(was) && isMap(value) && doc.getIn([...path, key], true)) visit(was, value, [...path, key]);
      else doc.setIn([...path, key], value);
    }
  };
  visit(doc.toJS(), head, []);
  return doc.toString({ lineWidth: 0 });
}

/**
 * Checks a change of `original` into `head` for the signed-in `login`: the file it makes, its
 * problems on the form's fields, what changes and who must sign. `limits` are the form's own
 * problems (too long, invisible characters), found before anything is built.
 */
/** `extra.pending`: the addresses open requests ask for (a physical server's new address must not be one). */
export function checkChange(register: PreparedRegister, original: Original, head: Record<string, unknown>, login: string, extra: { limits?: readonly FieldProblem[]; normalised?: FormCheck["normalised"]; pending?: ReadonlyMap<string, PendingAddress> } = {}): ChangeCheck {
  const pending = extra.pending ?? new Map<string, PendingAddress>();
  if (extra.limits?.length) return { problems: extra.limits, normalised: [], changes: [], signers: [] };
  const text = editedText(original.text, head);
  const result = validateRegister({
    filings: [{ path: original.path, bytes: Buffer.from(text, "utf8") }],
    known: bearingOn(register, original.filing.department, (head.network as Record<string, unknown> | undefined)?.ip, original.path),
    usedIps: inUseOrAsked(register, pending),
    config: register.config,
    configResult: register.configResult,
    today: register.today,
    change: { changed: new Set([original.path]), added: new Set() },
  });
  const mine: Problem[] = result.problems.filter((p) => p.file === original.path);
  const classified = classifyChanges([original.path], [{ path: original.path, base: { path: original.path, bytes: Buffer.from(original.text, "utf8") }, head: { path: original.path, bytes: Buffer.from(text, "utf8") } }]);
  const change = classified.filings[0];
  const changes: FieldChange[] = change ? fieldChanges(change.base, change.filing, change.fields) : [];
  // A decommission's own box is no field of the filing form.
  const network = head.network as Record<string, unknown> | undefined;
  const moved = network?.ip !== original.filing.network.ip ? requestedElsewhere(register, network?.ip, original.filing.id, pending, freeAddress(register, String(network?.zone ?? "internal"), pending)) : [];
  const problems: FieldProblem[] = [...placeOnFields(text, mine, ["decommission.backupTakenAt"]), ...moved];
  // What the gate would refuse whoever signs (a shrunk disk, a new address) is said now, not after
  // submitting; a form the schema refuses is said beside its boxes, not again as "cannot classify".
  if (change?.filing) {
    for (const refusal of change.refusals) problems.push({ rule: "change-refused", severity: "error", message: refusal });
    if (changes.length === 0) problems.push({ rule: "no-change", severity: "error", message: NO_CHANGE });
  }
  return { path: original.path, text, problems, normalised: extra.normalised ?? [], changes, ...(change ? { change } : {}), signers: change && changes.length ? signersOf(change, register, login) : [] };
}

/**
 * Whose signature a filing change needs, from the gate's evaluator itself given a pull request by
 * `login` with no review yet: the roles the change kinds need, the security leader's when a sensitive
 * port opens wider, each with who may sign.
 */
export function signersOf(change: FilingChange, register: PreparedRegister, login: string): RoleDecision[] {
  const config = register.loaded.config;
  // The desk knows the author belongs to the change's department (the sign-in found it): said to the
  // evaluator as membership of that department's teams, so that it judges the change, not the author.
  const department = config.departments.find((d) => d.slug === change.department);
  const teams = new Map<string, Set<string>>((department?.members ?? []).filter((m) => m.includes("/")).map((m) => [m.toLowerCase(), new Set([login.toLowerCase()])]));
  const evaluation = evaluateApprovals({
    classification: { filings: [change], protectedPaths: [] },
    pr: { number: 0, author: login, headSha: "0".repeat(40), commits: [], reviews: [] },
    config,
    teams,
    today: register.today,
  });
  return [...(evaluation.decisions[0]?.roles ?? [])];
}

/** Whose signature a new filing needs, from the gate's classifier and evaluator as for a change. */
export function newFilingSigners(register: PreparedRegister, path: string, text: string, login: string): RoleDecision[] {
  const change = classifyChanges([path], [{ path, head: { path, bytes: Buffer.from(text, "utf8") } }]).filings[0];
  return change ? signersOf(change, register, login) : [];
}
