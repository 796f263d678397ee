import { holdersOf, holds, isTeam, type Decision, type Evaluation, type TeamMembers } from "../approvals/evaluate";
import type { InstitutionConfig, Role } from "../config/model";

/**
 * What waits for a leader's signature (待我审批): in each open pull request as the gate judges it,
 * the decisions with a role still unsigned that the signed-in person holds, by name or through a
 * team. Pure: the forge says which teams the person is in, the evaluator what is missing.
 */

/** Every team among the role holders (departments' heads and school leaders, the school-level roles): the teams to ask about. */
export function roleTeams(config: InstitutionConfig): string[] {
  return [...new Set(rolePrincipals(config).filter(isTeam).map((t) => t.toLowerCase()))].sort();
}

/** Every role holder of the config, by name or team. */
function rolePrincipals(config: InstitutionConfig): string[] {
  return [
    ...config.departments.flatMap((d) => [...d.roles.departmentHead, ...d.roles.schoolLeader]),
    ...config.approvals.holders.informationCenterHead,
    ...config.approvals.holders.securityLeader,
  ];
}

/** Whether `login` holds any role of the approval chain (`teams`: their membership of roleTeams). */
export function holdsAnyRole(login: string, config: InstitutionConfig, teams: TeamMembers): boolean {
  return holds(login, rolePrincipals(config), teams);
}

export interface Awaiting {
  readonly decision: Decision;
  /** The unsigned roles of this decision the person holds. */
  readonly roles: readonly Role[];
}

/**
 * The decisions of `evaluation` that wait for `login`: a role unsigned, held by them (`@login`, or a
 * team `teams` says they are in, as the gate's evaluator reads teams). Nothing waits for the author: the gate never counts one's own review.
 */
export function awaitingMe(evaluation: Evaluation, author: string, login: string, teams: TeamMembers, config: InstitutionConfig): Awaiting[] {
  if (author.toLowerCase() === login.toLowerCase()) return [];
  const held = (role: Role, department: string | undefined) => holds(login, holdersOf(role, department, config), teams);
  const out: Awaiting[] = [];
  for (const decision of evaluation.decisions) {
    const department = decision.subject.kind === "filing" ? decision.subject.change.department : undefined;
    const roles = decision.roles.filter((r) => !r.signer && held(r.role, department)).map((r) => r.role);
    if (roles.length > 0) out.push({ decision, roles });
  }
  return out;
}
