/**
 * The workflows follow GitHub's hardening guidance, checked on the files themselves: actionlint finds
 * nothing; every third-party action is pinned to a full commit SHA; no pull_request_target or
 * workflow_run; least permissions; values from events reach `run` only through `env`; platform
 * secrets only in the production environment.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/register";

const DIR = path.join(REPO, ".github/workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflows = files.map((f) => ({ file: f, text: fs.readFileSync(path.join(DIR, f), "utf8"), doc: parse(fs.readFileSync(path.join(DIR, f), "utf8")) as any }));
const ACTIONLINT = path.join(process.env.FILINGS_TOOLS_BIN ?? path.join(os.homedir(), ".cache/server-filings/bin"), "actionlint");

/** The one secret a non-production job may read, and why: team membership for the approval check. */
const ALLOWED_OUTSIDE_PRODUCTION = new Set(["FILINGS_TEAMS_TOKEN"]);

const jobs = workflows.flatMap((w) => Object.entries(w.doc.jobs as Record<string, any>).map(([name, job]) => ({ workflow: w.file, name, job })));
const steps = jobs.flatMap((j) => ((j.job.steps ?? []) as any[]).map((step) => ({ ...j, step })));

describe("workflows", () => {
  it("exist for pull requests, approvals, deployment and the schedule", () => {
    expect(files).toEqual(["approvals.yml", "deploy.yml", "pull-request.yml", "scheduled.yml"]);
  });

  it("pass actionlint without a finding", () => {
    expect(fs.existsSync(ACTIONLINT), `actionlint is not built: run scripts/tools.sh (it installs into ${path.dirname(ACTIONLINT)})`).toBe(true);
    const r = spawnSync(ACTIONLINT, ["-no-color", ...files.map((f) => path.join(DIR, f))], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("never trigger on pull_request_target or workflow_run", () => {
    for (const w of workflows) {
      const on = typeof w.doc.on === "string" ? { [w.doc.on]: null } : w.doc.on;
      expect(Object.keys(on), w.file).not.toContain("pull_request_target");
      expect(Object.keys(on), w.file).not.toContain("workflow_run");
      expect(w.text, w.file).not.toContain("pull_request_target");
    }
  });

  it("pin every action to a full commit SHA", () => {
    const uses = steps.filter((s) => s.step.uses).map((s) => s.step.uses as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
  });

  it("grant no permissions at the top and declare each job's own", () => {
    for (const w of workflows) expect(w.doc.permissions, w.file).toEqual({});
    for (const j of jobs) expect(j.job.permissions, `${j.workflow}/${j.name}`).toBeTypeOf("object");
    const writes = jobs.flatMap((j) => Object.entries(j.job.permissions as Record<string, string>).filter(([, v]) => v === "write").map(([k]) => `${j.workflow}/${j.name}:${k}`));
    expect(writes.sort()).toEqual([
      "approvals.yml/approvals:issues",
      "approvals.yml/approvals:statuses",
      "deploy.yml/up:issues",
      "pull-request.yml/preview:issues",
      "scheduled.yml/drift:issues",
      "scheduled.yml/remind:issues",
    ]);
  });

  it("pass event values to run steps through env, never interpolated into the script", () => {
    for (const s of steps.filter((x) => typeof x.step.run === "string")) {
      expect(s.step.run, `${s.workflow}/${s.name}`).not.toMatch(/\$\{\{/);
    }
  });

  it("keep platform secrets in the production environment only", () => {
    for (const j of jobs) {
      const used = [...JSON.stringify(j.job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!);
      const outside = used.filter((s) => !ALLOWED_OUTSIDE_PRODUCTION.has(s));
      if (outside.length > 0) expect(j.job.environment, `${j.workflow}/${j.name} uses ${outside.join(", ")}`).toBe("production");
    }
  });

  it("do not leave the token in the checkout, and judge approvals with the base branch's code", () => {
    for (const s of steps.filter((x) => String(x.step.uses ?? "").startsWith("actions/checkout@"))) {
      expect(s.step.with?.["persist-credentials"], `${s.workflow}/${s.name}`).toBe(false);
    }
    const approvals = steps.find((s) => s.workflow === "approvals.yml" && String(s.step.uses ?? "").startsWith("actions/checkout@"))!;
    expect(approvals.step.with.ref).toBe("${{ github.event.pull_request.base.sha }}");
  });

  it("serialize deployments without cancelling one in progress, and preview only for this repository's branches", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")!.doc;
    expect(deploy.concurrency).toEqual({ group: "deploy-production", "cancel-in-progress": false });
    const preview = jobs.find((j) => j.workflow === "pull-request.yml" && j.name === "preview")!.job;
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(JSON.stringify(preview.steps)).toContain("filing preview-gate preview.json");
    expect(JSON.stringify(workflows.find((w) => w.file === "deploy.yml")!.doc.jobs.up.steps)).toContain("npx filing deployed");
  });
});
