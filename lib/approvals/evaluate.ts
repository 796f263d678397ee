import { ROLES, type InstitutionConfig, type Principal, type Role } from "../config/model";
import { daysFiledLate, schoolTime, type IsoDate } from "../filings/dates";
import { msg, type Message } from "../messages";
import { ROLE_NAMES, SERVER_TYPE_NAMES } from "../names";
import { widenedExposures } from "../net/exposure";
import type { Classification, FilingChange } from "./classify";

/**
 * Pull-request reviews → the form's signatures, per changed filing (DESIGN §5). Pure: the adapter
 * gathers the facts (from the base branch for config), this decides. Everything that does not count
 * says why, because a leader whose approval "did not work" must be told what to do.
 */

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  readonly id: number;
  readonly user: string;
  readonly state: ReviewState;
  /**
   * The commit the review was given on; null when GitHub no longer knows it (garbage-collected
   * after a force push). Such a review still withdraws, but never gives, an approval.
   */
  readonly commitId: string | null;
  readonly submittedAt: string;
}

export interface Commit {
  readonly sha: string;
  /** GitHub logins of the commit's author and committer, where GitHub knows them. */
  readonly author?: string;
  readonly committer?: string;
}

export interface PullRequestFacts {
  readonly number: number;
  readonly author: string;
  readonly headSha: string;
  readonly commits: readonly Commit[];
  readonly reviews: readonly Review[];
}

/** Members of each team named in the config, keyed `@org/team` in lower case, logins in lower case. */
export type TeamMembers = ReadonlyMap<string, ReadonlySet<string>>;

export interface Signature {
  readonly login: string;
  readonly at: string;
}

export interface RoleDecision {
  readonly role: Role;
  readonly signer?: Signature;
  /** Why the role is not signed yet; absent when signed. */
  readonly missing?: Message;
}

export interface Decision {
  /** A filing change, or the changes to protected paths (config, program, workflows, code). */
  readonly subject: { readonly kind: "filing"; readonly change: FilingChange } | { readonly kind: "protected"; readonly paths: readonly string[] };
  readonly roles: readonly RoleDecision[];
  readonly refusals: readonly Message[];
  /** Shown to the approvers, not blocking (e.g. a physical server filed late). */
  readonly warnings: readonly Message[];
  readonly satisfied: boolean;
}

export interface Evaluation {
  readonly decisions: readonly Decision[];
  /** Why the pull request as a whole cannot be approved (it changes no file), whoever reviews it. */
  readonly refusals: readonly Message[];
  /** Reviews that count for nothing, and why. */
  readonly ignored: readonly { readonly login: string; readonly why: Message }[];
  readonly satisfied: boolean;
}

export interface EvaluationInput {
  readonly classification: Classification;
  readonly pr: PullRequestFacts;
  /** Institution config from the base branch. */
  readonly config: InstitutionConfig;
  readonly teams: TeamMembers;
  /** The day the check runs (China Standard Time), for deadlines such as the physical filing one. */
  readonly today?: IsoDate;
}

const lower = (s: string) => s.toLowerCase();
const short = (sha: string) => sha.slice(0, 7);

export function isTeam(principal: Principal): boolean {
  return principal.includes("/");
}

/** Whether `login` is among `principals`: by name, or as a member of a team among them. */
export function holds(login: string, principals: readonly Principal[], teams: TeamMembers): boolean {
  const l = lower(login);
  return principals.some((p) => (isTeam(p) ? teams.get(lower(p))?.has(l) === true : lower(p.slice(1)) === l));
}

/** Role holders for one department (school-level roles are the same everywhere). */
export function holdersOf(role: Role, department: string | undefined, config: InstitutionConfig): readonly Principal[] {
  if (role === "informationCenterHead" || role === "securityLeader") return config.approvals.holders[role];
  const d = config.departments.find((x) => x.slug === department);
  return d ? d.roles[role] : [];
}

/** Every team the evaluation of these changes may ask about: the adapter fetches exactly these. */
export function teamsToResolve(classification: Classification, config: InstitutionConfig): string[] {
  const teams = new Set<string>();
  const add = (ps: readonly Principal[] | undefined) => ps?.filter(isTeam).forEach((p) => teams.add(lower(p)));
  add(config.approvals.holders.informationCenterHead);
  add(config.approvals.holders.securityLeader);
  for (const d of config.departments) {
    if (!classification.filings.some((c) => c.department === d.slug)) continue;
    add(d.roles.departmentHead);
    add(d.roles.schoolLeader);
    add(d.members);
  }
  // The author's own department may be any department: their member lists decide.
  for (const d of config.departments) add(d.members);
  return [...teams].sort();
}

