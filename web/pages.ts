import type { Department } from "../lib/config/model";
import type { Evaluation, RoleDecision } from "../lib/approvals/evaluate";
import { NO_CHANGE, type DecommissionInput, type DeskAction } from "../lib/desk/change";
import type { FieldProblem, FormCheck } from "../lib/desk/check";
import type { FormField } from "../lib/desk/form";
import { daysBetween, periodEnd, type IsoDate } from "../lib/filings/dates";
import type { FilingFacts } from "../lib/filings/facts";
import type { Filing } from "../lib/filings/model";
import { changeLine, filingSummary, type FieldChange } from "../lib/output/filing-summary";
import { decisionLines, HOW_TO_APPROVE, verdictLines } from "../lib/output/approvals";
import type { Awaiting } from "../lib/desk/awaiting";
import { WITHDRAWN, type HeadCheck, type PullJudgement, type PullSummary } from "../lib/forge/desk";
import { formText, text, type Lang, type Message } from "../lib/messages";
import { escapeHtml as h } from "../lib/output/html";
import { ROLE_NAMES, SERVER_TYPE_NAMES, STATUS_NAMES, withNames, type Names } from "../lib/names";
import filingSchema from "../filings/filing.schema.json";

/**
 * The desk's pages, rendered on the server as plain HTML: they work without JavaScript, and the
 * one script (web/client/desk.ts) only shows each field's check as it is typed. Every value from a
 * filing or a person is escaped. Chinese first; `?lang=en` for English.
 */

export interface Page {
  readonly lang: Lang;
  readonly csrf?: string;
  readonly school: string;
  readonly user?: { readonly login: string; readonly name?: string; readonly departments: readonly Department[]; /** Holds the information center's role by name (the register's links); the page itself asks the forge. */ readonly informationCenter?: boolean };
  readonly mode: "github" | "local";
}

const t = (lang: Lang, zh: string, en: string): string => (lang === "zh" ? zh : en);

