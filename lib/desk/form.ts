import filingSchema from "../../filings/filing.schema.json";
import type { InstitutionConfig } from "../config/model";
import { FILING_KEYS, type Filing } from "../filings/model";
import { valueAt } from "../output/filing-summary";
import { msg, type Message } from "../messages";
import { FIELD_VALUE_NAMES, SERVER_TYPE_NAMES } from "../names";
import { fieldRepair, type SchemaNode } from "../schema/check";
import { typedWholeNumber, unitOfKey } from "../units";

/**
 * The desk's filing form, generated from filings/filing.schema.json: one field per leaf of the
 * schema, in the schema's order (the paper form's), titled and described in the schema's Chinese.
 * What the schema cannot say is said here: which fields the desk fills itself (id, department,
 * status), which only a physical server has, and how a list is typed into one box. Pure.
 */

export type FieldKind = "text" | "textarea" | "number" | "date" | "email" | "choice" | "yesno" | "list";

export interface FormField {
  /** Dotted path into the filing (`administrator.phone`); also the input's name. */
  readonly path: string;
  readonly kind: FieldKind;
  readonly title: string;
  readonly description?: string;
  readonly example?: string;
  readonly required: boolean;
  /** A choice's values with their Chinese and English names. */
  readonly options?: readonly { readonly value: string; readonly name: Message }[];
  /** Shown only when the filing is for a physical server. */
  readonly physicalOnly?: boolean;
}

const schema = filingSchema as unknown as SchemaNode;
const root = filingSchema as unknown as Node;

/** Fields the desk fills itself: the id from the department and name, the department from the sign-in, the status. */
const FILLED_BY_DESK = new Set(["id", "department", "status", "decommission"]);
const PHYSICAL_ONLY = new Set(["maintenance", "onlineSince"]);
/** Lists typed into one box, comma-separated. */
const LISTS: Readonly<Record<string, { readonly item: string }>> = {
  "resources.disks": { item: "sizeGiB" },
  "network.ports": { item: "" },
};
/** The sensitive ports' explanations get their own rows (exposureRows). */
const ROWS = new Set(["network.exposures"]);

interface Node {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly format?: string;
  readonly examples?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Record<string, Node>;
  readonly maxLength?: number;
}

function kindOf(path: string, node: Node): FieldKind {
  if (LISTS[path]) return "list";
  if (node.enum) return "choice";
  if (node.type === "boolean") return "yesno";
  if (node.type === "integer" || node.type === "number") return "number";
  if (node.format === "date") return "date";
  if (node.format === "email") return "email";
  if (node.type === "string" && (node.maxLength ?? 0) > 200) return "textarea";
  return "text";
}

let fields: readonly FormField[] | undefined;

/** The form's fields, in the schema's order; read from the schema once (every keystroke asks). */
export function formFields(): readonly FormField[] {
  return (fields ??= readFields());
}

function readFields(): FormField[] {
  const out: FormField[] = [];
  const visit = (node: Node, path: string[], required: boolean, physical: boolean): void => {
    const dotted = path.join(".");
    if (node.type === "object" && node.properties && !LISTS[dotted]) {
      for (const [key, child] of Object.entries(node.properties)) {
        if (path.length === 0 && FILLED_BY_DESK.has(key)) continue;
        if (ROWS.has([...path, key].join("."))) continue;
        visit(child, [...path, key], required && (node.required ?? []).includes(key), physical || PHYSICAL_ONLY.has(key));
      }
      return;
    }
    const names = FIELD_VALUE_NAMES[dotted];
    const example = node.examples?.[0];
    out.push({
      path: dotted,
      kind: kindOf(dotted, node),
      title: node.title ?? dotted,
      ...(node.description ? { description: node.description } : {}),
      ...(example !== undefined && typeof example !== "object" ? { example: String(example) } : {}),
      required,
      ...(node.enum ? { options: node.enum.map((value) => ({ value, name: names?.[value] ?? msg(value, value) })) } : {}),
      ...(physical ? { physicalOnly: true } : {}),
    });
  };
  // Top level in FILING_KEYS order (the guide's and the paper form's), whatever the JSON's order.
  const top = root.properties ?? {};
  for (const key of FILING_KEYS) {
    if (FILLED_BY_DESK.has(key) || !top[key]) continue;
    visit(top[key]!, [key], (root.required ?? []).includes(key), PHYSICAL_ONLY.has(key));
  }
  return out;
}

/**
 * What the form says under a box beside the schema's description: the school's limits for it (from
 * limits.yaml, so the box says them before the check does) and how a list is typed into one box.
 */
