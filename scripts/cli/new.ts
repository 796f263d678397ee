import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import filingSchema from "../../filings/filing.schema.json";
import type { InstitutionConfig } from "../../lib/config/model";
import type { LoadedConfig } from "../../lib/config/parse";
import { CancelledError, ConfigurationError, UsageError } from "../../lib/errors";
import type { Exposure, Scope, ServerType, Zone } from "../../lib/filings/model";
import { parseFiling, type LoadedFiling } from "../../lib/filings/parse";
import type { IsoDate } from "../../lib/filings/dates";
import { buildFiling, filingPath, renderFiling, type NewFilingAnswers } from "../../lib/filings/scaffold";
import { msg, text, type Lang, type Message } from "../../lib/messages";
import { formatText } from "../../lib/output/problems";
import { hasErrors, type Problem } from "../../lib/problems";
import { pathPartProblem } from "../../lib/rules/identity";
import { sensitiveEntry, sensitiveWords } from "../../lib/net/exposure";
import { otherUnitMessage, typedWholeNumber, UNITS, type Unit } from "../../lib/units";
import { nextFreeAddress } from "../../lib/net/ip";
import { parsePort } from "../../lib/net/port";
import { fieldRepair, fieldValidator, type SchemaNode } from "../../lib/schema/check";
import { checkRules, validateRegister } from "../../lib/validate";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption, todayOption } from "./options";
import { FILING_CLI, SCOPE_NAMES, SERVER_TYPE_NAMES, ZONE_NAMES } from "../../lib/names";

/** The questions' answers come from an Asker: prompts on a terminal, a script in tests. */
export interface Asker {
  text(q: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  choose<T extends string>(q: { message: string; choices: { value: T; name: string }[]; default?: T }): Promise<T>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

/** What a cancelled prompt throws, whatever the prompt library calls it. */
export class PromptCancelled extends Error {}

/**
 * A typed yes or no, in the words people type: 是/否, y/n, yes/no, 要/不要… (full-width letters
 * too). Undefined for anything else, which is asked again: an answer is never guessed, and Enter
 * alone is no answer (a select list once took "y" + Enter for its default, 否, and lost a disk).
 */
export function yesOrNo(raw: string): boolean | undefined {
  const said = raw.normalize("NFKC").trim().toLowerCase();
  if (["y", "yes", "是", "是的", "对", "要", "需要", "有"].includes(said)) return true;
  if (["n", "no", "否", "不", "不是", "不要", "不需要", "没有", "无"].includes(said)) return false;
  return undefined;
}

/**
 * Inquirer's prompts in the user's language. Yes/no is typed (yesOrNo) rather than inquirer's
 * English y/N, and the help line under a choice is translated; Ctrl-C becomes PromptCancelled.
 */
export async function inquirerAsker(lang: Lang = "zh"): Promise<Asker> {
  const prompts = await import("@inquirer/prompts");
  const keys: Record<string, string> = lang === "en" ? { navigate: "move", select: "choose" } : { navigate: "上下移动", select: "确认" };
  const theme = {
    style: {
      keysHelpTip: (list: [string, string][]) => list.map(([key, action]) => `${key} ${keys[action] ?? action}`).join(" • "),
    },
  };
  const cancellable = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      if (e instanceof Error && e.name === "ExitPromptError") throw new PromptCancelled();
      throw e;
    }
  };
  // Twelve lines at a time: the departments, and the review's every answer, without a long scroll.
  const choose: Asker["choose"] = (q) => cancellable(prompts.select({ message: q.message, choices: q.choices, default: q.default, theme, pageSize: 12 }));
  return {
    text: (q) => cancellable(prompts.input({ message: q.message, default: q.default, validate: q.validate })),
    choose,
    confirm: async (q) => {
      const hint = text(msg("请回答 是 或 否（也可输入 y 或 n）。", "Answer yes or no (y or n)."), lang);
      const answer = await cancellable(prompts.input({ message: `${q.message}${lang === "en" ? " (y/n)" : "（是/否）"}`, validate: (v) => yesOrNo(v) !== undefined || hint }));
      return yesOrNo(answer)!;
    },
  };
}

interface NewOptions {
  root: string;
  lang: string;
  today?: string;
  yes?: boolean;
  resume?: boolean;
  department?: string;
  name?: string;
  type?: ServerType;
  purpose?: string;
  scope?: Scope;
  adminName?: string;
  adminTitle?: string;
  adminPhone?: string;
  adminEmail?: string;
  adminAccount?: string;
  start?: string;
  months?: string;
  cpu?: string;
  memory?: string;
  disk?: string[];
  zone?: Zone;
  ip?: string;
  port?: string[];
  exposure?: string[];
  logDays?: string;
  dailyBackup?: boolean;
  secondCopy?: boolean;
  letter?: string;
  remarks?: string;
  vendor?: string;
  warranty?: boolean;
  techName?: string;
  techPhone?: string;
  onlineSince?: string;
}

/** The answers so far, by question; saved after each answer so that nothing typed is lost. */
interface Draft {
  department?: string;
  name?: string;
  type?: ServerType;
  purpose?: string;
  scope?: Scope;
  adminName?: string;
  adminTitle?: string;
  adminPhone?: string;
  adminEmail?: string;
  adminAccount?: string;
  start?: string;
  months?: number;
  cpu?: number;
  memory?: number;
  disks?: number[];
  zone?: Zone;
  ip?: string;
  ports?: string[];
  exposures?: Exposure[];
  logDays?: number;
  dailyBackup?: boolean;
  secondCopy?: boolean;
  letter?: string;
  remarks?: string;
  vendor?: string;
  warranty?: boolean;
  techName?: string;
  techPhone?: string;
  onlineSince?: string;
}
type Key = keyof Draft;