interface Approver {
  readonly login: string;
  readonly at: string;
}

/** The reviewers whose approval counts, and why the others' does not. */
function countedApprovals(pr: PullRequestFacts): { approvers: Approver[]; ignored: Evaluation["ignored"] } {
  const latest = new Map<string, Review>();
  // By the time each was submitted (as instants, whatever the text's form), then by id within a second.
  const ordered = [...pr.reviews].sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.id - b.id);
  for (const r of ordered) {
    // Comments neither give nor withdraw an approval; pending reviews are not submitted.
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(lower(r.user), r);
  }
  const contributors = new Set(pr.commits.flatMap((c) => [c.author, c.committer]).filter((x): x is string => !!x).map(lower));
  const approvers: Approver[] = [];
  const ignored: { login: string; why: Message }[] = [];
  // A reviewer who only commented may believe they signed: they are told a comment is no approval.
  // Not the author or a committer, whose comments are the conversation, not a signature.
  const commentedOnly = new Map<string, string>();
  for (const r of ordered) {
    const l = lower(r.user);
    if (r.state === "COMMENTED" && !latest.has(l) && l !== lower(pr.author) && !contributors.has(l)) commentedOnly.set(l, r.user);
  }
  for (const [l, r] of latest) {
    const who = r.user;
    if (r.state !== "APPROVED") {
      if (r.state === "DISMISSED") ignored.push({ login: who, why: msg(`${who} 的批准已被撤销（dismissed）。`, `${who}'s approval was dismissed.`) });
      else ignored.push({ login: who, why: msg(`${who} 最近一次审查要求修改（changes requested），之前的批准不再有效。`, `${who}'s latest review requests changes; an earlier approval no longer counts.`) });
      continue;
    }
    if (l === lower(pr.author)) {
      ignored.push({ login: who, why: msg(`${who} 是本 PR 的提交人，不能批准自己的申请。`, `${who} opened this PR and cannot approve it.`) });
      continue;
    }
    if (contributors.has(l)) {
      ignored.push({ login: who, why: msg(`${who} 向本 PR 提交过修改（commit），不能再为它签字。`, `${who} authored or committed a commit of this PR and cannot sign for it.`) });
      continue;
    }
    if (r.commitId !== pr.headSha) {
      // Commit ids are for the engineers (the English text); a leader needs only what to do.
      const given = r.commitId === null ? "a commit that no longer exists" : `commit ${short(r.commitId)}`;
      ignored.push({
        login: who,
        why: msg(
          `${who} 于 ${schoolTime(r.submittedAt)}（北京时间）批准之后，PR 又有修改，这次批准不再计入。请在“Files changed”页面左上方的下拉菜单中选“Changes since your last review”（自上次审查以来的修改）查看，再重新批准。`,
          `${who} approved ${given}; the PR changed after that (now ${short(pr.headSha)}). Review and approve again.`,
        ),
      });
      continue;
    }
    approvers.push({ login: who, at: r.submittedAt });
  }
  for (const who of commentedOnly.values()) {
    ignored.push({ login: who, why: msg(`${who} 只写了评论，没有选择“Approve”：评论不算批准。`, `${who} only commented and did not choose Approve: a comment is not an approval.`) });
  }
  approvers.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { approvers, ignored };
}

/**
 * Assigns approvers to roles: one distinct person per role unless allowed, and in ordered mode each
 * role only after the previous one signed. Tries every assignment (four roles, a handful of holders)
 * and keeps the one that signs the most roles.
 */
