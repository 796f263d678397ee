import type { ConfigResult, ConfigSources, LoadedConfig } from "../config/parse";
import type { IsoDate } from "../filings/dates";
import type { Filing } from "../filings/model";
import { filingPath, renderFiling } from "../filings/scaffold";
import { valueAt } from "../output/filing-summary";
import { msg, type Message } from "../messages";
import { nextFreeAddress as nextFree } from "../net/ip";
import type { Problem, Severity } from "../problems";
import { fileResults, validateRegister, type KnownFile } from "../validate";
import { eagerlyLocated, lazyLocator, type SourceFile } from "../yaml/strict";
import { filingFromForm, formFields, formLimitProblems, SERVER_NAME, type FormInput, type Normalised } from "./form";

/**
 * The desk's check of one form against the register: the same validateRegister that `filing
 * validate` and the pull request's check run, with every other filing's result computed once
 * (`prepareRegister`) so that a keystroke parses one file. Its problems are placed on the form's
 * fields by where they point in the file the form makes. Pure.
 */

/** The register as the desk holds it between checks. */
export interface PreparedRegister {
  readonly config: ConfigSources;
  readonly configResult: ConfigResult;
  readonly loaded: LoadedConfig;
  readonly known: ReadonlyMap<string, KnownFile>;
  /** The same, as the list validateRegister takes, and the addresses in use: built once, not per keystroke. */
  readonly knownList: readonly KnownFile[];
  readonly usedIps: ReadonlySet<string>;
  /** Each filing's bytes, by path: the text a change starts from. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** The known filings by department and by address: what a form's check reads (`bearingOn`). */
  readonly byDepartment: ReadonlyMap<string, readonly KnownFile[]>;
  readonly byIp: ReadonlyMap<string, readonly KnownFile[]>;
  readonly today: IsoDate;
}

/**
 * The part of the register that can bear on one filing's problems: its department's filings (the
 * quota) and those holding its address (uniqueness), without `except` (the version being changed).
 * The register rules read nothing else of other filings but the addresses in use, which the check
 * passes whole (RegisterInput.usedIps). A keystroke then reads a few dozen filings, not 10,000.
 */
export function bearingOn(register: PreparedRegister, department: string, ip: unknown, except?: string): KnownFile[] {
  const mine = register.byDepartment.get(department) ?? [];
  const sameIp = typeof ip === "string" ? (register.byIp.get(ip) ?? []).filter((k) => k.result.facts?.department !== department) : [];
  return [...mine, ...sameIp].filter((k) => k.path !== except);
}

/** Each filing's own result, once; undefined with the config's problems when the config is unusable. */
export function prepareRegister(files: readonly SourceFile[], config: ConfigSources, today: IsoDate): PreparedRegister | { problems: readonly Problem[] } {
  const base = validateRegister({ filings: [], config, today });
  if (!base.config) return { problems: base.configResult.problems };
  const results = fileResults(files, base.config);
  const bytes = new Map(files.map((f) => [f.path, f.bytes]));
  const known = new Map<string, KnownFile>();
  for (const [path, result] of results) {
    known.set(path, { path, result, source: { locate: lazyLocator(() => Buffer.from(bytes.get(path)!).toString("utf8")) } });
  }
  const knownList = [...known.values()];
  const usedIps = new Set(knownList.map((k) => k.result.facts?.ip).filter((ip): ip is string => ip !== undefined));
  const byDepartment = new Map<string, KnownFile[]>();
  const byIp = new Map<string, KnownFile[]>();
  const add = (index: Map<string, KnownFile[]>, key: string, k: KnownFile) => {
    const list = index.get(key);
    if (list) list.push(k);
    else index.set(key, [k]);
  };
  for (const k of knownList) {
    const facts = k.result.facts;
    if (!facts) continue;
    add(byDepartment, facts.department, k);
    add(byIp, facts.ip, k);
  }
  return { config, configResult: base.configResult, loaded: base.config, known, knownList, usedIps, files: bytes, byDepartment, byIp, today };
}

export interface FieldProblem {
  /** The form field it belongs to, or undefined for the filing as a whole. */
  readonly field?: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: Message;
}