/** Where the draft lives, in the register root (and in .gitignore): one interview at a time. */
export const DRAFT_FILE = ".filing-new-draft.json";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const schema = filingSchema as SchemaNode;

/**
 * The institution rules that judge each answer, by the question that gives it. A question is
 * asked again while one of its rules finds an error in the filing its answer would make.
 */
const RULES_OF: Partial<Record<Key, readonly string[]>> = {
  name: ["filing-location", "filing-id"],
  start: ["period-expired"],
  months: ["period-months"],
  cpu: ["vm-limits", "department-quota"],
  memory: ["vm-limits", "department-quota"],
  disks: ["vm-limits", "department-quota"],
  ip: ["ip-in-pool", "ip-unique"],
  ports: ["external-ports", "forbidden-port", "security-group"],
  exposures: ["sensitive-port"],
  logDays: ["log-retention"],
  dailyBackup: ["backup"],
  secondCopy: ["backup"],
  letter: ["responsibility-letter"],
  onlineSince: ["physical-details"],
};

/** The filing an answer is judged in: the answers so far, and neutral values for the rest. */
function assemble(d: Draft, config: InstitutionConfig, today: IsoDate): NewFilingAnswers {
  const answers: NewFilingAnswers = {
    department: d.department ?? config.departments[0]!.slug,
    name: d.name ?? "draft",
    type: d.type ?? "virtual",
    purpose: d.purpose ?? "待填写",
    scope: d.scope ?? "department",
    administrator: {
      name: d.adminName ?? "待填写",
      title: d.adminTitle ?? "待填写",
      phone: d.adminPhone ?? "13800138000",
      email: d.adminEmail ?? "someone@example.edu.cn",
      ...(d.adminAccount ? { account: d.adminAccount } : {}),
    },
    start: d.start ?? today,
    months: d.months ?? 1,
    cpu: d.cpu ?? 1,
    memoryGiB: d.memory ?? 1,
    disksGiB: d.disks?.length ? d.disks : [1],
    zone: d.zone ?? "internal",
    ip: d.ip ?? "auto",
    ports: d.ports ?? [],
    exposures: d.exposures,
    logRetentionDays: d.logDays ?? Math.max(180, config.limits.minLogRetentionDays),
    backup: { daily: d.dailyBackup ?? true, secondCopy: d.secondCopy ?? true },
    responsibilityLetter: d.letter ?? config.letters.current,
    remarks: d.remarks ?? "",
  };
  if (answers.type === "physical") {
    answers.maintenance = {
      vendor: d.vendor ?? "待填写",
      underWarranty: d.warranty ?? true,
      technician: { name: d.techName ?? "待填写", phone: d.techPhone ?? "13800138000" },
    };
    answers.onlineSince = d.onlineSince ?? today;
  }
  return answers;
}

/** The register as loaded once, and the means to judge a filing against it. */
interface Judge {
  readonly root: string;
  readonly config: LoadedConfig;
  readonly existing: readonly LoadedFiling[];
  readonly usedIps: ReadonlySet<string>;
  readonly today: IsoDate;
}

/** The problems of `severity` the rules find in the filing that `draft` makes, or a message when it cannot be built. */
function judge(j: Judge, draft: Draft, rules?: readonly string[], severity: Problem["severity"] = "error"): { problems: Problem[]; path?: string } | Message {
  const built = buildFiling(assemble(draft, j.config.config, j.today), j.config.config, j.usedIps);
  if ("error" in built) return built.error;
  const parsed = parseFiling({ path: built.path, bytes: Buffer.from(renderFiling(built.filing), "utf8") });
  if (!parsed.loaded) return { problems: [...parsed.problems], path: built.path };
  const change = { changed: new Set([built.path]), added: new Set([built.path]) };
  const problems = checkRules([...j.existing, parsed.loaded], j.config, j.today, change).filter(
    (p) => p.file === built.path && p.severity === severity && (!rules || rules.includes(p.rule)),
  );
  return { problems, path: built.path };
}

interface Ask<T> {
  key: Key;
  flag: string;
  given: string | undefined;
  label: Message;
  /** The schema field that judges the value on its own. */
  field?: string[];
  parse?: (raw: string) => T | Message;
  fallback?: string;
  /** May be left empty (备注). */
  optional?: boolean;
  /** Asked even when the draft holds an answer (each further disk adds to the same list). */
  always?: boolean;
  /** This answer's part of the value, as it is recorded (a disk's size, not the whole list). */
  recorded?: (value: T) => string;
}

/** Asks each question unless a flag or the draft answers it; checks every answer as it comes. */
class Interview {
  readonly missing: string[] = [];
  /** Each question's label, as asked or kept: what the review after a resumed interview lists. */
  readonly labels = new Map<Key, Message>();
  /** How a chosen answer reads (教务处, not jwc), for the review. */
  readonly named = new Map<Key, (value: unknown) => string | undefined>();
  /** A resumed interview says each answer it keeps from the draft (`kept`), once. */
  resuming = false;
  private readonly said = new Set<Key>();
  /** An answer the review dropped to ask again: offered as the default, never kept silently. */
  readonly previous = new Map<Key, unknown>();
  constructor(
    private readonly asker: Asker | undefined,
    private readonly lang: Lang,
    private readonly j: Judge,
    readonly draft: Draft,
    private readonly save: (d: Draft) => void,
    private readonly warn: (line: string) => void,
  ) {}

  private t(m: Message): string {
    return text(m, this.lang);
  }