function assign(
  roles: readonly Role[],
  candidates: ReadonlyMap<Role, readonly Approver[]>,
  ordered: boolean,
  distinct: boolean,
): (Approver | undefined)[] {
  let best: (Approver | undefined)[] = roles.map(() => undefined);
  let bestCount = 0;
  const current: (Approver | undefined)[] = [];
  const walk = (i: number, count: number, lastAt: string | undefined, blocked: boolean) => {
    if (count + (roles.length - i) <= bestCount) return;
    if (i === roles.length) {
      if (count > bestCount) {
        bestCount = count;
        best = [...current];
      }
      return;
    }
    const used = new Set(current.filter((a): a is Approver => !!a).map((a) => lower(a.login)));
    if (!blocked) {
      for (const a of candidates.get(roles[i]!) ?? []) {
        if (distinct && used.has(lower(a.login))) continue;
        if (ordered && lastAt !== undefined && !(Date.parse(a.at) > Date.parse(lastAt))) continue;
        current.push(a);
        walk(i + 1, count + 1, a.at, false);
        current.pop();
      }
    }
    current.push(undefined);
    // In ordered mode a role that is not signed blocks every later role.
    walk(i + 1, count, lastAt, ordered);
    current.pop();
  };
  walk(0, 0, undefined, false);
  return best;
}

function listed(principals: readonly Principal[]): string {
  return principals.length ? principals.join(", ") : "（无 none）";
}

function decide(
  subject: Decision["subject"],
  department: string | undefined,
  required: readonly Role[],
  refusals: readonly Message[],
  warnings: readonly Message[],
  approvers: readonly Approver[],
  input: EvaluationInput,
): Decision {
  const { config, teams } = input;
  const roles = ROLES.filter((r) => required.includes(r));
  const candidates = new Map(roles.map((role) => [role, approvers.filter((a) => holds(a.login, holdersOf(role, department, config), teams))]));
  const { ordered, allowOnePersonTwoRoles } = config.approvals;
  const chosen = assign(roles, candidates, ordered, !allowOnePersonTwoRoles);
  const decisions: RoleDecision[] = roles.map((role, i) => {
    const signer = chosen[i];
    if (signer) return { role, signer: { login: signer.login, at: signer.at } };
    const name = ROLE_NAMES[role];
    const holders = holdersOf(role, department, config);
    const theirs = candidates.get(role) ?? [];
    // Approvers who hold none of this decision's roles (so signed none of them): most likely meant to
    // sign this one. A holder of another role whose approval did not count (ordered mode) is not confused.
    const holdsAny = (a: Approver) => roles.some((r) => (candidates.get(r) ?? []).includes(a));
    const others = approvers.filter((a) => !holdsAny(a)).map((a) => a.login);
    const reasons: Message[] = [];
    if (theirs.length > 0) {
      const signedOther = theirs.filter((a) => chosen.some((c) => c && lower(c.login) === lower(a.login)));
      if (signedOther.length > 0 && !allowOnePersonTwoRoles) {
        reasons.push(msg(
          `${signedOther.map((a) => a.login).join(", ")} 已担任本 PR 的另一角色，同一人不能签两个角色`,
          `${signedOther.map((a) => a.login).join(", ")} already signed another role of this PR; one person signs one role`,
        ));
      }
      if (ordered) {
        const prev = roles[i - 1];
        if (prev) reasons.push(msg(`须按申请表顺序：${ROLE_NAMES[prev].zh}签字之后的批准才计入`, `in form order: only an approval after the ${ROLE_NAMES[prev].en} signed counts`));
      }
    }
    if (others.length > 0) {
      reasons.push(msg(`${others.join(", ")} 不在${name.zh}名单中`, `${others.join(", ")} ${others.length > 1 ? "are" : "is"} not among the ${name.en} holders`));
    }
    return {
      role,
      missing: msg(
        `缺少${name.zh}的批准（可批准：${listed(holders)}）${reasons.length ? `；${reasons.map((r) => r.zh).join("；")}` : ""}。`,
        `Missing the ${name.en}'s approval (may approve: ${listed(holders)})${reasons.length ? `; ${reasons.map((r) => r.en).join("; ")}` : ""}.`,
      ),
    };
  });
  return { subject, roles: decisions, refusals, warnings, satisfied: refusals.length === 0 && decisions.every((d) => d.signer) };
}

/**
 * Physical servers must be filed within limits.physicalFilingDeadlineDays of going online. A late
 * filing is still better than none, so it is flagged to the approvers rather than refused.
 */