export function formHints(config: InstitutionConfig): Readonly<Record<string, Message>> {
  const { perVm, maxPeriodMonths, minLogRetentionDays } = config.limits;
  const vm = SERVER_TYPE_NAMES.virtual.zh;
  return {
    "period.months": msg(`最长 ${maxPeriodMonths} 个月，到期前可续期。`, `At most ${maxPeriodMonths} months; renew before it ends.`),
    "resources.cpu": msg(`${vm}每台最多 ${perVm.cpu} 核。`, `At most ${perVm.cpu} per VM.`),
    "resources.memoryGiB": msg(`${vm}每台最多 ${perVm.memoryGiB} GiB。`, `At most ${perVm.memoryGiB} GiB per VM.`),
    "resources.disks": msg(
      `每块硬盘填一个容量（GiB），多块用逗号隔开，例如 100, 500；${vm}每台最多 ${perVm.disks} 块、合计不超过 ${perVm.diskGiB} GiB。`,
      `One size (GiB) per disk, separated by commas, e.g. 100, 500; a VM takes at most ${perVm.disks} disks and ${perVm.diskGiB} GiB in all.`,
    ),
    "network.ports": msg("多个端口用逗号隔开，例如 80/tcp, 443/tcp；不开放任何端口可留空。", "Separate ports with commas, e.g. 80/tcp, 443/tcp; leave empty to open none."),
    "operations.logRetentionDays": msg(`不少于 ${minLogRetentionDays} 天。`, `At least ${minLogRetentionDays} days.`),
    "administrator.account": msg("已填入您的账号；管理员不是您时，请改为管理员的账号或清空。", "Your account is filled in; if you are not the administrator, write theirs or clear it."),
    "commitments.responsibilityLetter": msg(
      `已填入现行版本 ${config.letters.current}。提交前请确认部门已签署这一版本的《服务器信息安全保障责任书》（向信息中心索取）。`,
      `The current version, ${config.letters.current}, is filled in. Before submitting, make sure your department has signed this version of the letter (from the information center).`,
    ),
  };
}

/** What a department types, by field path (a sensitive port's explanation as `exposures`). */
export interface FormInput {
  readonly values: Readonly<Record<string, string>>;
  readonly exposures?: readonly { readonly port: string; readonly reason: string; readonly sources: string }[];
}

/** One value the desk wrote otherwise than it was typed (138-1234-5678 → 13800138000), to say so beside the field. */
export interface Normalised {
  readonly path: string;
  readonly typed: string;
  readonly recorded: string;
}

const split = (text: string): string[] => text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);

/**
 * The filing a form makes: each value typed as the schema wants it where that is certain (digits
 * become numbers, 是/否 booleans, a list box a list), repaired where the repair is certain (the same
 * repairs `filing new` makes), and otherwise left as typed so that the check names what is wrong.
 * A physical-only field is dropped for a virtual server.
 */