  /** Schema check of the field, then the rules of the question on the whole filing. */
  private verdict(key: Key, value: unknown, field: string[] | undefined): true | string {
    if (field) {
      const check = fieldValidator(schema, field);
      for (const item of Array.isArray(value) ? value : [value]) {
        const own = check(item);
        if (own !== true) return this.t(own);
      }
    }
    if (key === "name" && this.draft.department) {
      const file = filingPath(this.draft.department, String(value));
      if (fs.existsSync(path.join(this.j.root, file))) {
        return this.t(msg(`${file} 已存在。请换一个名称；修改已有备案请直接编辑该文件。`, `${file} already exists. Choose another name, or edit that file instead.`));
      }
    }
    const rules = RULES_OF[key];
    if (!rules) return true;
    const found = judge(this.j, { ...this.draft, [key]: value }, rules);
    if ("zh" in found) return this.t(found);
    return found.problems.length ? this.t(found.problems[0]!.message) : true;
  }

  /** What "auto" allocates in `zone` now, as the review shows it. */
  allocated(zone: Zone): string {
    const free = nextFreeAddress(this.j.config.config.networks.zones[zone], this.j.usedIps);
    return free ? this.t(msg(`auto（将分配 ${free}）`, `auto (will be ${free})`)) : this.t(msg("auto（地址池已满）", "auto (the pool is full)"));
  }

  /** Says at once what the question's rules only warn of (a physical server filed late), before the questions it bears on. */
  warnings(key: Key): void {
    if (!this.asker || this.draft[key] === undefined) return;
    const found = judge(this.j, this.draft, RULES_OF[key], "warning");
    if (!("zh" in found)) for (const p of found.problems) this.warn(this.t(msg(`  ⚠ ${p.message.zh}`, `  ⚠ ${p.message.en}`)));
  }

  /** Whether an answer kept from an earlier run still passes its checks (resuming a draft). */
  accepts(key: Key, value: unknown, field?: string[]): boolean {
    return this.verdict(key, value, field) === true;
  }

  /** An answer taken from the draft: said when resuming, so the user sees what was kept. */
  kept<T>(key: Key, label: Message, value: T, shown?: string): T {
    this.labels.set(key, label);
    if (this.resuming && this.asker && !this.said.has(key)) {
      this.said.add(key);
      const name = shortLabel(label);
      this.warn(this.t(msg(`  ✓ ${name.zh}：${shown ?? answerText(value, "zh")}（上次的回答）`, `  ✓ ${name.en}: ${shown ?? answerText(value, "en")} (kept from last time)`)));
    }
    return value;
  }

  private keep<K extends Key>(key: K, value: Draft[K]): Draft[K] {
    this.draft[key] = value;
    if (this.asker) this.save(this.draft);
    return value;
  }

  /** A text answer, parsed (numbers, lists) and judged; a flag's value is judged with the whole file later. */
  async text<T = string>(q: Ask<T>): Promise<T> {
    // A field's answer as typed, or repaired where the repair is certain (138-1234-5678, 2026/12/1).
    const repair = q.field && !q.parse ? fieldRepair(schema, q.field) : undefined;
    const parse = q.parse ?? ((raw: string) => (repair?.(raw.trim()) ?? raw) as unknown as T);
    const judgeRaw = (raw: string): true | string => {
      if (q.optional && raw.trim() === "") return true;
      const value = parse(raw);
      if (isMessage(value)) return this.t(value);
      return this.verdict(q.key, value, q.field);
    };
    if (q.given !== undefined) {
      const value = parse(q.given);
      if (isMessage(value)) throw new UsageError(msg(`${q.flag} 的值 "${q.given}" 无效：${value.zh}`, `${q.flag} "${q.given}" is invalid: ${value.en}`));
      return this.keep(q.key, value as Draft[Key]) as T;
    }
    const earlier = this.draft[q.key];
    if (earlier !== undefined && !q.always && judgeRaw(show(earlier)) === true) return this.kept(q.key, q.label, earlier as T);
    this.labels.set(q.key, q.label);
    if (!this.asker) {
      if (q.fallback !== undefined) return this.keep(q.key, parse(q.fallback) as Draft[Key]) as T;
      if (q.optional) return this.keep(q.key, "" as Draft[Key]) as T;
      this.missing.push(q.flag);
      return undefined as T;
    }
    const again = this.previous.get(q.key);
    const shown = earlier !== undefined && !q.always ? show(earlier) : again !== undefined && !q.always ? show(again) : q.fallback;
    const raw = await this.asker.text({ message: this.t(q.label), default: shown, validate: judgeRaw });
    const value = q.optional && raw.trim() === "" ? "" : parse(raw);
    // What was typed otherwise than it is recorded (8G → 8, ２０２６/12/1 → 2026-12-01) is said.
    const recorded = typeof value === "string" ? value : q.recorded ? q.recorded(value as T) : show(value);
    if (raw.trim() !== "" && recorded !== raw.trim()) this.warn(this.t(msg(`  → 记为 ${recorded}`, `  → recorded as ${recorded}`)));
    return this.keep(q.key, value as Draft[Key]) as T;
  }

  async choose<T extends string>(key: Key, flag: string, given: T | undefined, label: Message, choices: { value: T; name: string }[], fallback?: T): Promise<T> {
    if (given !== undefined) {
      if (!choices.some((c) => c.value === given)) {
        throw new UsageError(msg(`${flag} 的值 "${given}" 无效，可选：${choices.map((c) => c.value).join("、")}`, `${flag} "${given}" is invalid; choose one of ${choices.map((c) => c.value).join(", ")}`));
      }
      return this.keep(key, given as Draft[Key]) as T;
    }
    const earlier = this.draft[key] as T | undefined;
    this.named.set(key, (value) => choices.find((c) => c.value === value)?.name);
    const named = choices.find((c) => c.value === earlier);
    if (earlier !== undefined && named) return this.kept(key, label, earlier, named.name);
    this.labels.set(key, label);
    if (!this.asker) {
      if (fallback !== undefined) return this.keep(key, fallback as Draft[Key]) as T;
      this.missing.push(flag);
      return choices[0]!.value;
    }
    const again = this.previous.get(key) as T | undefined;
    return this.keep(key, (await this.asker.choose({ message: this.t(label), choices, default: again ?? fallback })) as Draft[Key]) as T;
  }