function lateFiling(change: FilingChange, input: EvaluationInput): Message[] {
  const f = change.filing;
  if (!input.today || !change.kinds.includes("new") || f?.type !== "physical" || !f.onlineSince) return [];
  const deadline = input.config.limits.physicalFilingDeadlineDays;
  const days = daysFiledLate(f.onlineSince, input.today, deadline);
  if (days === undefined) return [];
  return [msg(
    `${f.id}：${SERVER_TYPE_NAMES.physical.zh}于 ${f.onlineSince} 上线，${days} 天后才备案，超过 ${deadline} 天的期限。请审批人注意。`,
    `${f.id}: the physical server went online on ${f.onlineSince} and is filed ${days} days later, past the ${deadline}-day deadline.`,
  )];
}

/** The departments whose filings the author may change: their members and heads (empty when in none's list). */
function authorDepartments(author: string, config: InstitutionConfig, teams: TeamMembers): string[] {
  return config.departments
    .filter((d) => holds(author, [...(d.members ?? []), ...d.roles.departmentHead], teams))
    .map((d) => d.slug);
}

export function evaluateApprovals(input: EvaluationInput): Evaluation {
  const { classification, pr, config, teams } = input;
  const { approvers, ignored } = countedApprovals(pr);
  const departments = [...new Set(classification.filings.map((c) => c.department))];
  const own = authorDepartments(pr.author, config, teams);
  const infoCenter = holds(pr.author, config.approvals.holders.informationCenterHead, teams);
  const decisions: Decision[] = classification.filings.map((change) => {
    const refusals = [...change.refusals];
    if (!config.departments.some((d) => d.slug === change.department)) {
      refusals.push(msg(`${change.id}：部门 ${change.department} 不在 departments.yaml 中。`, `${change.id}: department ${change.department} is not in departments.yaml.`));
    }
    if (departments.length > 1) {
      refusals.push(msg(
        `本 PR 同时修改了多个部门的备案（${departments.join(", ")}）。每个 PR 只能修改一个部门的备案，请拆分。`,
        `This PR changes filings of several departments (${departments.join(", ")}). One PR changes one department's filings; split it.`,
      ));
    } else if (own.length === 0 && !infoCenter) {
      // Filing for a department is the department's business: an author in no list is nobody's staff.
      refusals.push(msg(
        `${change.id}：提交人 ${pr.author} 不在任何部门的成员名单（departments.yaml 的 members）中，不能提交备案变更。请由部门的备案人员提交，或请信息中心把其加入本部门的 members。`,
        `${change.id}: ${pr.author} is in no department's members (departments.yaml) and cannot change filings. Have the department's filing staff submit it, or ask the information center to add them to the department's members.`,
      ));
    } else if (!infoCenter && !own.includes(change.department)) {
      refusals.push(msg(
        `${change.id}：提交人 ${pr.author} 属于 ${own.join(", ")}，不能修改 ${change.department} 的备案。`,
        `${change.id}: ${pr.author} files for ${own.join(", ")} and cannot change ${change.department}'s filings.`,
      ));
    }
    const required = [...new Set(change.kinds.flatMap((k) => config.approvals.required[k]))];
    // Opening a sensitive port to the Internet, or to more sources, needs the security leader,
    // whatever the change kind alone would need (the security duties name these ports).
    const widened = change.filing && !change.kinds.includes("delete") ? widenedExposures(change.base, change.filing, config) : [];
    const warnings = lateFiling(change, input);
    if (widened.length > 0) {
      if (!required.includes("securityLeader")) required.push("securityLeader");
      warnings.push(msg(
        `${change.id}：本次变更对互联网开放敏感端口或扩大了可访问的来源（${widened.join("、")}），按信息安全规定须${ROLE_NAMES.securityLeader.zh}批准。`,
        `${change.id}: this change opens sensitive ports to the Internet or to more sources (${widened.join(", ")}); the security rules require the approval of the ${ROLE_NAMES.securityLeader.en}.`,
      ));
    }
    return decide({ kind: "filing", change }, change.department, required, refusals, warnings, approvers, input);
  });
  if (classification.protectedPaths.length > 0) {
    decisions.push(decide({ kind: "protected", paths: classification.protectedPaths }, undefined, config.approvals.required.protected, [], [], approvers, input));
  }
  // Nothing to sign for is not "all signed": an empty PR is never approved.
  const refusals = decisions.length === 0 ? [msg("本 PR 没有任何文件变更，无需也无法审批。", "This PR changes no files: there is nothing to approve.")] : [];
  return { decisions, refusals, ignored, satisfied: refusals.length === 0 && decisions.every((d) => d.satisfied) };
}