export interface FormCheck {
  /** The file the form makes, exactly as it would be committed. */
  readonly path?: string;
  readonly text?: string;
  readonly problems: readonly FieldProblem[];
  readonly normalised: readonly Normalised[];
  /** The lowest free address of the chosen zone, to offer. */
  readonly freeIp?: string;
}

/**
 * An address another open request asks for (the register does not hold it until that request
 * merges): offering it again, or letting a second department file it, would only make one of the two
 * requests fail later.
 */
export interface PendingAddress {
  readonly number: number;
  readonly id: string;
}

/**
 * Checks a new filing's form. `department` comes from the sign-in, never from the page; `pending`,
 * the addresses open requests ask for, by address.
 */
export function checkNewFiling(register: PreparedRegister, department: string, name: string, input: FormInput, pending: ReadonlyMap<string, PendingAddress> = new Map()): FormCheck {
  const config = register.loaded.config;
  // Refused before anything is built: a form this large or this odd is no filing, only work.
  const limits = formLimitProblems({ ...input, values: { ...input.values, name } });
  if (limits.length > 0) return { problems: limits.map((l) => ({ field: l.field, rule: "desk-input", severity: "error", message: l.message })), normalised: [] };
  // A name still missing or mistyped is said, and the rest of the form is checked all the same
  // (under a stand-in name); only a form with a good name yields a file to submit.
  const badName: FieldProblem[] = SERVER_NAME.test(name)
    ? []
    : [{ field: "name", rule: name === "" ? "schema-required" : "filing-id", severity: "error", message: name === "" ? msg("请填写服务器名称。", "Fill in the server name.") : msg("服务器名称只能用小写字母、数字和连字符（-），例如 reading-room。它是这台服务器的英文编号；中文名称请写在“用途”中。", "The server name takes lowercase letters, digits and '-', e.g. reading-room: it is the server's code; write its Chinese name under Purpose.") }];
  if (badName.length > 0) {
    const rest = checkNewFiling(register, department, "name-to-be-given", input, pending);
    return { problems: [...badName, ...rest.problems.filter((p) => p.field !== "name" && p.rule !== "filing-id" && p.rule !== "filing-location")], normalised: rest.normalised, ...(rest.freeIp ? { freeIp: rest.freeIp } : {}) };
  }
  const { filing, normalised } = filingFromForm(input, department, name, config);
  const path = filingPath(department, name);
  const text = renderFiling(filing as unknown as Filing);
  const result = validateRegister({
    filings: [{ path, bytes: Buffer.from(text, "utf8") }],
    known: bearingOn(register, department, (filing.network as Record<string, unknown> | undefined)?.ip, path),
    // The addresses open requests ask for are no free address to suggest either.
    usedIps: inUseOrAsked(register, pending),
    config: register.config,
    configResult: register.configResult,
    today: register.today,
    change: { changed: new Set([path]), added: new Set([path]) },
  });
  const mine = result.problems.filter((p) => p.file === path);
  const exists = register.known.has(path)
    ? [{ field: "name", rule: "filing-id", severity: "error" as const, message: msg(`本部门已有名为 ${name} 的备案（${path}）。请换一个名称。`, `Your department already has a filing named ${name} (${path}). Choose another name.`) }]
    : [];
  // A field left empty is said beside it, in the form's words; the schema's "missing field" (which
  // points at the object above it, in YAML's words) is then not said twice.
  const physical = input.values.type === "physical";
  const empty: FieldProblem[] = formFields()
    .filter((f) => f.required && f.kind !== "list" && (!f.physicalOnly || physical) && valueAt(filing as unknown as Filing, f.path) === undefined)
    // A choice is chosen, not written.
    .map((f) => ({ field: f.path, rule: "schema-required", severity: "error", message: msg(`${f.kind === "choice" || f.kind === "yesno" ? "请选择" : "请填写"}${/^[A-Za-z]/.test(f.title) ? " " : ""}${f.title}。`, `${f.kind === "choice" || f.kind === "yesno" ? "Choose" : "Fill in"} ${f.path}.`) }));
  const placed = placeOnFields(text, mine).filter((p) => !(p.rule === "schema-required" && empty.length > 0));
  const freeIp = freeAddress(register, String((filing.network as Record<string, unknown> | undefined)?.zone ?? "internal"), pending);
  const requested = requestedElsewhere(register, (filing.network as Record<string, unknown> | undefined)?.ip, `${department}-${name}`, pending, freeIp);
  return { path, text, problems: [...exists, ...empty, ...placed, ...requested], normalised, ...(freeIp ? { freeIp } : {}) };
}