  /** A yes/no answer; one the rules refuse (a backup promise declined) is explained and asked again. */
  async confirm(key: Key, flag: string, given: boolean | undefined, label: Message, fallback?: boolean, suggested = fallback): Promise<boolean> {
    if (given !== undefined) return this.keep(key, given as Draft[Key]) as boolean;
    const earlier = this.draft[key];
    if (typeof earlier === "boolean" && this.verdict(key, earlier, undefined) === true) return this.kept(key, label, earlier);
    this.labels.set(key, label);
    if (!this.asker) {
      if (fallback !== undefined) return this.keep(key, fallback as Draft[Key]) as boolean;
      this.missing.push(flag);
      return false;
    }
    for (;;) {
      const value = await this.asker.confirm({ message: this.t(label), default: suggested });
      const verdict = this.verdict(key, value, undefined);
      if (verdict === true) return this.keep(key, value as Draft[Key]) as boolean;
      // The rule speaks of the file (daily: true); a question is answered in words.
      const declined = DECLINED[key];
      this.warn(declined ? this.t(declined) : verdict);
    }
  }
}

/** A question's label without its bracketed hint: 服务器名称（小写字母…） → 服务器名称. */
function shortLabel(label: Message): Message {
  return msg(label.zh.replace(/（[^（）]*）$/, "").replace(/？$/, ""), label.en.replace(/\s*\([^()]*\)$/, "").replace(/\?$/, ""));
}

/** An answer as the recap and the review show it: 是/否 for yes/no, lists joined. */
function answerText(value: unknown, lang: Lang): string {
  if (typeof value === "boolean") return lang === "en" ? (value ? "yes" : "no") : value ? "是" : "否";
  if (Array.isArray(value)) return value.map((v) => (typeof v === "object" && v !== null && "port" in v ? `${String((v as Exposure).port)} ← ${(v as Exposure).sources.join(",")}` : String(v))).join(", ") || "—";
  return String(value) || "—";
}

/**
 * After a resumed interview, before anything is written: every answer with its question, and the
 * chance to change any one of them (that answer is dropped and asked again, with whatever follows
 * from it), until the user says they are right.
 */
async function review(o: NewOptions, config: InstitutionConfig, today: string, q: Interview, asker: Asker, lang: Lang): Promise<void> {
  for (;;) {
    const answered = [...q.labels].filter(([key]) => q.draft[key] !== undefined);
    const change = await asker.choose<string>({
      message: text(msg("以上回答都对吗？可以选一项重新回答", "Are these answers right? You can pick one to answer again"), lang),
      choices: [
        { value: "", name: text(msg("都对，写入备案文件", "All right: write the filing"), lang) },
        ...answered.map(([key, label]) => ({ value: key, name: `${text(shortLabel(label), lang)}：${q.named.get(key)?.(q.draft[key]) ?? answerText(q.draft[key], lang)}` })),
      ],
      default: "",
    });
    if (change === "") return;
    q.previous.set(change as Key, q.draft[change as Key]);
    delete q.draft[change as Key];
    await interview(o, config, today, q, asker, lang);
  }
}

/** What declining a commitment the server rules require means, said at the question. */
const DECLINED: Partial<Record<Key, Message>> = {
  dailyBackup: msg(
    "管理细则要求每天备份数据和日志：不作此承诺，备案无法提交。请确认能做到后回答“是”；做不到请按 Ctrl-C 退出，先与信息中心商量。",
    "The server rules require a daily backup of data and logs: without this commitment the filing cannot be submitted. Answer yes once you can do it; if you cannot, press Ctrl-C and talk to the information center first.",
  ),
  secondCopy: msg(
    "管理细则要求重要数据另存一份到其他介质（双备份）：不作此承诺，备案无法提交。请确认能做到后回答“是”；做不到请按 Ctrl-C 退出，先与信息中心商量。",
    "The server rules require a second copy of important data on other media: without this commitment the filing cannot be submitted. Answer yes once you can do it; if you cannot, press Ctrl-C and talk to the information center first.",
  ),
};

function isMessage(v: unknown): v is Message {
  return typeof v === "object" && v !== null && "zh" in v && "en" in v;
}

function show(v: unknown): string {
  return Array.isArray(v) ? v.join(",") : String(v);
}

/** The server's name, which becomes its file name: the file-name rule's message says which it is. */
const serverName = (raw: string): string | Message => {
  // The file name's own ending is no part of the name (study-room.yaml is study-room).
  const name = raw.trim().replace(/\.ya?ml$/i, "");
  const problem = pathPartProblem("file", name);
  return problem ? msg(`服务器名称将用作文件名：${problem.zh}`, `The server name becomes the file name: ${problem.en}`) : name;
};

/**
 * A whole number as people type it: full-width digits, and the question's own unit after it
 * (8G, 100 GiB, 4核, 12个月); another unit (1T for GiB) is refused rather than converted.
 */
const wholeNumberIn = (unit: Unit) => (raw: string): number | Message => {
  const typed = typedWholeNumber(raw, unit);
  if (typed && "value" in typed) return typed.value;
  if (typed) {
    const said = otherUnitMessage(typed, unit);
    return msg(said.zh, said.en.trim());
  }
  return msg("请输入整数（只填数字）。", "Enter a whole number (digits only).");
};

