import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import filingSchema from "../../filings/filing.schema.json";
import type { InstitutionConfig } from "../../lib/config/model";
import { ConfigurationError, UsageError } from "../../lib/errors";
import type { Scope, ServerType, Zone } from "../../lib/filings/model";
import { buildFiling, renderFiling, type NewFilingAnswers } from "../../lib/filings/scaffold";
import { msg, text, type Lang, type Message } from "../../lib/messages";
import { formatText } from "../../lib/output/problems";
import { hasErrors } from "../../lib/problems";
import { fieldValidator, type SchemaNode } from "../../lib/schema/check";
import { validateRegister } from "../../lib/validate";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption, todayOption } from "./options";

/** The questions' answers come from an Asker: prompts on a terminal, a script in tests. */
export interface Asker {
  text(q: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  choose<T extends string>(q: { message: string; choices: { value: T; name: string }[]; default?: T }): Promise<T>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

export async function inquirerAsker(): Promise<Asker> {
  const prompts = await import("@inquirer/prompts");
  return {
    text: (q) => prompts.input({ message: q.message, default: q.default, validate: q.validate }),
    choose: (q) => prompts.select({ message: q.message, choices: q.choices, default: q.default }),
    confirm: (q) => prompts.confirm({ message: q.message, default: q.default }),
  };
}

interface NewOptions {
  root: string;
  lang: string;
  today?: string;
  yes?: boolean;
  department?: string;
  name?: string;
  type?: ServerType;
  purpose?: string;
  scope?: Scope;
  adminName?: string;
  adminTitle?: string;
  adminPhone?: string;
  adminEmail?: string;
  start?: string;
  months?: string;
  cpu?: string;
  memory?: string;
  disk?: string[];
  zone?: Zone;
  ip?: string;
  port?: string[];
  logDays?: string;
  letter?: string;
  remarks?: string;
  vendor?: string;
  warranty?: boolean;
  techName?: string;
  techPhone?: string;
  onlineSince?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const schema = filingSchema as SchemaNode;

/** Asks for one answer unless its flag gave it; in scripted mode a missing required flag is recorded. */
class Questionnaire {
  readonly missing: string[] = [];
  constructor(
    private readonly ask: Asker | undefined,
    private readonly lang: Lang,
  ) {}

  private check(path: string[], value: unknown): true | string {
    const result = fieldValidator(schema, path)(value);
    return result === true ? true : text(result, this.lang);
  }

  private checkInteger(path: string[], raw: string): true | string {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(n)) return this.lang === "en" ? "Enter a whole number." : "请输入整数。";
    return this.check(path, n);
  }

  private async answer(flag: string, given: string | undefined, label: Message, validate: (v: string) => true | string, fallback?: string): Promise<string> {
    if (given !== undefined) return given;
    if (!this.ask) {
      if (fallback !== undefined) return fallback;
      this.missing.push(flag);
      return "";
    }
    return this.ask.text({ message: text(label, this.lang), default: fallback, validate });
  }

  /** A text answer checked against the filing schema's field at `field` (flags are checked later, with the whole file). */
  text(flag: string, given: string | undefined, label: Message, field: string[], fallback?: string): Promise<string> {
    return this.answer(flag, given, label, (v) => this.check(field, v), fallback);
  }

  /** The IP question also accepts "auto". */
  address(flag: string, given: string | undefined, label: Message): Promise<string> {
    return this.answer(flag, given, label, (v) => (v === "auto" ? true : this.check(["network", "ip"], v)), "auto");
  }

  async integer(flag: string, given: string | undefined, label: Message, field: string[], fallback?: number): Promise<number> {
    const raw = await this.answer(flag, given, label, (v) => this.checkInteger(field, v), fallback === undefined ? undefined : String(fallback));
    if (raw === "" && !this.ask) return 0;
    const verdict = this.checkInteger(field, raw);
    if (verdict !== true) {
      throw new UsageError(msg(`${flag} 的值 "${raw}" 无效：${verdict}`, `${flag} "${raw}" is invalid: ${verdict}`));
    }
    return Number(raw);
  }

  async choose<T extends string>(flag: string, given: T | undefined, label: Message, choices: { value: T; name: string }[], fallback?: T): Promise<T> {
    if (given !== undefined) {
      if (!choices.some((c) => c.value === given)) {
        throw new UsageError(msg(`${flag} 的值 "${given}" 无效，可选：${choices.map((c) => c.value).join("、")}`, `${flag} "${given}" is invalid; choose one of ${choices.map((c) => c.value).join(", ")}`));
      }
      return given;
    }
    if (!this.ask) {
      if (fallback !== undefined) return fallback;
      this.missing.push(flag);
      return choices[0]!.value;
    }
    return this.ask.choose({ message: text(label, this.lang), choices, default: fallback });
  }
}

/** Asks the form's questions in the form's order. */
async function collectAnswers(o: NewOptions, config: InstitutionConfig, today: string, q: Questionnaire, ask: Asker | undefined, lang: Lang): Promise<NewFilingAnswers> {
  const department = await q.choose("--department", o.department, msg("申请部门", "Department"),
    config.departments.map((d) => ({ value: d.slug, name: `${d.slug} ${d.name}` })));
  const name = await q.text("--name", o.name, msg("服务器名称（小写字母、数字、连字符，将作为文件名，如 course-selection）", "Server name (lowercase, digits, '-'; becomes the file name)"), ["id"]);
  const type = await q.choose<ServerType>("--type", o.type, msg("服务器类型", "Server type"), [
    { value: "virtual", name: lang === "en" ? "virtual server" : "虚拟服务器" },
    { value: "physical", name: lang === "en" ? "physical server" : "物理服务器" },
  ], "virtual");
  const purpose = await q.text("--purpose", o.purpose, msg("用途", "Purpose"), ["purpose"]);
  const scope = await q.choose<Scope>("--scope", o.scope, msg("应用级别", "Scope"), [
    { value: "school", name: lang === "en" ? "school-level application" : "校级应用" },
    { value: "department", name: lang === "en" ? "department application" : "部门应用" },
  ], "department");
  const administrator = {
    name: await q.text("--admin-name", o.adminName, msg("应用系统管理员 姓名", "Administrator name"), ["administrator", "name"]),
    title: await q.text("--admin-title", o.adminTitle, msg("应用系统管理员 职务", "Administrator title"), ["administrator", "title"]),
    phone: await q.text("--admin-phone", o.adminPhone, msg("应用系统管理员 手机号码", "Administrator mobile"), ["administrator", "phone"]),
    email: await q.text("--admin-email", o.adminEmail, msg("应用系统管理员 邮箱", "Administrator e-mail"), ["administrator", "email"]),
  };
  const start = await q.text("--start", o.start, msg("开通时间（YYYY-MM-DD）", "Start date (YYYY-MM-DD)"), ["period", "start"], today);
  const months = await q.integer("--months", o.months, msg("申请使用周期（月）", "Period (months)"), ["period", "months"], config.limits.maxPeriodMonths);
  const cpu = await q.integer("--cpu", o.cpu, msg("CPU（核）", "CPU (cores)"), ["resources", "cpu"]);
  const memoryGiB = await q.integer("--memory", o.memory, msg("内存（GiB）", "Memory (GiB)"), ["resources", "memoryGiB"]);
  let disksGiB: number[];
  if (o.disk?.length) {
    disksGiB = [];
    for (const d of o.disk) disksGiB.push(await q.integer("--disk", d, msg("硬盘（GiB）", "Disk (GiB)"), ["resources", "disks", "0", "sizeGiB"]));
  } else {
    disksGiB = [await q.integer("--disk", undefined, msg("系统盘容量（GiB）", "First disk (GiB)"), ["resources", "disks", "0", "sizeGiB"])];
    while (ask && (await ask.confirm({ message: text(msg("是否再加一块硬盘？", "Add another disk?"), lang), default: false }))) {
      disksGiB.push(await q.integer("--disk", undefined, msg("硬盘容量（GiB）", "Disk size (GiB)"), ["resources", "disks", "0", "sizeGiB"]));
    }
  }
  const zone = await q.choose<Zone>("--zone", o.zone, msg("是否需要外网", "Network zone"), [
    { value: "internal", name: lang === "en" ? "internal only" : "不需要（仅校内访问）" },
    { value: "external", name: lang === "en" ? "Internet-facing" : "需要（从互联网访问）" },
  ], "internal");
  const ip = await q.address("--ip", o.ip, msg("IP 地址（auto 为自动分配）", "IP address (auto to allocate)"));
  let ports = o.port ?? [];
  if (!o.port && ask && zone === "external") {
    const raw = await ask.text({ message: text(msg("开放端口，逗号分隔（如 443/tcp,80/tcp）", "Ports to open, comma-separated (e.g. 443/tcp)"), lang), default: "443/tcp" });
    ports = raw.split(/[,，\s]+/).filter(Boolean);
  }
  const logRetentionDays = await q.integer("--log-days", o.logDays, msg("日志保存天数", "Log retention (days)"), ["operations", "logRetentionDays"], Math.max(180, config.limits.minLogRetentionDays));
  const responsibilityLetter = await q.text("--letter", o.letter, msg("已签署的责任书版本", "Signed letter version"), ["commitments", "responsibilityLetter"], config.letters.current);
  const answers: NewFilingAnswers = {
    department, name, type, purpose, scope, administrator, start, months, cpu, memoryGiB, disksGiB,
    zone, ip, ports, logRetentionDays, responsibilityLetter,
  };
  if (o.remarks !== undefined) answers.remarks = o.remarks;
  if (type === "physical") {
    answers.maintenance = {
      vendor: await q.text("--vendor", o.vendor, msg("维保单位", "Maintenance vendor"), ["maintenance", "vendor"]),
      underWarranty: o.warranty ?? (ask ? await ask.confirm({ message: text(msg("是否在保", "Under warranty?"), lang), default: true }) : true),
      technician: {
        name: await q.text("--tech-name", o.techName, msg("维保技术姓名", "Technician name"), ["maintenance", "technician", "name"]),
        phone: await q.text("--tech-phone", o.techPhone, msg("维保技术电话", "Technician mobile"), ["maintenance", "technician", "phone"]),
      },
    };
    answers.onlineSince = await q.text("--online-since", o.onlineSince, msg("上线时间（YYYY-MM-DD）", "Online since (YYYY-MM-DD)"), ["onlineSince"], today);
  }
  return answers;
}

/**
 * `filing new`: asks the form's questions (or takes flags), allocates the next free IP, checks the
 * result against the whole register and writes it only when it is valid and the file is new.
 */
export function newCommand(io: CliIo, setExit: (code: number) => void, askerFactory: () => Promise<Asker> = inquirerAsker): Command {
  return new Command("new")
    .description("write a new filing by answering the form's questions / 新建备案")
    .addOption(rootOption())
    .addOption(langOption())
    .addOption(todayOption())
    .option("-y, --yes", "never prompt: take every answer from flags and defaults")
    .option("--department <slug>")
    .option("--name <name>")
    .addOption(new Option("--type <type>").choices(["virtual", "physical"]))
    .option("--purpose <text>")
    .addOption(new Option("--scope <scope>").choices(["school", "department"]))
    .option("--admin-name <name>")
    .option("--admin-title <title>")
    .option("--admin-phone <phone>")
    .option("--admin-email <email>")
    .option("--start <date>")
    .option("--months <n>")
    .option("--cpu <n>")
    .option("--memory <GiB>")
    .option("--disk <GiB>", "repeat for each disk", collect)
    .addOption(new Option("--zone <zone>").choices(["internal", "external"]))
    .option("--ip <address>", "an address from the zone's pool, or auto")
    .option("--port <port/proto>", "repeat for each port, e.g. 443/tcp", collect)
    .option("--log-days <n>")
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
      const ask = o.yes || !io.isInteractive ? undefined : await askerFactory();
      const q = new Questionnaire(ask, lang);
      const answers = await collectAnswers(o, config, today, q, ask, lang);
      if (q.missing.length) {
        throw new UsageError(msg(
          `非交互模式下缺少以下参数：${q.missing.join(" ")}。请补充，或在终端中直接运行 filing new 按提示回答。`,
          `Missing flags in non-interactive mode: ${q.missing.join(" ")}. Add them, or run filing new in a terminal to be asked.`,
        ));
      }
      const usedIps = new Set(before.filings.map((f) => f.filing.network.ip));
      const built = buildFiling(answers, config, usedIps);
      if ("error" in built) throw new ConfigurationError(built.error);
      const abs = path.join(root, built.path);
      if (fs.existsSync(abs)) {
        throw new UsageError(msg(`${built.path} 已存在，不会覆盖。修改已有备案请直接编辑该文件。`, `${built.path} already exists and is not overwritten. Edit it instead.`));
      }
      const content = renderFiling(built.filing);
      const after = validateRegister({
        filings: [...files, { path: built.path, bytes: Buffer.from(content, "utf8") }],
        config: configSources,
        today,
      });
      const mine = after.problems.filter((p) => p.file === built.path);
      if (hasErrors(mine)) {
        io.stderr(formatText({ ok: false, filings: 1, problems: mine }, lang));
        io.stderr(text(msg("未写入文件：请修正以上问题后重试。\n", "Nothing written: fix the problems above and try again.\n"), lang));
        setExit(1);
        return;
      }
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content, { flag: "wx" });
      if (mine.length) io.stderr(formatText({ ok: true, filings: 1, problems: mine }, lang));
      io.stdout(text(msg(
        `已创建 ${built.path}（IP ${built.filing.network.ip}）。下一步：git add ${built.path}，提交并发起拉取请求（pull request）。\n`,
        `Created ${built.path} (IP ${built.filing.network.ip}). Next: git add ${built.path}, commit and open a pull request.\n`,
      ), lang));
      setExit(0);
    });
}
