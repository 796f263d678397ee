/** What waits for a leader (lib/desk/awaiting.ts), from the gate's evaluation of one change, one thing at a time. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyChanges } from "../../lib/approvals/classify";
import { evaluateApprovals, type Review } from "../../lib/approvals/evaluate";
import { parseConfig } from "../../lib/config/parse";
import { awaitingMe, roleTeams } from "../../lib/desk/awaiting";
import { REPO, sampleConfig, TODAY } from "../helpers/register";

const config = parseConfig(sampleConfig).loaded!.config;
const OPAC = "filings/tsg/opac.yaml";
const text = fs.readFileSync(path.join(REPO, OPAC), "utf8");
const HEAD = "c".repeat(40);
const TEAMS = new Map([["@campus/tsg-staff", new Set(["tsg-staff"])], ["@campus/info-center-heads", new Set(["chen-ic"])]]);
const judge = (paths: string[], reviews: Review[] = []) =>
  evaluateApprovals({
    classification: classifyChanges(paths, paths.filter((p) => p.startsWith("filings/")).map((p) => ({ path: p, base: { path: p, bytes: Buffer.from(text) }, head: { path: p, bytes: Buffer.from(text.replace("memoryGiB: 16", "memoryGiB: 32")) } }))),
    pr: { number: 1, author: "tsg-staff", headSha: HEAD, commits: [{ sha: HEAD, author: "tsg-staff" }], reviews },
    config,
    teams: TEAMS,
    today: TODAY,
  });
const approved = (user: string): Review => ({ id: 1, user, state: "APPROVED", commitId: HEAD, submittedAt: "2026-11-23T02:00:00Z" });
const roles = (login: string, teams: string[] = [], reviews: Review[] = [], paths = [OPAC]) => awaitingMe(judge(paths, reviews), "tsg-staff", login, new Map(teams.map((t) => [t, new Set([login.toLowerCase()])])), config).map((a) => a.roles);

describe("what waits for a leader", () => {
  it("the teams to ask about are the role holders' teams, once each", () => {
    expect(roleTeams(config)).toEqual(["@campus/info-center-heads", "@example-univ/jsj-deans"]);
  });

  it("a role held by name, unsigned, waits", () => {
    expect(roles("wu-tsg")).toEqual([["departmentHead"]]);
    expect(roles("Wu-TSG")).toEqual([["departmentHead"]]);
  });

  it("a role held through a team waits for the team's member", () => {
    expect(roles("chen-ic", ["@campus/info-center-heads"])).toEqual([["informationCenterHead"]]);
    expect(roles("chen-ic")).toEqual([]);
  });

  it("a signed role waits no more", () => {
    expect(roles("wu-tsg", [], [approved("wu-tsg")])).toEqual([]);
  });

  it("another department's head is not waited for", () => {
    expect(roles("wang-jwc")).toEqual([]);
  });

  it("nothing waits for the author", () => {
    expect(awaitingMe(judge([OPAC]), "wu-tsg", "wu-tsg", new Map(), config)).toEqual([]);
  });

  it("a change of the config waits for the school-level roles only", () => {
    expect(roles("zhou-vp-security", [], [], ["policies/limits.yaml"])).toEqual([["securityLeader"]]);
    expect(roles("wu-tsg", [], [], ["policies/limits.yaml"])).toEqual([]);
  });
});