/** "443/tcp, 80/tcp" (ASCII or full-width commas, or spaces) → the list; each must be port/protocol. */
const portList = (raw: string): string[] | Message => {
  const list = raw.split(/[,，、\s]+/).filter(Boolean);
  const bad = list.find((p) => !parsePort(p));
  return bad === undefined
    ? list
    : msg(`"${bad}" 不是“端口/协议”的写法，应形如 443/tcp 或 53/udp。`, `"${bad}" is not port/protocol; write e.g. 443/tcp or 53/udp.`);
};

/** Asks the form's questions in the form's order. */
async function interview(o: NewOptions, config: InstitutionConfig, today: string, q: Interview, asker: Asker | undefined, lang: Lang): Promise<void> {
  const en = lang === "en";
  await q.choose("department", "--department", o.department, msg("申请部门", "Department"),
    config.departments.map((d) => ({ value: d.slug, name: `${d.slug} ${d.name}` })));
  await q.text({ key: "name", flag: "--name", given: o.name, parse: serverName, label: msg("服务器名称（小写字母、数字、连字符，将作为文件名，如 course-selection 或 opac）", "Server name (lowercase letters, digits, '-'; becomes the file name, e.g. course-selection or opac)") });
  const type = await q.choose<ServerType>("type", "--type", o.type, msg("服务器类型", "Server type"), [
    { value: "virtual", name: text(SERVER_TYPE_NAMES.virtual, lang) },
    { value: "physical", name: text(SERVER_TYPE_NAMES.physical, lang) },
  ], "virtual");
  if (type === "physical") {
    // Asked first: a server filed late is told so before the remarks, where the reason goes.
    await q.text({ key: "onlineSince", flag: "--online-since", given: o.onlineSince, label: msg("上线时间（YYYY-MM-DD）", "Online since (YYYY-MM-DD)"), field: ["onlineSince"], fallback: today });
    q.warnings("onlineSince");
  }
  await q.text({ key: "purpose", flag: "--purpose", given: o.purpose, label: msg("用途", "Purpose"), field: ["purpose"] });
  await q.choose<Scope>("scope", "--scope", o.scope, msg("应用级别", "Scope"), [
    { value: "school", name: text(SCOPE_NAMES.school, lang) },
    { value: "department", name: text(SCOPE_NAMES.department, lang) },
  ], "department");
  await q.text({ key: "adminName", flag: "--admin-name", given: o.adminName, label: msg("应用系统管理员 姓名", "Administrator name"), field: ["administrator", "name"] });
  await q.text({ key: "adminTitle", flag: "--admin-title", given: o.adminTitle, label: msg("应用系统管理员 职务", "Administrator title"), field: ["administrator", "title"] });
  await q.text({ key: "adminPhone", flag: "--admin-phone", given: o.adminPhone, label: msg("应用系统管理员 手机号码", "Administrator mobile"), field: ["administrator", "phone"] });
  await q.text({ key: "adminEmail", flag: "--admin-email", given: o.adminEmail, label: msg("应用系统管理员 邮箱", "Administrator e-mail"), field: ["administrator", "email"] });
  // Not asked: one more question for every department, for a field the desk fills from the sign-in.
  if (o.adminAccount !== undefined) await q.text({ key: "adminAccount", flag: "--admin-account", given: o.adminAccount, label: msg("管理员的代码平台账号", "Administrator's forge account"), field: ["administrator", "account"] });
  await q.text({ key: "start", flag: "--start", given: o.start, label: msg("开通时间（YYYY-MM-DD）", "Start date (YYYY-MM-DD)"), field: ["period", "start"], fallback: today });
  await q.text({ key: "months", flag: "--months", given: o.months, label: msg(`申请使用周期（月，最长 ${config.limits.maxPeriodMonths}）`, `Period (months, at most ${config.limits.maxPeriodMonths})`), field: ["period", "months"], parse: wholeNumberIn(UNITS.months), fallback: String(config.limits.maxPeriodMonths) });
  await q.text({ key: "cpu", flag: "--cpu", given: o.cpu, label: msg("CPU（核）", "CPU (cores)"), field: ["resources", "cpu"], parse: wholeNumberIn(UNITS.cpu) });
  await q.text({ key: "memory", flag: "--memory", given: o.memory, label: msg("内存（GiB，只填数字）", "Memory (GiB, digits only)"), field: ["resources", "memoryGiB"], parse: wholeNumberIn(UNITS.gib) });
  await disks(o, q, asker, lang);
  const zone = await q.choose<Zone>("zone", "--zone", o.zone, msg(`是否需要${ZONE_NAMES.external.zh}`, "Network zone"), [
    { value: "internal", name: en ? "internal only" : "不需要（仅校内访问）" },
    { value: "external", name: en ? "Internet-facing" : "需要（从互联网访问）" },
  ], "internal");
  await q.text({ key: "ip", flag: "--ip", given: o.ip, label: msg("IP 地址（auto 为自动分配）", "IP address (auto to allocate)"), fallback: "auto", parse: (raw) => raw.trim() });
  // The review says which address "auto" will be, before anything is written.
  q.named.set("ip", (value) => (value === "auto" ? q.allocated(zone) : undefined));
  if (zone === "external" || o.port) {
    await q.text({ key: "ports", flag: "--port", given: o.port?.join(","), label: msg("开放端口，逗号分隔（如 443/tcp,80/tcp）", "Ports to open, comma-separated (e.g. 443/tcp)"), parse: portList, fallback: zone === "external" ? "443/tcp" : "" });
    await exposures(o, q, asker, lang, config);
  } else {
    q.draft.ports = [];
    q.draft.exposures = undefined;
  }
  await q.text({ key: "logDays", flag: "--log-days", given: o.logDays, label: msg(`日志保存天数（不少于 ${config.limits.minLogRetentionDays}）`, `Log retention (days, at least ${config.limits.minLogRetentionDays})`), field: ["operations", "logRetentionDays"], parse: wholeNumberIn(UNITS.days), fallback: String(Math.max(180, config.limits.minLogRetentionDays)) });
  await q.confirm("dailyBackup", "--daily-backup", o.dailyBackup, msg("是否承诺每天备份数据和日志？（管理细则要求）", "Do you commit to a daily backup of data and logs? (required by the server rules)"), undefined, true);
  await q.confirm("secondCopy", "--second-copy", o.secondCopy, msg("是否承诺重要数据另存一份到其他介质（双备份）？（管理细则要求）", "Do you commit to a second copy of important data on other media? (required)"), undefined, true);
  await q.text({ key: "letter", flag: "--letter", given: o.letter, label: msg("已签署的责任书版本", "Signed letter version"), field: ["commitments", "responsibilityLetter"], fallback: config.letters.current });
  await q.text({ key: "remarks", flag: "--remarks", given: o.remarks, label: msg("备注（可直接回车留空）", "Remarks (Enter to leave empty)"), field: ["remarks"], optional: true });
  if (type === "physical") {
    await q.text({ key: "vendor", flag: "--vendor", given: o.vendor, label: msg("维保单位", "Maintenance vendor"), field: ["maintenance", "vendor"] });
    await q.confirm("warranty", "--warranty", o.warranty, msg("是否在保", "Under warranty?"), true);
    await q.text({ key: "techName", flag: "--tech-name", given: o.techName, label: msg("维保技术姓名", "Technician name"), field: ["maintenance", "technician", "name"] });
    await q.text({ key: "techPhone", flag: "--tech-phone", given: o.techPhone, label: msg("维保技术电话（手机、固定电话如 010-62751234，或 400 电话）", "Technician phone (mobile, landline such as 010-62751234, or a 400 number)"), field: ["maintenance", "technician", "phone"] });
  }
}

