import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import secureSession from "@fastify/secure-session";
import csrf from "@fastify/csrf-protection";
import * as esbuild from "esbuild";
import { readConfigFiles } from "../lib/config/read";
import type { Department, InstitutionConfig, Role } from "../lib/config/model";
import { awaitingMe, holdsAnyRole, roleTeams } from "../lib/desk/awaiting";
import { holds, isTeam, type TeamMembers } from "../lib/approvals/evaluate";
import { changedFiling, checkChange, decommissionedFiling, newFilingSigners, renewedPeriod, type ChangeCheck, type DecommissionInput, type DeskAction, type Original } from "../lib/desk/change";
import { checkNewFiling, prepareRegister, type FieldProblem, type FormCheck, type PendingAddress, type PreparedRegister } from "../lib/desk/check";
import { filingFromForm, FORM_LIMITS, formFields, formFromFiling, formHints, formLimitProblems, SERVER_NAME, type FormInput } from "../lib/desk/form";
import { formHtml } from "../lib/output/form-html";
import { registerHtml } from "../lib/output/register-html";
import { planRegister } from "../lib/plan/servers";
import { departmentTotals, registerRows, registerTitle, rowUrgency, totalRows } from "../lib/reports/register";
import { escapeHtml } from "../lib/output/html";
import { changePull, departmentsOf, deskBranchFiling, filesFor, newFilingPull } from "../lib/desk/pull";
import { filingPath } from "../lib/filings/scaffold";
import { changeLine } from "../lib/output/filing-summary";
import { calendarDate, type IsoDate } from "../lib/filings/dates";
import type { Filing } from "../lib/filings/model";
import { readFilingFiles, registerFingerprint } from "../lib/filings/read";
import { CONFIG_SOURCE_PATHS } from "../lib/config/model";
import { blobSha, StaleFileError, type DeskForge, type ForgeSession, type PullJudgement, type PullProposal, type PullSummary } from "../lib/forge/desk";
import { localApprove, localMerge, localPull } from "../lib/forge/local";
import { FilingToolError } from "../lib/errors";
import { formText, msg, text, type Lang, type Message } from "../lib/messages";
import { namesOf, NO_NAMES, ROLE_NAMES, schoolName } from "../lib/names";
import { approvingPulls } from "../lib/git/history";
import { isWorkTree } from "../lib/git/run";
import { monthlyXlsx, registerXlsx } from "../lib/output/spreadsheet";
import { monthlyFromHistory, recentMonths, reportMonth } from "../lib/reports/from-history";
import * as YAML from "yaml";
import { loadYaml } from "../lib/yaml/strict";
import { signOutsIn } from "./sign-outs";
import { approvalsPage, decommissionPage, errorPage, registerNav, homePage, localPullPage, localSignInPage, newFilingPage, requestPage, signInPage, submittedPage, recordedAs, toFix, type AwaitingPull, type FormView, type Page } from "./pages";

/**
 * The department desk (`filing serve`): a web application on the same core as the command line.
 * It keeps no state of its own: the session (who is signed in, their forge token, the CSRF secret)
 * is an encrypted cookie, the register is read from the checkout, and a request is a pull request
 * on the forge. Several instances behind a load balancer share only the session key.
 */

export interface DeskOptions {
  /** The register's checkout. */
  readonly root: string;
  readonly forge: DeskForge;
  /** 32 bytes; sessions made with another key (a restart with a new one) are not accepted. */
  readonly sessionKey: Buffer;
  /** Where the desk is reached, for the sign-in redirect (http://127.0.0.1:8080). */
  readonly publicUrl: string;
  /** The date rules judge against; the clock's (Beijing) day when absent. */
  readonly today?: IsoDate;
  readonly logger?: boolean;
  /**
   * How many reverse proxies stand in front (their X-Forwarded-For is believed that far, no
   * further); 0 when people reach the desk directly. The rate limits count by the address it gives.
   */
  readonly trustedProxies?: number;
}

/** A sign-in lasts this long, however often the pages are opened. */
const SIGN_IN_SECONDS = 8 * 3600;

declare module "@fastify/secure-session" {
  interface SessionData {
    token: string;
    login: string;
    departments: string[];
    state: string;
    lang: Lang;
    /** When the person signed in (seconds): the sign-in ends SIGN_IN_SECONDS later. */
    since: number;
    /** This sign-in's id, recorded on signing out so that a copy of the cookie is refused. */
    signIn: string;
    /** The local request just approved, said once on the next page. */
    approved: number;
    /** Signed out just now: the sign-in page says so. */
    signedOut: boolean;
    /** Holds the information center's role (the register's links). */
    informationCenter: boolean;
    /** The last request submitted, for the page that confirms it, with the roles that must sign. */
    submitted: { number: number; url: string; id: string; action: "new" | DeskAction; roles: Role[] };
  }
}

// Beside this module, or (in the command's bundle, which lives in scripts/) in the project's web/.
const WEB = fs.existsSync(path.join(__dirname, "desk.css")) ? __dirname : path.join(__dirname, "..", "web");
const CLIENT = path.join(WEB, "client", "desk.ts");
const STYLE = path.join(WEB, "desk.css");