export function layout(page: Page, title: string, body: string): string {
  const { lang } = page;
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${page.csrf ? `<meta name="csrf-token" content="${h(page.csrf)}">` : ""}
<title>${h(title)} · ${h(page.school)}${h(t(lang, "部门服务台", "department desk"))}</title>
<link rel="stylesheet" href="/desk.css">
<script src="/desk.js" defer></script>
</head>
<body>
<header>
<a class="home" href="/">${h(page.school)}${h(t(lang, "服务器备案 · 部门服务台", " server filings · department desk"))}</a>
${page.user ? `<nav><a href="/">${h(t(lang, "我的备案", "My filings"))}</a> <a href="/approvals">${h(t(lang, "待我审批", "Awaiting me"))}</a>${page.user.informationCenter ? ` <a href="/register">${h(t(lang, "备案台账", "Register"))}</a> <a href="/register?expiring">${h(t(lang, "即将到期", "Expiring"))}</a>` : ""}</nav>` : ""}
${page.user ? `<span class="who">${h(page.user.name ? `${page.user.name}（${page.user.login}）` : page.user.login)}${page.user.departments.length ? `（${h(page.user.departments.map((d) => d.name).join("、"))}）` : ""}</span>
<form method="post" action="/sign-out" class="inline"><input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}"><button type="submit">${h(t(lang, "退出", "Sign out"))}</button></form>` : ""}
${page.mode === "local" ? `<p class="local">${h(t(lang, "本地试用模式：不连接代码平台，提交的申请保存在本机 .desk/ 目录中。", "Local trial mode: no forge; submitted requests are kept in .desk/ on this machine."))}</p>` : ""}
</header>
<main>
<h1>${h(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function signInPage(page: Page, notice?: string): string {
  const { lang } = page;
  return layout(page, t(lang, "登录", "Sign in"), `${notice ? `<p class="notice">${h(notice)}</p>` : ""}
<p>${h(t(lang, "用学校代码平台的账号登录后，可以为本部门新建、变更、续期或下线服务器备案；申请以您的名义提交，由各级负责人批准。负责人登录后在“待我审批”中查看需要签字的申请。", "Sign in with your forge account to file, change, renew or decommission your department's servers; requests are opened in your name and approved by the leaders. Leaders find what needs their signature under Awaiting me."))}</p>
<p><a class="button" href="/sign-in">${h(t(lang, "登录", "Sign in"))}</a></p>`);
}

/** The local forge's sign-in: choose who you are (a department's staff, or a role holder). */
export function localSignInPage(page: Page, people: readonly { login: string; label: string }[], state: string, redirect: string): string {
  const { lang } = page;
  const items = people.map((p) => `<li><a href="${h(`${redirect}?${new URLSearchParams({ code: p.login, state })}`)}">${h(p.label)}</a></li>`).join("\n");
  return layout(page, t(lang, "选择试用身份", "Choose who you are"), `<p>${h(t(lang, "本地试用模式没有真实账号。请选择一个身份：", "Local trial mode has no real accounts. Choose one:"))}</p>\n<ul class="people">\n${items}\n</ul>`);
}

export interface HomeData {
  readonly filings: readonly { readonly file: string; readonly facts: FilingFacts; readonly purpose?: string }[];
  readonly pulls: readonly PullSummary[];
  /** Each filing id with a request waiting (whoever opened it): it takes no other until that one is decided. */
  readonly waiting: ReadonlyMap<string, PullSummary>;
  readonly today: IsoDate;
}

export function homePage(page: Page, data: HomeData): string {
  const { lang } = page;
  const rows = data.filings.map((row) => {
    const f = row.facts;
    const end = periodEnd(f.period.start as IsoDate, f.period.months);
    const left = daysBetween(data.today, end);
    const name = f.id.slice(f.department.length + 1);
    const base = `/filings/${encodeURIComponent(f.department)}/${encodeURIComponent(name)}`;
    const waiting = data.waiting.get(f.id);
    // One request per filing at a time: while one waits, the row says so instead of offering another.
    const actions = waiting
      ? `<a href="/requests/${waiting.number}">${h(t(lang, `审批中（#${waiting.number}）`, `waiting (#${waiting.number})`))}</a><br><span class="hint">${h(t(lang, "这份申请有结果（批准或撤回）后，才能再变更、续期或下线", "Change, renew or decommission once this request is approved or withdrawn"))}</span>`
      : f.status === "active"
        ? [["change", t(lang, "变更", "Change")], ["renew", t(lang, "续期", "Renew")], ["decommission", t(lang, "下线", "Decommission")]].map(([a, label]) => `<a href="${h(`${base}/${a}`)}">${h(label!)}</a>`).join(" ")
        : "";
    const resources = t(lang, `CPU ${f.cpu} 核，内存 ${f.memoryGiB} GiB，硬盘 ${f.diskGiB} GiB`, `${f.cpu} CPU, ${f.memoryGiB} GiB memory, ${f.diskGiB} GiB disk`);
    return `<tr><td>${h(f.id)}</td><td class="wrap">${h(row.purpose ?? "")}</td><td>${h(text(SERVER_TYPE_NAMES[f.type], lang))}</td><td>${h(text(STATUS_NAMES[f.status], lang))}</td><td>${h(f.ip)}</td><td>${h(resources)}</td><td>${h(end)}</td><td class="num${f.status === "active" && left < 0 ? " overdue" : f.status === "active" && left <= 30 ? " soon" : ""}">${f.status === "active" ? left : "-"}</td><td class="actions">${actions}</td></tr>`;
  });
  const pulls = data.pulls.map((p) => `<li><a href="/requests/${p.number}">#${p.number} ${h(shownTitle(p))}</a>（${h(stateName(p.state, lang))}）</li>`);
  return layout(page, t(lang, "我的备案", "My filings"), `<p><a class="button" href="/new">${h(t(lang, "新建备案", "New filing"))}</a></p>
<h2>${h(t(lang, "已备案的服务器", "Filed servers"))}</h2>
${rows.length ? `<div class="scroll"><table>
<thead><tr><th>${h(t(lang, "备案编号", "Filing"))}</th><th>${h(t(lang, "用途", "Purpose"))}</th><th>${h(t(lang, "类型", "Type"))}</th><th>${h(t(lang, "状态", "Status"))}</th><th>IP</th><th>${h(t(lang, "配置", "Resources"))}</th><th>${h(t(lang, "到期日", "Period end"))}</th><th>${h(t(lang, "剩余天数", "Days left"))}</th><th>${h(t(lang, "申请", "Request"))}</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></div>
<p class="hint">${h(t(lang, "剩余天数标黄：30 天内到期，请及时续期；标红：已到期，超过宽限期后服务器将被停止服务。", "Days left in yellow: ends within 30 days, renew in time; in red: ended, and past the grace period the server is taken out of service."))}</p>` : `<p>${h(t(lang, "本部门还没有备案。", "Your department has no filing yet."))}</p>`}
<h2>${h(t(lang, "我提交的申请", "My requests"))}</h2>
${pulls.length ? `<ul class="pulls">\n${pulls.join("\n")}\n</ul>` : `<p>${h(t(lang, "还没有提交过申请。", "No request yet."))}</p>`}`);
}

/** A request's title as the desk lists it: a withdrawn one's state is said beside it, not twice. */
function shownTitle(pull: PullSummary): string {
  return pull.state === "withdrawn" && pull.title.startsWith(WITHDRAWN) ? pull.title.slice(WITHDRAWN.length) : pull.title;
}

function stateName(state: PullSummary["state"], lang: Lang): string {
  return state === "open"
    ? t(lang, "审批中", "awaiting approval")
    : state === "merged"
      ? t(lang, "已批准生效", "approved and merged")
      : state === "withdrawn"
        ? t(lang, "已撤回", "withdrawn")
        : t(lang, "已关闭，未合并（未获批准，或在平台上关闭）", "closed unmerged (not approved, or closed on the forge)");
}

const SECTIONS = (filingSchema as { properties: Record<string, { title?: string }> }).properties;

export interface ExposureRow {
  readonly port: string;
  readonly reason: string;
  readonly sources: string;
}

/** A filing's form as the page shows it; `check` when it comes back from a submission with problems. */
export interface FormView {
  readonly fields: readonly FormField[];
  /** Said under a box beside its description (lib/desk/form.ts formHints). */
  readonly hints: Readonly<Record<string, Message>>;
  readonly values: Readonly<Record<string, string>>;
  readonly check?: FormCheck & { readonly changes?: readonly FieldChange[]; readonly signers?: readonly RoleDecision[] };
  readonly exposures?: readonly ExposureRow[];
  /** A change of a filing the register holds, instead of a new one. */
  readonly change?: { readonly action: "change" | "renew"; readonly original: Filing; /** The blob id of the version the form starts from (a submission against another is stale). */ readonly base: string };
}

/** Where a change's form is sent, and the filing's department and name, from its validated id. */
function changeTarget(original: Filing, action: DeskAction): { url: string; name: string } {
  const name = original.id.slice(original.department.length + 1);
  return { url: `/filings/${encodeURIComponent(original.department)}/${encodeURIComponent(name)}/${action}`, name };
}

/**
 * What a change does, old → new per field in the approval comment's words, and who must sign: shown
 * beside the form, and refreshed as it is typed (web/client/desk.ts fills the same elements).
 */
function changesPanel(lang: Lang, check: FormView["check"]): string {
  const changes = (check?.changes ?? []).map((c) => `<li>${h(changeLine(c, lang))}</li>`).join("");
  const signers = (check?.signers ?? []).map((s) => text(ROLE_NAMES[s.role], lang)).join(lang === "zh" ? "、" : ", ");
  return `<section class="changes" aria-live="polite"><h2>${h(t(lang, "本次变更", "This change"))}</h2>
<ul id="changes" data-none="${h(text(NO_CHANGE, lang))}">${changes || `<li class="none">${h(text(NO_CHANGE, lang))}</li>`}</ul>
<p>${h(t(lang, "需要批准：", "Needs the approval of: "))}<span id="signers">${h(signers || "—")}</span></p></section>`;
}

/** How many things are still to fix, said above the form after a refused submit (and kept current as it is typed). */
export function toFix(errors: number, lang: Lang): string | undefined {
  if (errors === 0) return undefined;
  return t(lang, `还有 ${errors} 处需要修改，见红字说明；改好后再点“提交申请”。`, `${errors} thing${errors > 1 ? "s" : ""} to fix, in red; then submit again.`);
}

/** How a value the form wrote otherwise than typed is said beside its box (here and in the live check). */
export function recordedAs(recorded: string, lang: Lang): string {
  return t(lang, `将记为 ${recorded}`, `recorded as ${recorded}`);
}

/** The box under a field: its problems, in the form's words, and what was recorded otherwise than typed. */
function fieldMessages(field: string, check: FormCheck | undefined, lang: Lang): string {
  const problems = (check?.problems ?? []).filter((p) => p.field === field).map((p) => `<p class="${p.severity}">${h(formText(p.message, lang))}</p>`);
  const notes = (check?.normalised ?? []).filter((n) => n.path === field).map((n) => `<p class="note">${h(recordedAs(n.recorded, lang))}</p>`);
  return `<div class="msg" data-for="${h(field)}" aria-live="polite">${problems.join("")}${notes.join("")}</div>`;
}

/** The box above a form: what belongs to no field of it. */
function generalMessages(problems: readonly FieldProblem[], lang: Lang): string {
  return `<div class="msg general">${problems.map((p) => `<p class="${p.severity}">${h(formText(p.message, lang))}</p>`).join("")}</div>`;
}

export function newFilingPage(page: Page, view: FormView): string {
  const { lang } = page;
  const { fields, values, check, exposures = [], change } = view;
  // A VM keeps what it was created with: its type, zone and address (the gate refuses a change of them).
  const fixed = new Set(change?.original.type === "virtual" ? ["type", "network.zone", "network.ip"] : []);
  const target = change ? changeTarget(change.original, change.action) : undefined;
  const departments = page.user?.departments ?? [];
  const messages = (field: string): string => fieldMessages(field, check, lang);
  const general = check?.problems.filter((p) => !p.field) ?? [];
  const errors = check?.problems.filter((p) => p.severity === "error").length ?? 0;
  let section = "";
  const parts: string[] = [];
  const BASICS = new Set(["type", "purpose", "scope"]);
  const box = (f: FormField): string => fieldHtml(f, values[f.path] ?? "", lang, view.hints[f.path], fixed.has(f.path)) + messages(f.path);
  const basics = fields.filter((f) => BASICS.has(f.path)).map(box).join("\n");
  for (const f of fields) {
    if (BASICS.has(f.path)) continue;
    const top = f.path.split(".")[0]!;
    if (top !== section) {
      if (section) parts.push("</fieldset>");
      section = top;
      const title = SECTIONS[top]?.title ?? top;
      parts.push(`<fieldset class="section${f.physicalOnly ? " physical" : ""}" data-section="${h(top)}"><legend>${h(title)}</legend>${messages(top)}`);
    }
    parts.push(box(f));
    if (f.path === "network.ports") parts.push(exposureRows(exposures, lang) + messages("exposures"));
  }
  if (section) parts.push("</fieldset>");
  const department = change
    ? `<p>${h(t(lang, "备案编号", "Filing"))}：${h(change.original.id)}（${h(change.original.department)}）<input type="hidden" name="department" value="${h(change.original.department)}"><input type="hidden" name="filing" value="${h(target!.name)}"><input type="hidden" name="action" value="${h(change.action)}"><input type="hidden" name="base" value="${h(change.base)}"></p>`
    : departments.length > 1
    ? `<label>${h(t(lang, "申请部门", "Department"))}<select name="department">${departments.map((d) => `<option value="${h(d.slug)}"${values.department === d.slug ? " selected" : ""}>${h(d.name)}（${h(d.slug)}）</option>`).join("")}</select></label>`
    : `<p>${h(t(lang, "申请部门", "Department"))}：${h(departments[0]?.name ?? "")}（${h(departments[0]?.slug ?? "")}）<input type="hidden" name="department" value="${h(departments[0]?.slug ?? "")}"></p>`;
  const title = !change ? t(lang, "新建备案", "New filing") : change.action === "renew" ? t(lang, `续期 ${change.original.id}`, `Renew ${change.original.id}`) : t(lang, `变更 ${change.original.id}`, `Change ${change.original.id}`);
  const intro = !change
    ? ""
    : change.action === "renew"
      ? `<p class="notice">${h(renewIntro(change.original, values, lang))}</p>`
      : `<p class="notice">${h(t(lang, "下面是这份备案现在的内容。只改需要改的项目，下方“本次变更”会列出改了什么、需要谁批准。", "This is the filing as it stands. Change only what needs changing; This change, below, lists what changes and who must approve."))}</p>`;
  const nameBox = change
    ? ""
    : `<label>${h(t(lang, "服务器名称", "Server name"))}<input name="name" value="${h(values.name ?? "")}" autocomplete="off" required></label>
<p class="hint">${h(t(lang, "这台服务器在系统中的代号：小写英文字母、数字和连字符，例如 reading-room。备案编号将是“部门代码-代号”。", "The server's code name: lowercase letters, digits and '-', e.g. reading-room. The filing id will be department-code-name."))}</p>
${messages("name")}`;
  return layout(page, title, `${intro}<form method="post" action="${h(target?.url ?? "/new")}" id="filing-form" novalidate>
<input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}">
${errors ? `<p class="notice summary">${h(toFix(errors, lang)!)}</p>` : ""}
${generalMessages(general, lang)}
<fieldset class="section"><legend>${h(t(lang, "基本信息", "Basics"))}</legend>
${department}
${nameBox}
${basics}
</fieldset>
${parts.join("\n")}
${change ? changesPanel(lang, check) : ""}
<p><button type="submit" class="primary">${h(t(lang, "提交申请", "Submit"))}</button> ${previewButton(lang)}</p>
</form>`);
}

/** The renewal's new period in words: from, for how long, to. */
function renewIntro(original: Filing, values: Readonly<Record<string, string>>, lang: Lang): string {
  const start = values["period.start"] ?? "";
  const months = Number(values["period.months"]);
  const end = /^\d{4}-\d{2}-\d{2}$/.test(start) && Number.isInteger(months) && months > 0 ? periodEnd(start, months) : "";
  const now = periodEnd(original.period.start, original.period.months);
  return t(lang,
    `现在的使用期到 ${now} 为止。已填入新的使用期：${start} 起 ${values["period.months"] ?? ""} 个月${end ? `（至 ${end}）` : ""}。确认后提交即可，其他内容不用改。`,
    `The current period ends on ${now}. The new one is filled in: ${values["period.months"] ?? ""} months from ${start}${end ? ` (to ${end})` : ""}. Check it and submit; nothing else needs changing.`);
}

function fieldHtml(f: FormField, value: string, lang: Lang, more?: Message, fixed = false): string {
  // A physical server's boxes are required when it is one (the rules say so, not the schema).
  const marker = f.physicalOnly ? t(lang, "（物理服务器必填）", " (physical servers)") : f.required || f.title.includes("选填") ? "" : t(lang, "（选填）", " (optional)");
  const label = `${h(f.title)}${marker ? `<span class="optional">${h(marker)}</span>` : ""}`;
  const example = f.example && f.kind !== "choice" && f.kind !== "yesno" ? t(lang, `例如：${f.example}`, `e.g. ${f.example}`) : undefined;
  // A yes/no box shows 是/否, so its hint says them too, not the file's true/false.
  const described = f.description ? formHint(f.description) : undefined;
  // A list's own hint gives its example, in the box's commas.
  const hint = [f.kind === "yesno" ? described?.replace(/\btrue\b/g, "“是”").replace(/\bfalse\b/g, "“否”") : described, more ? text(more, lang) : undefined, f.kind === "list" && more ? undefined : example].filter(Boolean).map((x) => h(x!)).join(" ");
  const name = h(f.path);
  let input: string;
  if (fixed) {
    // Shown, sent as it is, not editable.
    const shownValue = f.options?.find((o) => o.value === value)?.name;
    input = `<input value="${h(shownValue ? text(shownValue, lang) : value)}" readonly aria-readonly="true"><input type="hidden" name="${name}" value="${h(value)}">`;
    return `<div class="field fixed" data-field="${name}"><label>${label}${input}</label><p class="hint">${h(t(lang, "虚拟服务器创建后不能修改此项；如需更换，请新建一份备案，迁移后再下线本备案。", "A VM keeps this from its creation; to change it, file a new server and decommission this one after moving."))}</p></div>`;
  }
  switch (f.kind) {
    case "choice":
      input = `<select name="${name}"><option value="">${h(t(lang, "请选择", "Choose"))}</option>${(f.options ?? []).map((o) => `<option value="${h(o.value)}"${value === o.value ? " selected" : ""}>${h(text(o.name, lang))}</option>`).join("")}</select>`;
      break;
    case "yesno":
      // Never a default: an unanswered promise is asked, not assumed.
      input = `<span class="yesno">${[["true", t(lang, "是", "Yes")], ["false", t(lang, "否", "No")]].map(([v, n]) => `<label class="radio"><input type="radio" name="${name}" value="${v}"${value === v ? " checked" : ""}>${h(n!)}</label>`).join("")}</span>`;
      break;
    case "textarea":
      input = `<textarea name="${name}" rows="3">${h(value)}</textarea>`;
      break;
    default:
      input = `<input name="${name}" value="${h(value)}"${f.kind === "date" ? ' placeholder="YYYY-MM-DD"' : ""}${f.kind === "number" ? ' inputmode="numeric"' : ""} autocomplete="off">`;
  }
  return `<div class="field${f.physicalOnly ? " physical" : ""}" data-field="${name}"><label>${label}${input}</label>${hint ? `<p class="hint">${hint}</p>` : ""}</div>`;
}

/**
 * A field's description as the form needs it: the schema speaks to people writing YAML by hand, so
 * its sentences about quotes, commands and files in the repository are left out, a choice's codes
 * (virtual：…) are not shown, and "the school's limit (by default N)" gives way to the school's own
 * limit, which formHints says beside it.
 */
function formHint(description: string): string {
  return description
    .replace(/，(?:不超过|不少于)机构规定的[上下]限（默认[^）]*）/g, "")
    .split(/(?<=。)/)
    .filter((sentence) => !/引号|filing |npx|policies\/|\.yaml|\.md|scripts\//.test(sentence))
    .map((sentence) => sentence.replace(/(?:^|；)\s*[a-z]+：/g, (m) => (m.startsWith("；") ? "；" : "")))
    .join("")
    .trim();
}

function exposureRows(rows: readonly ExposureRow[], lang: Lang): string {
  const filled = [...rows, ...Array.from({ length: Math.max(0, 2 - rows.length) }, () => ({ port: "", reason: "", sources: "" }))];
  return `<div class="exposures"><p class="rows-title">${h(t(lang, "敏感端口说明", "Sensitive ports"))}</p><p class="hint">${h(t(lang, "开放敏感端口（如 22/tcp 远程登录、3389/tcp 远程桌面、数据库端口）到外网时，每个端口填一行：端口、理由、允许访问的来源地址段（如学校 VPN 10.8.0.0/16）。", "For each sensitive port opened to the Internet (SSH, RDP, databases): the port, the reason, and the source ranges allowed (e.g. the school VPN, 10.8.0.0/16)."))}</p>
${filled.map((r, i) => `<div class="exposure"><input name="exposures[${i}].port" value="${h(r.port)}" placeholder="${h(t(lang, "端口，如 22/tcp", "port, e.g. 22/tcp"))}"><input name="exposures[${i}].reason" value="${h(r.reason)}" placeholder="${h(t(lang, "理由", "reason"))}"><input name="exposures[${i}].sources" value="${h(r.sources)}" placeholder="${h(t(lang, "来源地址段，如 10.8.0.0/16", "sources, e.g. 10.8.0.0/16"))}"></div>`).join("\n")}</div>`;
}

/** 预览申请表: the same form sent to /preview, shown in a tab of its own; nothing is submitted. */
function previewButton(lang: Lang): string {
  return `<button type="submit" formaction="/preview" formtarget="_blank">${h(t(lang, "预览申请表", "Preview the form"))}</button>`;
}

/** A decommission: what is filed, what happens, the last backup's date and why. */
export function decommissionPage(page: Page, original: Filing, base: string, names: Names, typed: { values?: DecommissionInput; check?: FormView["check"] }): string {
  const { lang } = page;
  const { check } = typed;
  const target = changeTarget(original, "decommission");
  const messages = (field: string) => fieldMessages(field, check, lang);
  const placed = new Set(["decommission.backupTakenAt", "remarks"]);
  const general = (check?.problems ?? []).filter((p) => !p.field || !placed.has(p.field));
  const node = (filingSchema as { properties: Record<string, { title?: string; description?: string; properties?: Record<string, { title?: string; description?: string }> }> }).properties;
  const backup = node.decommission!.properties!.backupTakenAt!;
  return layout(page, t(lang, `下线 ${original.id}`, `Decommission ${original.id}`), `<ul class="summary">${filingSummary(original, lang, names).map((l) => `<li>${h(l)}</li>`).join("")}</ul>
<p class="notice">${h(formHint(node.decommission!.description ?? ""))}</p>
<form method="post" action="${h(target.url)}" id="filing-form" novalidate>
<input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}">
<input type="hidden" name="department" value="${h(original.department)}"><input type="hidden" name="filing" value="${h(target.name)}"><input type="hidden" name="action" value="decommission"><input type="hidden" name="base" value="${h(base)}">
${generalMessages(general, lang)}
<div class="field" data-field="decommission.backupTakenAt"><label>${h(backup.title ?? "")}<span class="optional">${h(t(lang, "（备份完成后填写）", " (once the backup is taken)"))}</span><input name="decommission.backupTakenAt" value="${h(typed.values?.backupTakenAt ?? "")}" placeholder="YYYY-MM-DD" autocomplete="off"></label><p class="hint">${h(formHint(backup.description ?? ""))}</p></div>
${messages("decommission.backupTakenAt")}
<div class="field" data-field="remarks"><label>${h(t(lang, "下线原因（写入备注）", "Why (kept in the remarks)"))}<textarea name="remarks" rows="3">${h(typed.values?.remarks ?? original.remarks ?? "")}</textarea></label></div>
${messages("remarks")}
${changesPanel(lang, check)}
<p><button type="submit" class="primary">${h(t(lang, "提交下线申请", "Submit the decommission"))}</button> ${previewButton(lang)}</p>
</form>`);
}

/** What happens once every signature is in, by what was asked. */
const AFTER_APPROVAL: Readonly<Record<"new" | DeskAction, { zh: string; en: string }>> = {
  new: { zh: "全部批准后，信息中心按批准的配置创建服务器。", en: "once all have approved, the information center creates the server as approved." },
  change: { zh: "全部批准后，信息中心按批准的内容修改服务器。", en: "once all have approved, the information center changes the server as approved." },
  renew: { zh: "全部批准后，新的使用期生效。", en: "once all have approved, the new period takes effect." },
  decommission: { zh: "全部批准后，服务器停止网络服务（数据保留）；登记了备份完成日期的虚拟服务器随后关机。", en: "once all have approved, the server's network service stops (data kept); a VM whose backup date is recorded is then switched off." },
};

export function submittedPage(page: Page, pull: { number: number; url: string }, id: string, action: "new" | DeskAction, signers: readonly { zh: string; en: string }[] = []): string {
  const { lang } = page;
  const who = signers.map((r) => (lang === "zh" ? r.zh : r.en)).join(lang === "zh" ? "、" : ", ");
  const after = AFTER_APPROVAL[action];
  return layout(page, t(lang, "已提交", "Submitted"), `<p class="ok">${h(t(lang, `申请已提交（申请编号 #${pull.number}，备案编号 ${id}）。`, `Submitted as request #${pull.number} (filing ${id}).`))}</p>
<p>${h(t(lang, `接下来：学校的规则会在平台上再检查一次；${who ? `需要${who}批准（不分先后），批准即相当于在申请表上签字；` : ""}${after.zh}进展可在“我的备案”的“我提交的申请”中查看。`, `Next: the school's rules check it once more on the forge; ${who ? `${who} approve it (in any order), which stands for signing the form; ` : ""}${after.en} Follow it under My requests.`))}</p>
<p><a class="button" href="/requests/${pull.number}">${h(t(lang, "查看申请", "Open the request"))}</a> <a href="/">${h(t(lang, "返回我的备案", "Back to my filings"))}</a></p>`);
}

/**
 * Lines in the sticky comment's shape (lib/output/approvals.ts: `### ` headings, `- ` items, plain
 * lines) as HTML, every line escaped: the desk shows the gate's own words.
 */
function linesHtml(lines: readonly string[]): string {
  const out: string[] = [];
  let items: string[] = [];
  const flush = () => {
    if (items.length) out.push(`<ul>${items.join("")}</ul>`);
    items = [];
  };
  for (const line of lines) {
    if (line.startsWith("- ")) {
      items.push(`<li>${h(line.slice(2))}</li>`);
      continue;
    }
    flush();
    if (line.startsWith("### ")) out.push(`<h3>${h(line.slice(4))}</h3>`);
    else if (line.trim()) out.push(`<p>${h(line)}</p>`);
  }
  flush();
  return out.join("\n");
}

function checksHtml(checks: readonly HeadCheck[], lang: Lang, mode: Page["mode"]): string {
  if (mode === "local") return `<p class="hint">${h(t(lang, "本地试用模式没有平台上的自动检查；提交前已按同样的规则检查通过。", "Local trial mode has no checks on a forge; the request passed the same rules before it was submitted."))}</p>`;
  if (!checks.length) return `<p>${h(t(lang, "平台上还没有检查结果。", "No check has reported yet."))}</p>`;
  const word = (s: HeadCheck["state"]) => (s === "success" ? t(lang, "✅ 通过", "✅ passed") : s === "pending" ? t(lang, "⏳ 进行中", "⏳ running") : t(lang, "⛔ 未通过", "⛔ failed"));
  return `<ul class="checks">${checks.map((c) => `<li>${h(c.name)}：${h(word(c.state))}</li>`).join("")}</ul>`;
}

/** Where a leader signs: the forge's review page, or (local trial mode) the desk's own page of the request. */
function approveUrl(pull: PullSummary, mode: Page["mode"]): string {
  return mode === "local" ? `/local/pulls/${pull.number}` : `${pull.url}/files`;
}

/** After submitting: the request's state, its checks, and who signed and who must still, as the gate says it. */
export function requestPage(page: Page, pull: PullSummary, judged: PullJudgement | undefined, names: Names, error?: string): string {
  const { lang } = page;
  const body = [
    `<p>${h(t(lang, "状态", "State"))}：${h(stateName(pull.state, lang))} · <a href="${h(page.mode === "local" ? `/local/pulls/${pull.number}` : pull.url)}">${h(t(lang, "在平台上查看", "Open on the forge"))}</a></p>`,
    error ? `<p class="notice">${h(error)}</p>` : "",
    judged ? `<h2>${h(t(lang, "检查", "Checks"))}</h2>${checksHtml(judged.checks, lang, page.mode)}<h2>${h(t(lang, "审批", "Approvals"))}</h2>${linesHtml(verdictLines(judged.evaluation, lang, names))}` : "",
    pull.state === "open" ? `<form method="post" action="/requests/${pull.number}/withdraw" data-confirm="${h(t(lang, "确定撤回这份申请吗？撤回后负责人不再审批，需要时可以重新提交。", "Withdraw this request? The leaders will no longer sign it; you can file again."))}"><input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}"><button type="submit">${h(t(lang, "撤回申请", "Withdraw the request"))}</button> <span class="hint">${h(t(lang, "撤回后这份申请关闭，负责人无需再审批；需要时可以重新提交。", "Withdrawn, the request closes and needs no more signatures; file again when needed."))}</span></form>` : "",
    judged?.evaluation.satisfied ? `<p class="ok">${h(t(lang, "签字已齐全，等待信息中心确认生效；生效后这里的状态会变为“已批准生效”。", "All signatures are in; the information center merges it next, and the state here becomes approved and merged."))}</p>` : "",
  ];
  return layout(page, `#${pull.number} ${shownTitle(pull)}`, body.join("\n"));
}

/** A local trial request, as a forge's pull request page shows a signer: the verdict, then the file. */
export function localPullPage(page: Page, pull: PullSummary & { readonly files: readonly { readonly path: string; readonly content: string }[] }, evaluation: Evaluation, names: Names, mayApprove: boolean, mayMerge = false): string {
  const { lang } = page;
  const merge = mayMerge
    ? `<form method="post" action="/local/pulls/${pull.number}/merge" data-confirm="${h(t(lang, "确认这份申请生效吗？生效后备案即按申请修改。", "Make this request take effect? The filing changes as requested."))}"><input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}"><button type="submit" class="primary">${h(t(lang, "确认生效（信息中心）", "Make it take effect (information center)"))}</button> <span class="hint">${h(t(lang, "签字已齐全。在代码平台上，这一步是信息中心合并申请；本地试用在这里确认。", "Every signature is in. On the forge the information center merges the request; in the local trial it is confirmed here."))}</span></form>`
    : "";
  const approve = mayApprove
    ? `<form method="post" action="/local/pulls/${pull.number}/approve" data-confirm="${h(t(lang, "确定批准吗？批准即相当于在申请表上签字。", "Approve? Approving signs the form."))}"><input type="hidden" name="_csrf" value="${h(page.csrf ?? "")}"><button type="submit" class="primary">${h(t(lang, "批准（相当于在申请表上签字）", "Approve (signs the form)"))}</button></form>`
    : "";
  const files = pull.files.map((f) => `<details><summary>${h(t(lang, `提交的文件 ${f.path}`, `The file ${f.path}`))}</summary><pre>${h(f.content)}</pre></details>`).join("\n");
  // Signed after reading: the button comes below what it signs for.
  return layout(page, `#${pull.number} ${pull.title}`, `<p>${h(t(lang, "提交人", "Opened by"))}：${h(withNames(`@${pull.author}`, names))} · ${h(stateName(pull.state, lang))}</p>
${linesHtml(verdictLines(evaluation, lang, names))}
${files}
${approve}
${merge}`);
}

export interface AwaitingPull {
  readonly pull: PullSummary;
  readonly awaiting: readonly Awaiting[];
  /** Why the request could not be judged (it is then listed, never hidden). */
  readonly error?: string;
}

/** 待我审批: each request with a role the leader holds still unsigned, what it changes and what is signed for. */
/**
 * `staleSeconds`: how old the judgements shown may be (kept that long for every leader); 0 when
 * fresh. `leader`: the person holds a role of the approval chain (then this is their page, and no
 * word on filing is needed).
 */
export function approvalsPage(page: Page, pulls: readonly AwaitingPull[], names: Names, approved?: number, staleSeconds = 0, leader = false): string {
  const { lang } = page;
  const items = pulls.map(({ pull, awaiting, error }) => {
    const roles = [...new Set(awaiting.flatMap((a) => a.roles))].map((r) => text(ROLE_NAMES[r], lang)).join(lang === "zh" ? "、" : ", ");
    return `<article class="pull"><h2>#${pull.number} ${h(pull.title)}</h2>
<p>${h(t(lang, "提交人", "Opened by"))}：${h(withNames(`@${pull.author}`, names))}</p>
${error ? `<p class="notice">${h(error)}</p>` : `<p class="you">${h(t(lang, `请您以“${roles}”身份审阅并批准。`, `Review and approve as ${roles}.`))}</p>
${awaiting.map((a) => linesHtml(decisionLines(a.decision, lang, names))).join("\n")}`}
<p><a class="button" href="${h(approveUrl(pull, page.mode))}">${h(t(lang, "去平台批准", "Approve on the forge"))}</a></p></article>`;
  });
  const how = page.mode === "local" ? t(lang, "本地试用模式：在申请页面点“批准”。", "Local trial mode: press Approve on the request's page.") : text(HOW_TO_APPROVE, lang);
  // Someone who files for no department is most often a leader: what they may do here, not what they may not.
  const filer = page.user?.departments.length
    ? ""
    : page.user?.informationCenter
      ? `<p class="hint">${h(t(lang, "全校的备案台账、即将到期的名单和变更月报在上方“备案台账”中。", "The school's register, what ends soon and the monthly change reports are under Register above."))}</p>`
      : leader
        ? ""
        : page.user?.informationCenter
      ? `<p class="hint">${h(t(lang, "全校的备案台账、即将到期的名单和变更月报在上方“备案台账”中。", "The school's register, what ends soon and the monthly change reports are under Register above."))}</p>`
      : `<p class="hint">${h(t(lang, `（账号 ${page.user?.login ?? ""} 不是任何部门的备案人员，所以这里只有审批；如需为本部门提交备案，请信息中心把您加入名单。）`, `(The account ${page.user?.login ?? ""} files for no department, so this page is for approving; to file for your department, ask the information center to add you.)`))}</p>`;
  const done = approved ? `<p class="ok">${h(t(lang, `已批准 #${approved}。`, `Approved #${approved}.`))}</p>` : "";
  return layout(page, t(lang, "待我审批", "Awaiting my approval"), `${done}${filer}<p class="hint">${h(t(lang, "这里列出需要您签字的申请。服务台不会代您批准：在平台上批准即相当于在申请表上签字。", "The requests that need your signature. The desk never approves for you: your approval on the forge is your signature."))} ${h(how)}</p>
${items.length ? items.join("\n") : `<p>${h(t(lang, "目前没有等待您批准的申请。", "Nothing is waiting for your approval."))}</p>`}${staleSeconds ? `\n<p class="hint">${h(t(lang, `审批情况每 ${staleSeconds} 秒更新一次：刚在平台上批准的申请，可能稍后才从这里消失。`, `What is shown is refreshed every ${staleSeconds} seconds: a request you just approved on the forge may stay here a little while.`))}</p>` : ""}`);
}

/**
 * The links above the register (台账) in the desk: back to the desk, the whole register or what
 * ends soon, the register as a spreadsheet, and the monthly change report of the last few months.
 */
export function registerNav(lang: Lang, expiring: boolean, months: readonly string[]): string {
  const monthName = (m: string) => (lang === "zh" ? `${m.slice(0, 4)}年${Number(m.slice(5))}月` : m);
  return [
    `<a href="/">${h(t(lang, "← 返回服务台", "← Back to the desk"))}</a>`,
    expiring ? `<a href="/register">${h(t(lang, "全部备案", "All filings"))}</a>` : `<a href="/register?expiring">${h(t(lang, "只看即将到期", "Ending soon only"))}</a>`,
    `<a href="/register.xlsx" download>${h(t(lang, "下载台账（Excel）", "Download the register (Excel)"))}</a>`,
    `<span>${h(t(lang, "下载变更月报（Excel）：", "Monthly change report (Excel): "))}${months.map((m) => `<a href="/register/monthly?month=${m}" download>${h(monthName(m))}</a>`).join(" ")}</span>`,
  ].join("\n");
}

export function errorPage(page: Page, title: string, message: string, next?: { readonly href: string; readonly label: string }): string {
  return layout(page, title, `<p class="notice">${h(message)}</p><p>${next ? `<a class="button" href="${h(next.href)}">${h(next.label)}</a> ` : ""}<a href="/">${h(t(page.lang, "返回首页", "Home"))}</a></p>`);
}