const DISK_FIELD = ["resources", "disks", "0", "sizeGiB"];
const REASON_FIELD = ["network", "exposures", "0", "reason"];
const SOURCE_FIELD = ["network", "exposures", "0", "sources", "0"];

/** `--exposure "22/tcp|10.8.0.0/16,192.0.2.0/24|理由"` → the filing's entry. */
function exposureFlag(value: string): Exposure | Message {
  const [port = "", sources = "", ...reason] = value.split("|");
  const list = sources.split(/[,，、\s]+/).filter(Boolean);
  if (!parsePort(port.trim()) || list.length === 0 || reason.join("|").trim() === "") {
    return msg(`应写作 "端口|来源地址段,…|理由"，例如 "22/tcp|10.8.0.0/16|运维人员经学校 VPN 远程维护"。`, `write "port|source,…|reason", e.g. "22/tcp|10.8.0.0/16|administrators over the school VPN".`);
  }
  return { port: port.trim(), reason: reason.join("|").trim(), sources: list };
}

/**
 * For each sensitive port opened to the Internet: the reason, then the sources allowed to reach it,
 * judged by the sensitive-port rule on the filing they make (never 0.0.0.0/0).
 */
async function exposures(o: NewOptions, q: Interview, asker: Asker | undefined, lang: Lang, config: InstitutionConfig): Promise<void> {
  const ports = (q.draft.ports ?? []).filter((p) => sensitiveEntry(p, config));
  if (ports.length === 0) {
    q.draft.exposures = undefined;
    return;
  }
  if (o.exposure) {
    const given = o.exposure.map(exposureFlag);
    const bad = given.find((g): g is Message => "zh" in g);
    if (bad) throw new UsageError(msg(`--exposure 的值无效：${bad.zh}`, `--exposure is invalid: ${bad.en}`));
    q.draft.exposures = given as Exposure[];
    return;
  }
  const earlier = q.draft.exposures;
  const all = msg("敏感端口的来源地址段", "Sensitive ports' sources");
  if (earlier && ports.every((p) => earlier.some((e) => e.port === p)) && q.accepts("exposures", earlier)) {
    q.kept("exposures", all, earlier);
    return;
  }
  if (!asker) {
    q.missing.push("--exposure");
    return;
  }
  const list: Exposure[] = [];
  for (const port of ports) {
    const { name, reason: why } = sensitiveWords(sensitiveEntry(port, config)!);
    const check = fieldValidator(schema, REASON_FIELD);
    const reason = await asker.text({
      message: text(msg(`端口 ${port}（${name.zh}）是敏感端口：${why.zh}。请说明为什么必须从互联网访问`, `Port ${port} (${name.en}) is sensitive: ${why.en}. Why must it be reachable from the Internet?`), lang),
      validate: (v) => {
        const r = check(v.trim());
        return r === true ? true : text(r, lang);
      },
    });
    await q.text<Exposure[]>({
      key: "exposures", flag: "--exposure", given: undefined, always: true, field: undefined, recorded: (list) => list.at(-1)!.sources.join(","),
      label: msg(`允许访问 ${port} 的来源地址段，逗号分隔（如学校 VPN 10.8.0.0/16）`, `Source ranges allowed to reach ${port}, comma-separated (e.g. the school VPN, 10.8.0.0/16)`),
      parse: (raw) => {
        const sources = raw.split(/[,，、\s]+/).filter(Boolean);
        if (sources.length === 0) return msg("请至少填写一个地址段。", "Give at least one range.");
        const source = fieldValidator(schema, SOURCE_FIELD);
        for (const x of sources) {
          const r = source(x);
          if (r !== true) return r;
        }
        return [...list, { port, reason: reason.trim(), sources }];
      },
    });
    list.splice(0, list.length, ...(q.draft.exposures ?? []));
  }
  q.labels.set("exposures", all);
}