export async function buildDesk(options: DeskOptions): Promise<FastifyInstance> {
  const secure = options.publicUrl.startsWith("https:");
  // The request line and the address only: no header (the session cookie) or body is logged.
  const app = Fastify({
    // The path only: a query may hold the sign-in's one-time code (/callback?code=…).
    logger: options.logger ? { serializers: { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: req.url.split("?")[0], remoteAddress: req.ip }) } } : false,
    trustProxy: (_address: string, hop: number) => hop < (options.trustedProxies ?? 0),
    bodyLimit: 64 * 1024,
  });
  const today = (): IsoDate => options.today ?? calendarDate(new Date());
  let register: PreparedRegister | undefined;
  let loadedAt = 0;
  let fingerprint = "";
  const current = (): PreparedRegister => {
    // The checkout is the register (a pull keeps it current). Every 30 s its files are stated, and
    // read again only when one changed: reading 10,000 takes seconds, and every request waits on it.
    if (!register || register.today !== today() || Date.now() - loadedAt > 30_000) {
      loadedAt = Date.now();
      const now = registerFingerprint(options.root, CONFIG_SOURCE_PATHS);
      if (!register || register.today !== today() || now !== fingerprint) {
        const prepared = prepareRegister(readFilingFiles(options.root), readConfigFiles(options.root), today());
        if ("problems" in prepared) throw new Error(`the register's config has problems: ${prepared.problems.map((p) => `${p.file}:${p.line} ${p.message.en}`).join("; ")}`);
        register = prepared;
        fingerprint = now;
      }
    }
    return register;
  };
  current();
  const script = esbuild.buildSync({ entryPoints: [CLIENT], bundle: true, write: false, format: "iife", target: "es2020", minify: true }).outputFiles[0]!.text;
  const style = fs.readFileSync(STYLE, "utf8");

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
        // Over plain http (a trial on a campus address) the browser must not be sent to https.
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure,
  });
  // Counted per signed-in person (a campus behind one proxy or NAT is many people), else per
  // address, and only once the request is known to come from the desk's own page: the limits run
  // after the session is read and after the CSRF check, so a refused or forged request (a copied
  // cookie signed out since, a page on a sibling site) spends nobody's allowance.
  const limitKey = (req: FastifyRequest): string => signedIn(req)?.login.toLowerCase() ?? req.ip;
  await app.register(rateLimit, { max: 600, timeWindow: "1 minute", hook: "preHandler", keyGenerator: limitKey });
  await app.register(formbody);
  await app.register(secureSession, {
    key: options.sessionKey,
    // __Host-: only this host may set it (no sibling subdomain), over https only.
    cookieName: secure ? "__Host-desk" : "desk",
    cookie: { path: "/", httpOnly: true, sameSite: "lax", secure },
    expiry: SIGN_IN_SECONDS,
  });
  await app.register(csrf, { sessionPlugin: "@fastify/secure-session", getToken: (req) => (req.headers["x-csrf-token"] as string | undefined) ?? (req.body as Record<string, string> | undefined)?._csrf });

  const config = () => current().loaded.config;
  /** The person's membership of `teams`, asked of the forge, as the gate's evaluator reads teams. */
  const teamsAmong = async (forge: ForgeSession, login: string, teams: readonly string[]): Promise<TeamMembers> => {
    const found = new Map<string, Set<string>>();
    for (const team of teams) if (await forge.isTeamMember(team, login)) found.set(team.toLowerCase(), new Set([login.toLowerCase()]));
    return found;
  };
  /** Whether `login` holds the information center's role, by name or through a team (asked of the forge). */
  const headsInformationCenter = async (forge: ForgeSession, login: string): Promise<boolean> => {
    const holders = config().approvals.holders.informationCenterHead;
    return holds(login, holders, await teamsAmong(forge, login, holders.filter(isTeam)));
  };
  /**
   * A page that prints (the form, the register): its own inline print styles allowed, and its own
   * inline scripts by their hash only (the register sorts its table), nothing else.
   */
  const printable = (reply: FastifyReply, body: string) => {
    const hashes = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${crypto.createHash("sha256").update(m[1]!).digest("base64")}'`);
    return reply
      .header("content-security-policy", `default-src 'none'; style-src 'unsafe-inline'; script-src ${hashes.length ? hashes.join(" ") : "'none'"}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
      .code(200).type("text/html; charset=utf-8").header("cache-control", "no-store")
      .send(body);
  };
  /** The register planned, once per reading of the checkout (the register page reads it whole). */
  const plans = new WeakMap<PreparedRegister, ReturnType<typeof planRegister>>();
  const planned = (register: PreparedRegister) => {
    let plan = plans.get(register);
    if (!plan) plans.set(register, (plan = planRegister({ filings: [...register.files].map(([file, bytes]) => ({ path: file, bytes })), config: register.config, today: register.today })));
    return plan;
  };
  const lang = (req: FastifyRequest): Lang => {
    const asked = (req.query as Record<string, string | undefined>).lang;
    if (asked === "en" || asked === "zh") req.session.set("lang", asked);
    return req.session.get("lang") ?? "zh";
  };
  const page = (req: FastifyRequest, reply: FastifyReply): Page => {
    // Whoever is signed in: a cookie signed out (or expired) shows no one in the header.
    const login = signedIn(req)?.login;
    const slugs = req.session.get("departments") ?? [];
    const departments = slugs.map((s) => config().departments.find((d) => d.slug === s)).filter((d): d is Department => d !== undefined);
    const l = lang(req);
    // The person's name where the config gives one (approvals.yaml people), beside the login.
    const name = login ? config().approvals.people?.[`@${login}`] : undefined;
    const informationCenter = login !== undefined && (req.session.get("informationCenter") ?? false);
    return { lang: l, csrf: reply.generateCsrf(), school: schoolName(namesOf(config()), l), mode: options.forge.kind, ...(login ? { user: { login, ...(name ? { name } : {}), departments, ...(informationCenter ? { informationCenter } : {}) } } : {}) };
  };
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);
  const signOuts = signOutsIn(path.join(options.root, ".desk", "signed-out.json"));
  const signedIn = (req: FastifyRequest): { token: string; login: string } | undefined => {
    const token = req.session.get("token");
    const login = req.session.get("login");
    const since = req.session.get("since") ?? 0;
    const id = req.session.get("signIn");
    // The cookie's own expiry rolls with every page; the sign-in does not. A copy of a cookie whose
    // person signed out is refused.
    if (!token || !login || !id || Date.now() / 1000 - since > SIGN_IN_SECONDS || signOuts.ended(id)) return undefined;
    return { token, login };
  };

  /** A filing's purpose as filed (the facts do not keep it): read from the register's bytes. */
  const purposeOf = (file: string): string | undefined => {
    const bytes = current().files.get(file);
    const value = bytes ? (YAML.parse(Buffer.from(bytes).toString("utf8")) as { purpose?: unknown } | null)?.purpose : undefined;
    return typeof value === "string" ? value : undefined;
  };

  /**
   * The open requests the desk counts: on a desk branch (`<action>/<id>-<time>`) and opened by one
   * of that filing's department's filers. Anyone with write access can push a branch of that name;
   * counted, someone else's would hold another department's filing (no change, no renewal until it
   * is closed) or its addresses. Whether an author files for a department is asked of the forge,
   * kept a minute on GitHub.
   */
  const filerAnswers = new Map<string, { at: number; files: Promise<boolean> }>();
  const deskPulls = async (forge: ForgeSession): Promise<{ pull: PullSummary; filing: NonNullable<ReturnType<typeof deskBranchFiling>> }[]> => {
    const departments = config().departments;
    const out: { pull: PullSummary; filing: NonNullable<ReturnType<typeof deskBranchFiling>> }[] = [];
    for (const pull of await forge.openPulls()) {
      const filing = deskBranchFiling(pull.branch, departments.map((d) => d.slug));
      const department = filing && departments.find((d) => d.slug === filing.department);
      if (!filing || !department) continue;
      const key = `${pull.author.toLowerCase()}\0${department.slug}`;
      let known = filerAnswers.get(key);
      if (!known || Date.now() - known.at > (options.forge.kind === "local" ? 0 : 60_000)) {
        const files = filesFor(pull.author, department, (team, login) => forge.isTeamMember(team, login)).catch(() => false);
        filerAnswers.set(key, (known = { at: Date.now(), files }));
      }
      if (await known.files) out.push({ pull, filing });
    }
    return out;
  };
  /** The request waiting for filing `id`, if one does. */
  const waitingFor = async (forge: ForgeSession, id: string): Promise<PullSummary | undefined> => (await deskPulls(forge)).find((x) => x.filing.id === id)?.pull;

  /**
   * The addresses open new-filing requests ask for, by address: read through the person's session
   * from the forge, so that the form neither offers nor accepts one of them. On GitHub (a call per
   * open request) they are read again at most every 30 s, and a keystroke never waits for that: it
   * gets the last reading while the next one is made. A branch's file is untrusted text, read by the
   * register's own strict loader. Advisory: a forge that cannot be read leaves it empty.
   */
  let pending: { at: number; addresses: Promise<Map<string, PendingAddress>> } | undefined;
  let reading: Promise<Map<string, PendingAddress>> | undefined;
  const readPending = (req: FastifyRequest, forge: ForgeSession): Promise<Map<string, PendingAddress>> => {
    return (async () => {
      const out = new Map<string, PendingAddress>();
      for (const { pull, filing } of await deskPulls(forge)) {
        const file = filingPath(filing.department, filing.name);
        const text = await forge.proposedFile(pull, file);
        const value = text === undefined ? undefined : loadYaml({ path: file, bytes: Buffer.from(text, "utf8") }).located?.value;
        const ip = (value as { network?: { ip?: unknown } } | undefined)?.network?.ip;
        // An address the filing already holds (a change that keeps it) is no new claim.
        if (typeof ip === "string" && !current().byIp.get(ip)?.some((k) => k.result.facts?.id === filing.id)) out.set(ip, { number: pull.number, id: filing.id });
      }
      return out;
    })().catch((err: unknown) => {
      req.log.warn({ err: { message: (err as Error).message } }, "open requests' addresses not read");
      return new Map<string, PendingAddress>();
    });
  };
  const pendingAddresses = (req: FastifyRequest, forge: ForgeSession): Promise<Map<string, PendingAddress>> => {
    if (options.forge.kind === "local") return readPending(req, forge);
    if (!pending) pending = { at: Date.now(), addresses: readPending(req, forge) };
    else if (Date.now() - pending.at > 30_000 && !reading) {
      const next = (reading = readPending(req, forge));
      void next.then(() => {
        pending = { at: Date.now(), addresses: next };
        reading = undefined;
      });
    }
    return pending.addresses;
  };

  // The page's own script and style are no work: never limited, so a flood of them cannot lock others out.
  app.get("/desk.js", { config: { rateLimit: false } }, (_req, reply) => reply.type("text/javascript; charset=utf-8").send(script));
  app.get("/desk.css", { config: { rateLimit: false } }, (_req, reply) => reply.type("text/css; charset=utf-8").send(style));

  app.get("/", async (req, reply) => {
    const who = signedIn(req);
    if (!who) {
      // A cookie the desk cannot read (another key after a restart, or expired) is said, not ignored:
      // every cookie the desk sets holds the CSRF secret at least.
      const ended = /(?:^|;\s*)(?:__Host-)?desk=/.test(req.headers.cookie ?? "") && ((req.session as unknown as { get(k: string): unknown }).get("_csrf") === undefined || req.session.get("token") !== undefined);
      const p = page(req, reply);
      const out = req.session.get("signedOut");
      if (out) req.session.set("signedOut", undefined);
      return html(reply, signInPage(p, out ? text({ zh: "您已退出登录。", en: "You have signed out." }, p.lang) : ended ? text({ zh: "登录已失效（已退出、服务台已重启或登录已过期），请重新登录。", en: "Your sign-in has ended (signed out, the desk restarted, or it expired). Sign in again." }, p.lang) : undefined));
    }
    const p = page(req, reply);
    const slugs = new Set(p.user!.departments.map((d) => d.slug));
    if (!p.user!.departments.length) return reply.redirect("/approvals");
    const filings = [...current().known.values()].filter((k) => k.result.facts && slugs.has(k.result.facts.department)).map((k) => ({ file: k.path, facts: k.result.facts!, purpose: purposeOf(k.path) }));
    const forge = options.forge.session(who.token);
    const pulls = await forge.pullsBy(who.login);
    const open = await deskPulls(forge);
    const waiting = new Map(filings.flatMap((f) => {
      const pull = open.find((x) => x.filing.id === f.facts.id)?.pull;
      return pull ? [[f.facts.id, pull] as const] : [];
    }));
    return html(reply, homePage(p, { filings, pulls, waiting, today: today() }));
  });

  app.get("/sign-in", (req, reply) => {
    const state = crypto.randomBytes(16).toString("hex");
    req.session.set("state", state);
    return reply.redirect(options.forge.signInUrl(state, `${options.publicUrl}/callback`));
  });

  if (options.forge.kind === "local") {
    app.get("/local/sign-in", (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      return html(reply, localSignInPage(page(req, reply), localPeople(config()), q.state ?? "", `${options.publicUrl}/callback`));
    });
    /** A local request is shown to its author and to whoever holds one of its roles (to sign it). */
    const localVisible = async (who: { token: string; login: string }, number: number) => {
      const { login } = who;
      const pull = localPull(options.root, number);
      if (!pull) return undefined;
      const forge = options.forge.session(who.token);
      const { evaluation } = await forge.judge(pull, today());
      // The information center merges what is fully signed, as it would on the forge.
      const merger = await headsInformationCenter(forge, login);
      const mayMerge = merger && pull.state === "open" && evaluation.satisfied;
      if (pull.author === login) return { pull, evaluation, mayApprove: false, mayMerge };
      const waiting = awaitingMe(evaluation, pull.author, login, await teamsOf(forge, login), config()).length > 0;
      const signed = evaluation.decisions.some((d) => d.roles.some((r) => r.signer?.login.toLowerCase() === login.toLowerCase()));
      return waiting || signed || merger ? { pull, evaluation, mayApprove: waiting && pull.state === "open", mayMerge } : undefined;
    };
    app.get("/local/pulls/:number", async (req, reply) => {
      const who = signedIn(req);
      const p = page(req, reply);
      const seen = who ? await localVisible(who, Number((req.params as { number: string }).number)) : undefined;
      if (!seen) return html(reply, errorPage(p, text({ zh: "没有这个申请", en: "No such request" }, p.lang), text({ zh: "找不到这个申请，或您不是它的提交人或审批人。", en: "This request does not exist, or you neither opened it nor sign for it." }, p.lang)), 404);
      // What a forge's pull request page would show a signer: the verdict first, the file below.
      return html(reply, localPullPage(p, seen.pull, seen.evaluation, namesOf(config()), seen.mayApprove, seen.mayMerge));
    });
    // 确认生效: the trial's stand-in for the forge's merge button, the information center's only.
    app.post("/local/pulls/:number/merge", { preHandler: app.csrfProtection }, async (req, reply) => {
      const who = signedIn(req);
      const number = Number((req.params as { number: string }).number);
      const seen = who ? await localVisible(who, number) : undefined;
      if (!who || !seen?.mayMerge) return reply.redirect(`/local/pulls/${number}`, 303);
      const p = page(req, reply);
      if (!localMerge(options.root, number, today())) return html(reply, errorPage(p, text({ zh: "不能生效", en: "Not merged" }, p.lang), text({ zh: "这份备案在申请之后已被修改，申请不能直接生效；请提交人重新提交。", en: "The filing changed after the request was made; it cannot take effect as it is. Ask for it again." }, p.lang)), 409);
      req.log.info({ event: "local merge", login: who.login, number }, "desk");
      // The register is read again on the next page, not in half a minute.
      loadedAt = 0;
      fingerprint = "";
      return reply.redirect(`/local/pulls/${number}`, 303);
    });
    app.post("/local/pulls/:number/approve", { preHandler: app.csrfProtection }, async (req, reply) => {
      const who = signedIn(req);
      const number = Number((req.params as { number: string }).number);
      const seen = who ? await localVisible(who, number) : undefined;
      if (!who || !seen?.mayApprove) return reply.redirect("/approvals", 303);
      localApprove(options.root, number, who.login, new Date());
      req.log.info({ event: "local approval", login: who.login, number }, "desk");
      // Said once on the next page, from the session: a link cannot make the page say it.
      req.session.set("approved", number);
      return reply.redirect("/approvals", 303);
    });
  }

  app.get("/callback", async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const expected = req.session.get("state");
    const p = page(req, reply);
    // The state must be the one this browser was given: a sign-in started elsewhere is refused.
    if (!expected || !q.state || q.state !== expected || !q.code) {
      req.log.warn({ event: "sign-in refused", reason: expected ? "state" : "no state" }, "desk");
      return html(reply, signInPage(p, text({ zh: "登录未完成（登录请求已过期或不是从本页面发起的），请重新登录。", en: "The sign-in did not complete (it expired or did not start here). Sign in again." }, p.lang)), 400);
    }
    req.session.set("state", undefined);
    const token = await options.forge.tokenFor(q.code, `${options.publicUrl}/callback`);
    const forge = options.forge.session(token);
    const account = await forge.account();
    const departments = await departmentsOf(account.login, config(), (team, login) => forge.isTeamMember(team, login));
    // A new session at sign-in: nothing from before (the CSRF secret included) carries over.
    req.session.regenerate(["lang"]);
    req.session.set("token", token);
    req.session.set("login", account.login);
    req.session.set("departments", departments.map((d) => d.slug));
    req.session.set("since", Math.floor(Date.now() / 1000));
    req.session.set("signIn", crypto.randomBytes(16).toString("hex"));
    // Whether to show the register's links; the register page asks the forge again.
    req.session.set("informationCenter", await headsInformationCenter(forge, account.login));
    req.log.info({ event: "signed in", login: account.login, departments: departments.map((d) => d.slug) }, "desk");
    return reply.redirect("/");
  });

  app.post("/sign-out", { preHandler: app.csrfProtection }, (req, reply) => {
    const id = req.session.get("signIn");
    if (id) signOuts.end(id, (req.session.get("since") ?? 0) + SIGN_IN_SECONDS);
    // A fresh session that keeps only the language and the CSRF secret, and says the person signed out.
    req.session.regenerate(["lang", "_csrf"]);
    req.session.set("signedOut", true);
    return reply.redirect("/");
  });

  const fields = formFields();
  const inputOf = (body: Record<string, unknown>): { department: string; name: string; input: FormInput; values: Record<string, string> } => {
    const values: Record<string, string> = {};
    for (const f of fields) if (typeof body[f.path] === "string") values[f.path] = body[f.path] as string;
    const exposures: { port: string; reason: string; sources: string }[] = [];
    // One row past the limit is read, so that a form with too many is told so rather than cut short.
    for (let i = 0; i <= FORM_LIMITS.exposures; i++) {
      const get = (k: string) => (typeof body[`exposures[${i}].${k}`] === "string" ? (body[`exposures[${i}].${k}`] as string) : "");
      if (get("port") || get("reason") || get("sources")) exposures.push({ port: get("port"), reason: get("reason"), sources: get("sources") });
    }
    const department = typeof body.department === "string" ? body.department : "";
    const name = typeof body.name === "string" ? body.name.trim() : "";
    return { department, name, input: { values, exposures }, values: { ...values, department, name } };
  };
  const decommissionInputOf = (body: Record<string, unknown>): DecommissionInput => ({
    backupTakenAt: typeof body["decommission.backupTakenAt"] === "string" ? body["decommission.backupTakenAt"] : "",
    remarks: typeof body.remarks === "string" ? body.remarks : "",
  });
  /** The department must be one the sign-in found: the page is never trusted for it. */
  const mayFileFor = (req: FastifyRequest, department: string): boolean => (req.session.get("departments") ?? []).includes(department);

  app.get("/new", (req, reply) => {
    if (!signedIn(req)) return reply.redirect("/");
    const p = page(req, reply);
    if (!p.user?.departments.length) return reply.redirect("/");
    // The filer is most often the server's administrator too: their forge account is offered, to change or clear.
    return html(reply, newFilingPage(p, { fields, hints: formHints(config()), values: { "commitments.responsibilityLetter": config().letters.current, "administrator.account": `@${p.user.login}` } }));
  });

  const isAction = (v: unknown): v is DeskAction => v === "change" || v === "renew" || v === "decommission";
  /**
   * The filing a change starts from: one of the signed-in person's departments', active, and read
   * by the register without error. The department and name come from the page and are checked here.
   */
  const originalOf = (req: FastifyRequest, department: string, name: string): Original | undefined => {
    if (!mayFileFor(req, department) || !SERVER_NAME.test(name)) return undefined;
    const file = filingPath(department, name);
    const bytes = current().files.get(file);
    const facts = current().known.get(file)?.result.facts;
    if (!bytes || !facts || facts.status !== "active") return undefined;
    const source = Buffer.from(bytes).toString("utf8");
    return { path: file, text: source, filing: YAML.parse(source) as Filing };
  };
  const changeCheckOf = (action: DeskAction, original: Original, body: Record<string, unknown>, login: string, pending?: ReadonlyMap<string, PendingAddress>): ChangeCheck => {
    const register = current();
    if (action === "decommission") {
      const input = decommissionInputOf(body);
      const limits = formLimitProblems({ values: { "decommission.backupTakenAt": input.backupTakenAt, remarks: input.remarks } }).map((x) => ({ field: x.field, rule: "desk-input", severity: "error" as const, message: x.message }));
      const made = decommissionedFiling(original.filing, input, register.today);
      return checkChange(register, original, made.filing, login, { limits, normalised: made.normalised });
    }
    const { input } = inputOf(body);
    const limits = formLimitProblems(input).map((x) => ({ field: x.field, rule: "desk-input", severity: "error" as const, message: x.message }));
    const made = changedFiling(original.filing, input, register.loaded.config);
    return checkChange(register, original, made.filing, login, { limits, normalised: made.normalised, ...(pending ? { pending } : {}) });
  };
  /** The form of a change, prefilled from the filing (a renewal with its next period). */
  const changeView = (action: Exclude<DeskAction, "decommission">, original: Original, typed?: { values: Record<string, string>; exposures: FormView["exposures"]; check: ChangeCheck }): FormView => {
    const shown = formFromFiling(original.filing);
    if (action === "renew") {
      const next = renewedPeriod(original.filing, current().today, config().limits.maxPeriodMonths);
      shown.values["period.start"] = next.start;
      shown.values["period.months"] = String(next.months);
    }
    // The account hint speaks of the new filing's prefilled account; a change shows the filed one.
    const { "administrator.account": _account, ...hints } = formHints(config());
    return {
      fields,
      hints,
      values: typed?.values ?? shown.values,
      exposures: typed?.exposures ?? shown.exposures,
      ...(typed ? { check: typed.check } : {}),
      change: { action, original: original.filing, base: blobSha(original.text) },
    };
  };

  // Checks per person per minute: the page checks 200 ms after the last key, so five a second is a
  // fast typist's most; a heavy form (every list at its limit) costs tens of milliseconds.
  // A keystroke's check is logged only when it fails: at a check a second per person, request lines
  // would bury the ones that matter.
  app.post("/api/check", { logLevel: "warn", preHandler: app.csrfProtection, config: { rateLimit: { max: 300, timeWindow: "1 minute", hook: "preHandler", keyGenerator: limitKey } } }, async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.code(401).send({ error: "signed out" });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const l = lang(req);
    let check: FormCheck & Partial<Pick<ChangeCheck, "changes" | "signers">>;
    if (isAction(body.action)) {
      const original = originalOf(req, String(body.department ?? ""), String(body.filing ?? ""));
      if (!original) return reply.code(403).send({ error: "filing" });
      check = changeCheckOf(body.action, original, body, who.login, await pendingAddresses(req, options.forge.session(who.token)));
    } else {
      const { department, name, input } = inputOf(body);
      if (!mayFileFor(req, department)) return reply.code(403).send({ error: "department" });
      check = checkNewFiling(current(), department, name, input, await pendingAddresses(req, options.forge.session(who.token)));
    }
    return reply.header("cache-control", "no-store").send({
      problems: check.problems.map((p) => ({ field: p.field ?? null, severity: p.severity, rule: p.rule, message: formText(p.message, l) })),
      normalised: check.normalised.map((n) => ({ field: n.path, text: recordedAs(n.recorded, l) })),
      freeIp: check.freeIp ?? null,
      summary: toFix(check.problems.filter((p) => p.severity === "error").length, l) ?? null,
      ...(check.changes ? { changes: check.changes.map((c) => changeLine(c, l)), signers: (check.signers ?? []).map((s) => text(ROLE_NAMES[s.role], l)) } : {}),
    });
  });

  /** The person's departments read again from the forge: someone who left since signing in files for it no more. */
  const stillFiles = async (req: FastifyRequest, forge: ForgeSession, login: string, department: string): Promise<Department | undefined> => {
    const now = await departmentsOf(login, config(), (team, who) => forge.isTeamMember(team, who));
    req.session.set("departments", now.map((x) => x.slug));
    return now.find((x) => x.slug === department);
  };
  const notAllowed = (reply: FastifyReply, p: Page, why: Message) => html(reply, errorPage(p, text({ zh: "不能提交", en: "Not allowed" }, p.lang), text(why, p.lang)), 403);
  const pendingProblem = (waiting: PullSummary): FieldProblem => ({
    rule: "desk-input",
    severity: "error",
    message: msg(`这份备案已有一份审批中的申请：#${waiting.number} ${waiting.title}（${waiting.author} 提交）。请等它合并或关闭后再提交新的申请。`, `This filing already has a request waiting: #${waiting.number} ${waiting.title} (by ${waiting.author}). Submit again once it is merged or closed.`),
  });
  /**
   * The filings whose request is being opened now: a second submission for one of them (two tabs, a
   * double click, a change and a renewal at once) waits for none and is refused, since until the
   * first pull request exists the forge shows nothing waiting. One instance's; the forge's list
   * catches the rest.
   */
  const submitting = new Set<string>();
  const claim = (id: string): boolean => {
    if (submitting.has(id)) return false;
    submitting.add(id);
    return true;
  };
  const submittingProblem: FieldProblem = {
    rule: "desk-input",
    severity: "error",
    message: msg("这份备案的另一份申请正在提交，请稍等片刻后回到“我的备案”查看，不要重复提交。", "Another request for this filing is being submitted; look at My filings in a moment rather than submitting again."),
  };
  const staleProblem = (file: string): FieldProblem => ({ rule: "desk-input", severity: "error", message: new StaleFileError(file).userMessage });
  /** Opens the pull request in the person's name, then shows it by a GET (post, redirect, get): reloading never submits again. */
  const submit = async (req: FastifyRequest, reply: FastifyReply, forge: ForgeSession, proposal: PullProposal, asked: { id: string; action: "new" | DeskAction }, roles: Role[], stale: () => unknown) => {
    const login = req.session.get("login");
    let pull: { number: number; url: string };
    try {
      pull = await forge.openPull(proposal);
    } catch (e) {
      if (e instanceof StaleFileError) {
        req.log.warn({ event: "pull request refused", reason: "stale", login, branch: proposal.branch }, "desk");
        return stale();
      }
      // The forge's own refusal, in the tool's words (a branch of that name made first): said, nothing written.
      if (e instanceof FilingToolError) {
        req.log.warn({ event: "pull request refused", reason: e.message, login, branch: proposal.branch }, "desk");
        const p = page(req, reply);
        return html(reply, errorPage(p, text({ zh: "未提交", en: "Not submitted" }, p.lang), text(e.userMessage, p.lang)), 409);
      }
      throw e;
    }
    req.log.info({ event: "pull request opened", login, branch: proposal.branch, number: pull.number }, "desk");
    req.session.set("submitted", { number: pull.number, url: pull.url, ...asked, roles });
    return reply.redirect("/submitted", 303);
  };
  // One allowance for new filings and changes together.
  const submitLimit = { rateLimit: { max: 20, timeWindow: "1 hour", hook: "preHandler" as const, groupId: "submit", keyGenerator: limitKey } };

  // Pull requests per person per hour: enough for a busy day, too few to flood the approvers.
  app.post("/new", { preHandler: app.csrfProtection, config: submitLimit }, async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.redirect("/");
    const { department, name, input, values } = inputOf((req.body ?? {}) as Record<string, unknown>);
    const p = page(req, reply);
    if (!mayFileFor(req, department)) return notAllowed(reply, p, { zh: `您不在部门 ${department} 的备案人员名单中。`, en: `You are not among ${department}'s filers.` });
    const forge = options.forge.session(who.token);
    const d = await stillFiles(req, forge, who.login, department);
    if (!d) return notAllowed(reply, p, { zh: `您已不在部门 ${department} 的备案人员名单中。`, en: `You are no longer among ${department}'s filers.` });
    // Checked again here, whatever the page showed: only a file `filing validate` accepts is proposed.
    const check = checkNewFiling(current(), department, name, input, await pendingAddresses(req, forge));
    const view = (c: FormCheck): FormView => ({ fields, hints: formHints(config()), values, check: c, exposures: input.exposures ?? [] });
    // Said beside each field, the ones left empty included.
    if (!check.path || !check.text || check.problems.some((x) => x.severity === "error")) return html(reply, newFilingPage(p, view(check)), 422);
    const filing = YAML.parse(check.text) as Filing;
    if (!claim(filing.id)) return html(reply, newFilingPage(p, view({ ...check, problems: [{ ...submittingProblem, field: "name" }] })), 409);
    try {
      const waiting = await waitingFor(forge, filing.id);
      if (waiting) return html(reply, newFilingPage(p, view({ ...check, problems: [{ ...pendingProblem(waiting), field: "name" }] })), 409);
      const proposal = newFilingPull(filing, check.path, check.text, d, namesOf(config()), new Date());
      const roles = newFilingSigners(current(), check.path, check.text, who.login).map((s) => s.role);
      return await submit(req, reply, forge, proposal, { id: filing.id, action: "new" }, roles, () => html(reply, newFilingPage(p, view({ ...check, problems: [{ ...staleProblem(check.path!), field: "name" }] })), 409));
    } finally {
      submitting.delete(filing.id);
    }
  });

  app.get("/filings/:department/:name/:action", (req, reply) => {
    if (!signedIn(req)) return reply.redirect("/");
    const { department, name, action } = req.params as Record<string, string>;
    const p = page(req, reply);
    const original = isAction(action) ? originalOf(req, department!, name!) : undefined;
    if (!original || !isAction(action)) return html(reply, errorPage(p, text({ zh: "没有这份备案", en: "No such filing" }, p.lang), text({ zh: "找不到这份在用的备案，或它不属于您的部门（已下线或文件有错误的备案请联系信息中心）。", en: "No such active filing of your department (for a decommissioned filing, or one whose file has errors, ask the information center)." }, p.lang)), 404);
    if (action === "decommission") return html(reply, decommissionPage(p, original.filing, blobSha(original.text), namesOf(config()), {}));
    return html(reply, newFilingPage(p, changeView(action, original)));
  });

  app.post("/filings/:department/:name/:action", { preHandler: app.csrfProtection, config: submitLimit }, async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.redirect("/");
    const { department, name, action } = req.params as Record<string, string>;
    const p = page(req, reply);
    if (!isAction(action)) return html(reply, errorPage(p, text({ zh: "没有这个操作", en: "No such action" }, p.lang), text({ zh: "备案只能变更、续期或下线。", en: "A filing can be changed, renewed or decommissioned." }, p.lang)), 404);
    if (!mayFileFor(req, department!)) return notAllowed(reply, p, { zh: `您不在部门 ${department} 的备案人员名单中。`, en: `You are not among ${department}'s filers.` });
    const forge = options.forge.session(who.token);
    const d = await stillFiles(req, forge, who.login, department!);
    if (!d) return notAllowed(reply, p, { zh: `您已不在部门 ${department} 的备案人员名单中。`, en: `You are no longer among ${department}'s filers.` });
    const original = originalOf(req, department!, name!);
    if (!original) return html(reply, errorPage(p, text({ zh: "没有这份备案", en: "No such filing" }, p.lang), text({ zh: "找不到这份在用的备案（可能刚刚已下线）。", en: "No such active filing (it may have just been decommissioned)." }, p.lang)), 404);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const check = changeCheckOf(action, original, body, who.login, await pendingAddresses(req, forge));
    const again = (c: ChangeCheck, status: number) => {
      if (action === "decommission") return html(reply, decommissionPage(p, original.filing, blobSha(original.text), namesOf(config()), { values: decommissionInputOf(body), check: c }), status);
      const typed = inputOf(body);
      return html(reply, newFilingPage(p, changeView(action, original, { values: typed.values, exposures: typed.input.exposures ?? [], check: c })), status);
    };
    // The form was made from one version of the file: made from another (changed since it was opened),
    // its values would quietly undo that change.
    // Said on a page of its own with the way back, never as the form again: that would carry the old values once more.
    const stale = () => html(reply, errorPage(p, text({ zh: "未提交：备案已被修改", en: "Not submitted: the filing changed" }, p.lang), text(new StaleFileError(original.path).userMessage, p.lang), { href: `/filings/${department}/${name}/${action}`, label: text({ zh: "重新打开这份备案", en: "Open the filing again" }, p.lang) }), 409);
    if (body.base !== blobSha(original.text)) return stale();
    if (!check.text || !check.change || check.problems.some((x) => x.severity === "error")) return again(check, 422);
    // One request per filing waits at a time: two would each be judged against the file as it was.
    const id = original.filing.id;
    if (!claim(id)) return again({ ...check, problems: [submittingProblem] }, 409);
    try {
      const waiting = await waitingFor(forge, id);
      if (waiting) return again({ ...check, problems: [pendingProblem(waiting)] }, 409);
      const proposal = changePull(action, check.change, check.changes, check.signers, check.text, original.text, d, new Date());
      return await submit(req, reply, forge, proposal, { id, action }, check.signers.map((s) => s.role), stale);
    } finally {
      submitting.delete(id);
    }
  });

  /** Which of the role holders' teams the person is in, asked of the forge once per page. */
  const teamsOf = (forge: ForgeSession, login: string): Promise<TeamMembers> => teamsAmong(forge, login, roleTeams(config()));
  const logUnjudged = (e: unknown, number: number) => app.log.warn({ event: "request not judged", number, err: { message: (e as Error).message } }, "desk");
  const judgeOrSay = async (forge: ForgeSession, pull: PullSummary, lang: Lang): Promise<{ judged?: PullJudgement; error?: string }> => {
    try {
      return { judged: await forge.judge(pull, today()) };
    } catch (e) {
      // Fails closed for this request: said, never taken as nothing to sign.
      logUnjudged(e, pull.number);
      return { error: e instanceof FilingToolError ? text(e.userMessage, lang) : text({ zh: "暂时无法从平台读取这个申请的审批情况，请稍后刷新。", en: "The forge could not be read for this request; refresh later." }, lang) };
    }
  };

  /**
   * 待我审批 judges every open request, about ten forge calls each: on GitHub a judgement is kept a
   * minute for every leader (it does not depend on who reads it; what waits for whom is worked out
   * per person from it), so a school's leaders opening the page together cost one round. A failure
   * is not kept. The page says how old what it shows may be.
   */
  const JUDGED_FOR_MS = options.forge.kind === "local" ? 0 : 60_000;
  const judgements = new Map<number, { at: number; judged: Promise<{ judged?: PullJudgement; error?: string }> }>();
  const judgedRecently = (forge: ForgeSession, pull: PullSummary, lang: Lang) => {
    const now = Date.now();
    for (const [n, j] of judgements) if (now - j.at > JUDGED_FOR_MS) judgements.delete(n);
    const kept = judgements.get(pull.number);
    if (kept) return kept.judged;
    const judged = judgeOrSay(forge, pull, lang);
    judgements.set(pull.number, { at: now, judged });
    void judged.then((j) => {
      if (j.error) judgements.delete(pull.number);
    });
    return judged;
  };

  app.get("/approvals", async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.redirect("/");
    const p = page(req, reply);
    const forge = options.forge.session(who.token);
    const teams = await teamsOf(forge, who.login);
    const items: AwaitingPull[] = [];
    for (const pull of await forge.openPulls()) {
      if (pull.author.toLowerCase() === who.login.toLowerCase()) continue;
      const { judged, error } = await judgedRecently(forge, pull, p.lang);
      if (error) items.push({ pull, awaiting: [], error });
      else {
        const awaiting = awaitingMe(judged!.evaluation, pull.author, who.login, teams, config());
        if (awaiting.length) items.push({ pull, awaiting });
      }
    }
    const approved = req.session.get("approved");
    if (approved !== undefined) req.session.set("approved", undefined);
    return html(reply, approvalsPage(p, items, namesOf(config()), approved, JUDGED_FOR_MS / 1000, holdsAnyRole(who.login, config(), teams)));
  });

  app.get("/requests/:number", async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.redirect("/");
    const p = page(req, reply);
    const forge = options.forge.session(who.token);
    const pull = (await forge.pullsBy(who.login)).find((x) => x.number === Number((req.params as { number: string }).number));
    if (!pull) return html(reply, errorPage(p, text({ zh: "没有这个申请", en: "No such request" }, p.lang), text({ zh: "找不到这个申请，或它不是您提交的。", en: "This request does not exist or is not yours." }, p.lang)), 404);
    const { judged, error } = pull.state === "open" ? await judgeOrSay(forge, pull, p.lang) : {};
    return html(reply, requestPage(p, pull, judged, namesOf(config()), error));
  });

  // 撤回: the author closes their own open request on the forge (with their token), e.g. to file it anew.
  app.post("/requests/:number/withdraw", { preHandler: app.csrfProtection }, async (req, reply) => {
    const who = signedIn(req);
    if (!who) return reply.redirect("/");
    const number = Number((req.params as { number: string }).number);
    const forge = options.forge.session(who.token);
    const pull = (await forge.pullsBy(who.login)).find((x) => x.number === number && x.state === "open");
    const p = page(req, reply);
    if (!pull) return html(reply, errorPage(p, text({ zh: "不能撤回", en: "Cannot withdraw" }, p.lang), text({ zh: "找不到这份审批中的申请，或它不是您提交的。", en: "No such waiting request of yours." }, p.lang)), 404);
    await forge.closePull(number, pull.title);
    req.log.info({ event: "pull request withdrawn", login: who.login, number }, "desk");
    return reply.redirect(`/requests/${number}`, 303);
  });

  /**
   * 预览申请表: the printed form of what the page would file, as it will be signed, in a tab of its
   * own. Nothing is checked or written; a form the rules refuse previews as typed. The printed form
   * carries its own print styles, allowed for this page only; it runs no script.
   */
  app.post("/preview", { preHandler: app.csrfProtection }, (req, reply) => {
    if (!signedIn(req)) return reply.redirect("/");
    const body = (req.body ?? {}) as Record<string, unknown>;
    const p = page(req, reply);
    let filing: Record<string, unknown>;
    const tooOdd = () => html(reply, errorPage(p, text({ zh: "不能预览", en: "Cannot preview" }, p.lang), text({ zh: "表单中有过长的内容或看不见的字符，请先按页面上的提示修改。", en: "The form holds over-long text or invisible characters; fix what the page says first." }, p.lang)), 422);
    // Every form's text is held to the same limits before anything is printed: a change's and a
    // decommission's as a new filing's (a reason is a one-line box like a purpose).
    const typed = inputOf(body);
    if (formLimitProblems({ ...typed.input, values: { ...typed.input.values, ...(typeof body.remarks === "string" ? { remarks: body.remarks } : {}) } }).length > 0) return tooOdd();
    if (isAction(body.action)) {
      const original = originalOf(req, String(body.department ?? ""), String(body.filing ?? ""));
      if (!original) return html(reply, errorPage(p, text({ zh: "没有这份备案", en: "No such filing" }, p.lang), text({ zh: "找不到这份在用的备案，或它不属于您的部门。", en: "No such active filing of your department." }, p.lang)), 404);
      filing = body.action === "decommission" ? decommissionedFiling(original.filing, decommissionInputOf(body), current().today).filing : changedFiling(original.filing, typed.input, config()).filing;
    } else {
      if (!mayFileFor(req, typed.department)) return html(reply, errorPage(p, text({ zh: "不能预览", en: "Not allowed" }, p.lang), text({ zh: `您不在部门 ${typed.department} 的备案人员名单中。`, en: `You are not among ${typed.department}'s filers.` }, p.lang)), 403);
      filing = filingFromForm(typed.input, typed.department, SERVER_NAME.test(typed.name) ? typed.name : "name-to-be-given", config()).filing;
    }
    const department = config().departments.find((d) => d.slug === filing.department);
    let printed: string;
    try {
      printed = formHtml(filing as unknown as Filing, department?.name ?? String(filing.department), undefined, namesOf(config()), { today: today(), deadlineDays: config().limits.physicalFilingDeadlineDays });
    } catch (err) {
      // The printed form needs every box it prints (a date to count from, an address): one still
      // empty or mistyped is said, not answered with an error.
      req.log.warn({ event: "preview of an unfinished form", err: { message: (err as Error).message } }, "desk");
      return html(reply, errorPage(p, text({ zh: "还不能预览", en: "Cannot preview yet" }, p.lang), text({ zh: "申请表还缺少内容或有填写不对的地方（例如开通时间、IP 地址）。请先按表单上的红字改好，再点“预览申请表”。", en: "The form still misses something or holds a mistake (a start date, an address, say). Fix what the form marks in red, then preview again." }, p.lang)), 422);
    }
    const banner = `<p style="border:2px dashed #b00020;padding:6px;text-align:center">${escapeHtml(text({ zh: "预览：尚未提交，未经审批", en: "Preview: not submitted, not approved" }, p.lang))}</p>`;
    return printable(reply, printed.replace(/<body([^>]*)>/, `<body$1>${banner}`));
  });

  /** The page of whoever heads the information center (asked of the forge each time), else undefined with a refusal sent. */
  const informationCenterPage = async (req: FastifyRequest, reply: FastifyReply): Promise<Page | undefined> => {
    const who = signedIn(req);
    if (!who) {
      await reply.redirect("/");
      return undefined;
    }
    const p = page(req, reply);
    if (await headsInformationCenter(options.forge.session(who.token), who.login)) return p;
    await html(reply, errorPage(p, text({ zh: "仅限信息中心", en: "Information center only" }, p.lang), text({ zh: "备案台账只对信息中心负责人开放。", en: "The register is for the information center's heads." }, p.lang)), 403);
    return undefined;
  };
  /** The pull request that last changed each filing, from the checkout's history (none outside a git checkout). */
  const approvals = new WeakMap<PreparedRegister, Map<string, number>>();
  const approvedIn = (register: PreparedRegister): Map<string, number> => {
    let pulls = approvals.get(register);
    if (!pulls) approvals.set(register, (pulls = isWorkTree(options.root) ? approvingPulls(options.root) : new Map<string, number>()));
    return pulls;
  };
  const registerTable = (p: Page, expiring: boolean) => {
    const register = current();
    const plan = planned(register);
    if (!plan.servers || !plan.config) return undefined;
    const rows = registerRows(plan.servers, p.lang, approvedIn(register)).filter((r) => !expiring || rowUrgency(r) !== "current");
    const title = `${registerTitle(namesOf(plan.config), p.lang)}${expiring ? text({ zh: "（30 天内到期及已到期）", en: " (ending within 30 days, or ended)" }, p.lang) : ""}`;
    return { register, rows, title, totals: expiring ? [] : totalRows(departmentTotals(plan.servers, plan.config), p.lang), names: namesOf(plan.config) };
  };
  const registerBroken = (reply: FastifyReply, p: Page) => html(reply, errorPage(p, text({ zh: "台账暂不可用", en: "Register unavailable" }, p.lang), text({ zh: "备案仓库中有错误，请先用 filing validate 检查。", en: "The register has errors; run filing validate." }, p.lang)), 500);
  const download = (reply: FastifyReply, file: string, bytes: Buffer) =>
    reply.code(200).type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").header("content-disposition", `attachment; filename="${file}"`).header("cache-control", "no-store").send(bytes);

  /**
   * The information center's register (台账): every filing as `filing report` prints it, or (`?expiring`)
   * only those ending within 30 days or ended. For the information center's heads only (by name or
   * through their team, asked of the forge); its print styles allowed for this page only.
   */
  app.get("/register", async (req, reply) => {
    const p = await informationCenterPage(req, reply);
    if (!p) return reply;
    const expiring = (req.query as Record<string, string | undefined>).expiring !== undefined;
    const table = registerTable(p, expiring);
    if (!table) return registerBroken(reply, p);
    return printable(reply, registerHtml(table.rows, { lang: p.lang, today: table.register.today, title: table.title, totals: table.totals, nav: registerNav(p.lang, expiring, recentMonths(table.register.today, 3)) }));
  });

  /** The register as a spreadsheet, as `filing report register --format xlsx` writes it. */
  app.get("/register.xlsx", async (req, reply) => {
    const p = await informationCenterPage(req, reply);
    if (!p) return reply;
    const table = registerTable(p, false);
    if (!table) return registerBroken(reply, p);
    return download(reply, `register-${table.register.today}.xlsx`, await registerXlsx(table.rows, table.totals, p.lang, table.register.today, table.title));
  });

  /** A month's change report (`filing report monthly`), from the checkout's git history. */
  app.get("/register/monthly", async (req, reply) => {
    const p = await informationCenterPage(req, reply);
    if (!p) return reply;
    const register = current();
    let month: string;
    try {
      month = reportMonth((req.query as Record<string, string | undefined>).month, register.today);
    } catch (err) {
      if (!(err instanceof FilingToolError)) throw err;
      return html(reply, errorPage(p, text({ zh: "月份不对", en: "Not a month" }, p.lang), text(err.userMessage, p.lang), { href: "/register", label: text({ zh: "返回台账", en: "Back to the register" }, p.lang) }), 400);
    }
    if (!isWorkTree(options.root)) {
      return html(reply, errorPage(p, text({ zh: "没有变更历史", en: "No history" }, p.lang), text({ zh: "服务台读取的备案目录不是 git 仓库的检出，无法按月份比较备案。请让信息中心用 git clone 的检出运行服务台。", en: "The desk's register is not a git checkout, so months cannot be compared. Run the desk on a git clone." }, p.lang)), 500);
    }
    const { rows, period } = monthlyFromHistory(options.root, month, register.today);
    const table = registerTable(p, false);
    return download(reply, `changes-${month}.xlsx`, await monthlyXlsx(month, period, rows, table?.names ?? NO_NAMES, p.lang));
  });

  app.get("/submitted", (req, reply) => {
    const done = req.session.get("submitted");
    if (!signedIn(req) || !done) return reply.redirect("/");
    return html(reply, submittedPage(page(req, reply), done, done.id, done.action, (done.roles ?? []).map((role) => ROLE_NAMES[role])));
  });

  app.setErrorHandler((error: Error, req, reply) => {
    // The message and code only: a request's body or headers (the session, a token) are never logged.
    req.log.error({ err: { message: error.message, code: (error as { code?: string }).code } }, "desk error");
    const p = { lang: "zh" as Lang, school: "", mode: options.forge.kind };
    if ((error as { code?: string }).code === "FST_CSRF_INVALID_TOKEN" || (error as { code?: string }).code === "FST_CSRF_MISSING_SECRET") {
      return html(reply, errorPage(p, "会话已失效 / Session expired", "页面已过期或会话已失效（例如服务台重启后换了密钥），请返回首页重新登录后再提交。The page or session expired; go back and sign in again."), 403);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return html(reply, errorPage(p, "出错了 / Error", status === 429 ? "请求过于频繁，请稍后再试。Too many requests; try again shortly." : "服务台出错，请稍后重试；如仍失败请联系信息中心。The desk failed; try again, or contact the information center."), status);
  });

  return app;
}