export function filingFromForm(input: FormInput, department: string, name: string, config: InstitutionConfig): { filing: Record<string, unknown>; normalised: Normalised[] } {
  const normalised: Normalised[] = [];
  const filing: Record<string, unknown> = { id: `${department}-${name}`, department };
  const physical = input.values.type === "physical";
  for (const field of formFields()) {
    if (field.physicalOnly && !physical) continue;
    const raw = (input.values[field.path] ?? "").trim();
    // An empty list box is an empty list (no port opened), which the schema wants written.
    if (raw === "" && field.kind === "list" && field.required) setAt(filing, field.path.split("."), []);
    if (raw === "") continue;
    let value: unknown = raw;
    const note = (recorded: string) => {
      if (recorded !== raw) normalised.push({ path: field.path, typed: raw, recorded });
    };
    if (field.kind === "number") {
      // 8G, 4核, ８: the field's own unit or full-width digits mean the number; another unit is not guessed.
      const typed = typedWholeNumber(raw, unitOfKey(field.path.split(".").pop()!));
      if (typed && "value" in typed) {
        value = typed.value;
        note(String(typed.value));
      }
    }
    else if (field.kind === "yesno") value = raw === "true" ? true : raw === "false" ? false : raw;
    else if (field.kind === "list") {
      const items = split(raw);
      const item = LISTS[field.path]!.item;
      const number = (x: string): number | string => {
        const typed = typedWholeNumber(x, unitOfKey(item));
        return typed && "value" in typed ? typed.value : x;
      };
      // A port typed with full-width characters or its protocol in capitals (８０／TCP) is certainly 80/tcp.
      const plain = (x: string): string => x.normalize("NFKC").replace(/\/(tcp|udp)$/i, (m) => m.toLowerCase());
      value = item ? items.map((x) => ({ [item]: number(x) })) : items.map(plain);
      // Said only when every item was read as a number: "recorded as 100, 4T" beside the error on 4T would contradict it.
      if (item && items.every((x) => typeof number(x) === "number")) note(items.map((x) => String(number(x))).join(", "));
      if (!item && items.some((x) => plain(x) !== x) && items.every((x) => /^\d+\/(tcp|udp)$/.test(plain(x)))) note(items.map(plain).join(", "));
    } else {
      // The guide's "add quotes" is YAML's business: quotes typed into a box are not part of the value.
      const unquoted = /^["“”'‘’](.*)["“”'‘’]$/s.exec(raw)?.[1]?.trim() ?? raw;
      const repaired = fieldRepair(schema, field.path.split("."))(unquoted) ?? unquoted;
      value = repaired;
      note(repaired);
    }
    setAt(filing, field.path.split("."), value);
  }
  const exposures = (input.exposures ?? []).filter((e) => e.port.trim() || e.reason.trim() || e.sources.trim());
  if (exposures.length > 0) {
    const network = (filing.network ??= {}) as Record<string, unknown>;
    network.exposures = exposures.map((e) => ({ port: e.port.trim(), reason: e.reason.trim(), sources: split(e.sources) }));
  }
  filing.status = "active";
  if (!("remarks" in filing)) filing.remarks = "";
  if (!(filing.commitments as Record<string, unknown> | undefined)?.responsibilityLetter) setAt(filing, ["commitments", "responsibilityLetter"], config.letters.current);
  return { filing: ordered(filing), normalised };
}

/** A filing as the form shows it (the inverse of filingFromForm): to change, renew or decommission it. */
export function formFromFiling(filing: Filing): { values: Record<string, string>; exposures: { port: string; reason: string; sources: string }[] } {
  const values: Record<string, string> = {};
  for (const field of formFields()) {
    const v = valueAt(filing, field.path);
    if (v === undefined || v === null) continue;
    if (field.kind === "list" && Array.isArray(v)) {
      const item = LISTS[field.path]!.item;
      values[field.path] = v.map((x) => String(item ? (x as Record<string, unknown>)[item] : x)).join(", ");
    } else values[field.path] = String(v);
  }
  const exposures = (filing.network.exposures ?? []).map((e) => ({ port: e.port, reason: e.reason, sources: e.sources.join(", ") }));
  return { values, exposures };
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

/** The guide's key order, whatever order the fields came in. */
function ordered(filing: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FILING_KEYS.filter((k) => filing[k] !== undefined).map((k) => [k, filing[k]]));
}

/**
 * How much one form may hold: a box's length and a list's items. Far above any real filing (the
 * rules allow 8 disks), far below what would keep the server busy: a form past them is refused
 * before anything is built or checked.
 */
export const FORM_LIMITS = { textLength: 2000, listItems: 64, exposures: 8 } as const;

/**
 * Characters nobody types on purpose into one box: controls (line breaks included; the remarks
 * alone may hold them), format characters that reorder, join or hide text (soft hyphen, bidi
 * marks, zero widths, tags), fillers that show as nothing, and variation selectors.
 */
export const INVISIBLE = /[\p{Cc}\p{Cf}\u034f\u115f\u1160\u180e\u2028\u2029\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]/u;

/** The fields of `input` that break FORM_LIMITS or hold INVISIBLE characters, each with why. */
export function formLimitProblems(input: FormInput): { field: string; message: Message }[] {
  const out: { field: string; message: Message }[] = [];
  // Only what is typed as a list is counted in items: a purpose or a reason of many words is one text.
  const lists = new Set([...formFields().filter((f) => f.kind === "list").map((f) => f.path), "exposures.sources"]);
  const boxes: [string, string, string][] = [...Object.entries(input.values).map(([f, v]): [string, string, string] => [f, f, v]), ...(input.exposures ?? []).flatMap((e): [string, string, string][] => [["exposures", "exposures.port", e.port], ["exposures", "exposures.reason", e.reason], ["exposures", "exposures.sources", e.sources]])];
  for (const [field, box, value] of boxes) {
    if (value.length > FORM_LIMITS.textLength) out.push({ field, message: msg(`内容过长（超过 ${FORM_LIMITS.textLength} 个字符），请精简。`, `Too long (over ${FORM_LIMITS.textLength} characters).`) });
    else if (lists.has(box) && split(value).length > FORM_LIMITS.listItems) out.push({ field, message: msg(`列出的项目过多（超过 ${FORM_LIMITS.listItems} 项）。`, `Too many items (over ${FORM_LIMITS.listItems}).`) });
    else if (INVISIBLE.test(field === "remarks" ? value.replace(/\r?\n/g, "") : value)) out.push({ field, message: /[\r\n]/.test(value) && field !== "remarks" ? msg("这一栏只能填一行，请去掉换行。", "This box takes one line; remove the line breaks.") : msg("含有看不见的控制字符（常见于从网页或文档中粘贴），请删除后重新输入。", "Holds invisible control characters (often pasted from a web page or document); delete them and type it again.") });
  }
  if ((input.exposures ?? []).length > FORM_LIMITS.exposures) out.push({ field: "exposures", message: msg(`敏感端口说明最多 ${FORM_LIMITS.exposures} 行。`, `At most ${FORM_LIMITS.exposures} sensitive-port rows.`) });
  return out;
}

/** The server name a department types: what becomes the file name and the second half of the id. */
export const SERVER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