async function disks(o: NewOptions, q: Interview, asker: Asker | undefined, lang: Lang): Promise<void> {
  const sizes: number[] = [];
  const label = (i: number) => (i === 0 ? msg("系统盘容量（GiB）", "First disk (GiB)") : msg(`第 ${i + 1} 块硬盘容量（GiB）`, `Disk ${i + 1} size (GiB)`));
  const one = async (i: number, given: string | undefined): Promise<void> => {
    // Each disk is judged with the ones before it: the quota counts them all.
    const size = await q.text<number[]>({
      key: "disks", flag: "--disk", given, label: label(i), field: DISK_FIELD, always: true, recorded: (list) => String(list.at(-1)),
      parse: (raw) => {
        const n = wholeNumberIn(UNITS.gib)(raw);
        return typeof n === "number" ? [...sizes, n] : n;
      },
    });
    if (size !== undefined) sizes.splice(0, sizes.length, ...size);
  };
  if (o.disk?.length) {
    for (const [i, d] of o.disk.entries()) await one(i, d);
    return;
  }
  const earlier = q.draft.disks;
  const all = msg("硬盘容量（GiB）", "Disks (GiB)");
  if (earlier?.length && q.accepts("disks", earlier, DISK_FIELD)) {
    q.kept("disks", all, earlier);
    return;
  }
  q.draft.disks = undefined;
  await one(0, undefined);
  while (asker && (await asker.confirm({ message: text(msg("是否再加一块硬盘？", "Add another disk?"), lang), default: false }))) {
    await one(sizes.length, undefined);
  }
  q.labels.set("disks", all);
}

/**
 * `filing new`: asks the form's questions (or takes flags), checks each answer with the schema and
 * the institution rules as it comes, allocates the next free IP, checks the whole file against the
 * register and writes it only when it is valid and new. Answers are kept in a draft until then.
 */