/**
 * Who one can be in local trial mode: each department's filers, its head and school leader, and the
 * school-level role holders; a team stands for the login named after it (`@campus/tsg-staff` → tsg-staff).
 */
export function localPeople(config: InstitutionConfig): { login: string; label: string }[] {
  const people = new Map<string, string[]>();
  const add = (principal: string, label: string) => {
    const login = principal.includes("/") ? principal.split("/").pop()! : principal.slice(1);
    const name = config.approvals.people?.[principal];
    people.set(login, [...(people.get(login) ?? []), `${label}${name ? ` ${name}` : ""}（${principal}）`]);
  };
  for (const d of config.departments) {
    for (const m of d.members ?? []) add(m, `${d.name} 备案人员`);
    for (const m of d.roles.departmentHead) add(m, `${d.name} ${ROLE_NAMES.departmentHead.zh}`);
    for (const m of d.roles.schoolLeader) add(m, `${d.name} ${ROLE_NAMES.schoolLeader.zh}`);
  }
  for (const m of config.approvals.holders.informationCenterHead) add(m, ROLE_NAMES.informationCenterHead.zh);
  for (const m of config.approvals.holders.securityLeader) add(m, ROLE_NAMES.securityLeader.zh);
  // One entry per person, however many roles they hold.
  return [...people].map(([login, labels]) => ({ login, label: [...new Set(labels)].join("；") }));
}