/**
 * An address an open request for another filing asks for (`pending`), beside the address box; the
 * register's own holder is said by the rules. `instead`: the free address to offer.
 */
export function requestedElsewhere(register: PreparedRegister, ip: unknown, id: string, pending: ReadonlyMap<string, PendingAddress>, instead: string | undefined): FieldProblem[] {
  const asked = typeof ip === "string" ? pending.get(ip) : undefined;
  if (!asked || asked.id === id || register.usedIps.has(ip as string)) return [];
  return [{ field: "network.ip", rule: "ip-unique", severity: "error", message: msg(`IP 地址 ${String(ip)} 已由审批中的申请 #${asked.number}（${asked.id}）申请。请换一个地址${instead ? `，例如 ${instead}` : ""}。`, `IP address ${String(ip)} is asked for by the open request #${asked.number} (${asked.id}). Choose another${instead ? `, e.g. ${instead}` : ""}.`) }];
}

/** The addresses in use for the free one to offer: the register's and those open requests ask for. */
export function inUseOrAsked(register: PreparedRegister, pending: ReadonlyMap<string, PendingAddress>): { has(ip: string): boolean } {
  return pending.size > 0 ? { has: (ip) => register.usedIps.has(ip) || pending.has(ip) } : register.usedIps;
}

/** The lowest address of `zone`'s pool that neither the register nor an open request holds. */
export function freeAddress(register: PreparedRegister, zone: string, pending: ReadonlyMap<string, PendingAddress>): string | undefined {
  const pool = register.loaded.config.networks.zones[zone as "internal" | "external"];
  if (!pool) return undefined;
  return nextFree(pool, inUseOrAsked(register, pending));
}

/**
 * Each problem on the form field whose value (or key) it points at in the rendered file: the same
 * place on the same line, else the last field starting before it on that line (a flow list), else
 * the filing as a whole.
 */
export function placeOnFields(text: string, problems: readonly Problem[], more: readonly string[] = []): FieldProblem[] {
  if (problems.length === 0) return [];
  const located = eagerlyLocated(text);
  const places: { field: string; line: number; column: number }[] = [];
  if (located) {
    // A key written with no value reads as null, never undefined: present all the same.
    const present = (dotted: string): boolean => valueAt(located.value as Filing, dotted) !== undefined;
    for (const f of [...formFields().map((x) => x.path), ...more]) {
      const path = f.split(".");
      if (!present(f)) continue;
      for (const at of ["value", "key"] as const) {
        const pos = located.locate(path, at);
        places.push({ field: f, line: pos.line, column: pos.column });
      }
    }
    // What is said of a whole section (the department's quota, of resources) goes above its boxes.
    for (const section of new Set(formFields().map((f) => f.path.split(".")[0]!))) {
      if (!present(section) || formFields().some((f) => f.path === section)) continue;
      for (const at of ["value", "key"] as const) {
        const pos = located.locate([section], at);
        places.push({ field: section, line: pos.line, column: pos.column });
      }
    }
    // The sensitive ports' explanations point below their list's key.
    if (present("network.exposures")) {
      const pos = located.locate(["network", "exposures"], "key");
      places.push({ field: "exposures", line: pos.line, column: pos.column });
    }
  }
  return problems.map((p) => {
    const sameLine = places.filter((x) => x.line === p.line && x.column <= p.column).sort((a, b) => b.column - a.column);
    // A list of maps (disks, the explanations) is in block style: its items are on the lines below its key.
    const above = places.filter((x) => x.line < p.line && (x.field === "exposures" || x.field === "resources.disks")).sort((a, b) => b.line - a.line)[0];
    // Their items' own keys are no form fields: the first field below the list's key is past its end.
    const next = above && places.filter((x) => x.line > above.line).sort((a, b) => a.line - b.line)[0];
    const field = sameLine[0]?.field ?? (above && (!next || p.line < next.line) ? above.field : undefined);
    return { ...(field ? { field } : {}), rule: p.rule, severity: p.severity, message: p.message };
  });
}