export function newCommand(io: CliIo, setExit: (code: number) => void, askerFactory: (lang: Lang) => Promise<Asker> = inquirerAsker): Command {
  return new Command("new")
    .description("write a new filing by answering the form's questions / 新建备案")
    .addOption(rootOption())
    .addOption(langOption())
    .addOption(todayOption())
    .option("-y, --yes", "never prompt: take every answer from flags and defaults")
    .option("--resume", `continue the interview saved in ${DRAFT_FILE} / 继续上次未完成的填写`)
    .option("--department <slug>")
    .option("--name <name>")
    .addOption(new Option("--type <type>").choices(["virtual", "physical"]))
    .option("--purpose <text>")
    .addOption(new Option("--scope <scope>").choices(["school", "department"]))
    .option("--admin-name <name>")
    .option("--admin-title <title>")
    .option("--admin-phone <phone>")
    .option("--admin-email <email>")
    .option("--admin-account <login>")
    .option("--start <date>")
    .option("--months <n>")
    .option("--cpu <n>")
    .option("--memory <GiB>")
    .option("--disk <GiB>", "repeat for each disk", collect)
    .addOption(new Option("--zone <zone>").choices(["internal", "external"]))
    .option("--ip <address>", "an address from the zone's pool, or auto")
    .option("--port <port/proto>", "repeat for each port, e.g. 443/tcp", collect)
    .option("--exposure <port|sources|reason>", 'a sensitive port\'s sources and reason, e.g. "22/tcp|10.8.0.0/16|…"; repeat per port', collect)
    .option("--log-days <n>")
    .option("--daily-backup", "commit to a daily backup of data and logs / 承诺每日备份")
    .option("--second-copy", "commit to a second copy on other media / 承诺双备份")
    .option("--letter <version>")
    .option("--remarks <text>")
    .option("--vendor <name>")
    .option("--warranty", "physical: under warranty")
    .option("--no-warranty", "physical: out of warranty")
    .option("--tech-name <name>")
    .option("--tech-phone <phone>")
    .option("--online-since <date>")
    .action(async (o: NewOptions) => {
      const lang = asLang(o.lang);
      const { root, today, filings: files, config: configSources } = openRegister(io, o);
      const before = validateRegister({ filings: files, config: configSources, today });
      if (!before.config) {
        io.stderr(formatText({ ok: false, filings: 0, problems: before.problems.filter((p) => p.file.startsWith("policies/")) }, lang));
        throw new ConfigurationError(msg("机构配置（policies/）有错误，无法新建备案。", "The institution config (policies/) has errors; cannot create a filing."));
      }
      const config = before.config.config;
      const draftPath = path.join(root, DRAFT_FILE);
      const asker = o.yes || !io.isInteractive ? undefined : await askerFactory(lang);
      // A draft left by an interview that stopped is never overwritten unasked: `new` without
      // --resume asks whether to go on with it or start again.
      let resume = o.resume === true;
      if (!resume && asker && fs.existsSync(draftPath)) {
        resume = (await asker.choose({
          message: text(msg("上次有未完成的填写，已保存。要继续上次的填写吗？", "An earlier interview was left unfinished and kept. Go on with it?"), lang),
          choices: [
            { value: "resume", name: text(msg("继续上次的填写", "Go on with it"), lang) },
            { value: "new", name: text(msg("放弃上次的回答，重新开始", "Discard it and start again"), lang) },
          ],
          default: "resume",
        })) === "resume";
      }
      const draft = resume ? readDraft(draftPath) : {};
      const j: Judge = { root, config: before.config, existing: before.filings, usedIps: new Set(before.filings.map((f) => f.filing.network.ip)), today };
      const save = (d: Draft): void => writeDraft(draftPath, d);
      const q = new Interview(asker, lang, j, draft, save, (line) => io.stderr(`${line}\n`));
      q.resuming = resume && Object.keys(draft).length > 0;
      try {
        if (q.resuming && asker) io.stderr(text(msg(`继续上次的填写：已回答的 ${Object.keys(draft).length} 项如下，其余问题接着问。\n`, `Continuing the last interview: the ${Object.keys(draft).length} answers kept are listed; the other questions follow.\n`), lang));
        await interview(o, config, today, q, asker, lang);
        // Every answer once more before anything is written: a mistyped 216 is caught here.
        if (asker) await review(o, config, today, q, asker, lang);
        if (q.missing.length) {
          throw new UsageError(msg(
            `非交互模式下缺少以下参数：${q.missing.join(" ")}。请补充，或在终端中直接运行 ${FILING_CLI} new 按提示回答。`,
            `Missing flags in non-interactive mode: ${q.missing.join(" ")}. Add them, or run ${FILING_CLI} new in a terminal to be asked.`,
          ));
        }
        // Each answer passed its own checks; what only the whole file shows is asked again, field by field.
        for (let round = 0; ; round++) {
          const existing = path.join(root, filingPath(q.draft.department!, q.draft.name!));
          if (fs.existsSync(existing)) {
            throw new UsageError(msg(`${filingPath(q.draft.department!, q.draft.name!)} 已存在，不会覆盖。修改已有备案请直接编辑该文件。`, `${filingPath(q.draft.department!, q.draft.name!)} already exists and is not overwritten. Edit it instead.`));
          }
          const built = buildFiling(assemble(q.draft, config, today), config, j.usedIps);
          if ("error" in built) throw new ConfigurationError(built.error);
          const content = renderFiling(built.filing);
          const after = validateRegister({
            filings: [...files, { path: built.path, bytes: Buffer.from(content, "utf8") }],
            config: configSources,
            today,
            change: { changed: new Set([built.path]), added: new Set([built.path]) },
          });
          const mine = after.problems.filter((p) => p.file === built.path);
          if (hasErrors(mine)) {
            io.stderr(formatText({ ok: false, filings: 1, problems: mine }, lang));
            const wrong = (Object.keys(RULES_OF) as Key[]).filter((k) => mine.some((p) => p.severity === "error" && RULES_OF[k]!.includes(p.rule)));
            if (asker && wrong.length > 0 && round < 3) {
              io.stderr(text(msg("请重新回答与以上问题有关的几项，其他回答保留。\n", "Answer the questions above again; the other answers are kept.\n"), lang));
              for (const k of wrong) delete q.draft[k];
              await interview(o, config, today, q, asker, lang);
              continue;
            }
            if (asker) save(q.draft);
            io.stderr(text(asker
              ? msg(`未写入文件。回答已保存在 ${DRAFT_FILE}，修正后运行 ${FILING_CLI} new --resume 继续。\n`, `Nothing written. The answers are kept in ${DRAFT_FILE}; run ${FILING_CLI} new --resume to continue.\n`)
              : msg("未写入文件：请修正以上问题后重试。\n", "Nothing written: fix the problems above and try again.\n"), lang));
            setExit(1);
            return;
          }
          const abs = path.join(root, built.path);
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          fs.writeFileSync(abs, content, { flag: "wx" });
          fs.rmSync(draftPath, { force: true });
          if (mine.length) io.stderr(formatText({ ok: true, filings: 1, problems: mine }, lang));
          io.stdout(text(msg(
            `已创建 ${built.path}（IP ${built.filing.network.ip}）。下一步：git add ${built.path}，提交并发起拉取请求（pull request）。\n`,
            `Created ${built.path} (IP ${built.filing.network.ip}). Next: git add ${built.path}, commit and open a pull request.\n`,
          ), lang));
          setExit(0);
          return;
        }
      } catch (e) {
        if (!(e instanceof PromptCancelled)) throw e;
        const kept = Object.keys(q.draft).length;
        throw new CancelledError(kept > 0
          ? msg(`已取消。已回答的 ${kept} 项保存在 ${DRAFT_FILE}，运行 ${FILING_CLI} new --resume 可继续填写。`, `Cancelled. The ${kept} answers so far are kept in ${DRAFT_FILE}; run ${FILING_CLI} new --resume to continue.`)
          : msg("已取消，没有写入任何文件。", "Cancelled; nothing was written."));
      }
    });
}

function readDraft(file: string): Draft {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(msg(`没有可继续的填写（${DRAFT_FILE} 不存在）。请直接运行 ${FILING_CLI} new。`, `There is nothing to resume (${DRAFT_FILE} does not exist). Run ${FILING_CLI} new.`));
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    // Only known questions come back; each is judged again before it is used.
    return Object.fromEntries(Object.entries(value).filter(([k]) => DRAFT_KEYS.has(k))) as Draft;
  } catch {
    throw new UsageError(msg(`${DRAFT_FILE} 已损坏，无法继续。请删除该文件后重新运行 ${FILING_CLI} new。`, `${DRAFT_FILE} is damaged. Delete it and run ${FILING_CLI} new again.`));
  }
}

const DRAFT_KEYS = new Set<string>([
  "department", "name", "type", "purpose", "scope", "adminName", "adminTitle", "adminPhone", "adminEmail", "adminAccount", "start", "months",
  "cpu", "memory", "disks", "zone", "ip", "ports", "exposures", "logDays", "dailyBackup", "secondCopy", "letter", "remarks", "vendor",
  "warranty", "techName", "techPhone", "onlineSince",
] satisfies Key[]);

/** Written to a temporary file and renamed, so that an interrupt never leaves half a draft. */
function writeDraft(file: string, draft: Draft): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(draft, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
