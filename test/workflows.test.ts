/**
 * The workflows follow GitHub's hardening guidance and the trust boundary (docs/approvals.md), checked
 * on the files themselves: actionlint finds nothing; every action is pinned to a full commit SHA;
 * privileged triggers only where no job checks out or runs the pull request's files; least
 * permissions; values from events reach `run` only through `env`; secrets only in the environments
 * that only the default branch may use.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/register";
import { NOTIFY_SECRETS, secretHomes } from "../lib/github/settings";

const DIR = path.join(REPO, ".github/workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflows = files.map((f) => ({ file: f, text: fs.readFileSync(path.join(DIR, f), "utf8"), doc: parse(fs.readFileSync(path.join(DIR, f), "utf8")) as any }));
const ACTIONLINT = path.join(process.env.FILINGS_TOOLS_BIN ?? path.join(os.homedir(), ".cache/server-filings/bin"), "actionlint");

const jobs = workflows.flatMap((w) => Object.entries(w.doc.jobs as Record<string, any>).map(([name, job]) => ({ workflow: w.file, name, job })));
const steps = jobs.flatMap((j) => ((j.job.steps ?? []) as any[]).map((step) => ({ ...j, step })));
const triggers = (w: (typeof workflows)[number]): string[] => Object.keys(typeof w.doc.on === "string" ? { [w.doc.on]: null } : w.doc.on);

/** Triggers whose runs get secrets and write tokens while the pull request is untrusted. */
const PRIVILEGED = ["pull_request_target", "workflow_run"];
const privileged = workflows.filter((w) => triggers(w).some((t) => PRIVILEGED.includes(t)));
const inPrivileged = (s: { workflow: string }) => privileged.some((w) => w.file === s.workflow);

/** Refs a privileged job may check out: the default branch or the base commit, never the PR head. */
const SAFE_REFS = new Set(["${{ github.event.repository.default_branch }}", "${{ github.event.pull_request.base.sha }}"]);
/** git commands that would put another commit's files in the work tree. */
const TREE_CHANGING_GIT = /\bgit\b[^\n]*\s(checkout|switch|restore|reset|merge|rebase|cherry-pick|worktree|pull|am|apply|stash)\b/;
/** How the PR's head may be named in a privileged workflow. */
const PR_HEAD = /HEAD_SHA|head\.sha|head\.ref|head_ref|head_sha|head_branch|refs\/pull|pr\/head/;
/** The only things a privileged step may do with the PR's head: fetch it, check what was fetched, take its filings as data, or name it to the API. */
const PR_HEAD_USES = [
  /^\s*git -c "http\.extraheader=[^"]*" fetch --no-tags origin "\+refs\/pull\/\$PR\/head:refs\/remotes\/pr\/head"$/,
  /^\s*test "\$\(git rev-parse refs\/remotes\/pr\/head\)" = "\$HEAD_SHA"$/,
  /^\s*if node scripts\/filing\.js pr-filings --base "\$BASE_SHA" --head "\$HEAD_SHA" /,
  /^\s*node scripts\/filing\.js approvals --repo "\$REPO" --head-sha "\$HEAD_SHA"$/,
];

describe("workflows", () => {
  it("exist for pull requests, approvals (and the review relay), the preview, deployment and the schedule", () => {
    expect(files).toEqual(["approvals.yml", "deploy.yml", "preview.yml", "pull-request.yml", "review-received.yml", "scheduled.yml", "validation-cache.yml"]);
  });

  it("pass actionlint without a finding", () => {
    expect(fs.existsSync(ACTIONLINT), `actionlint is not built: run scripts/tools.sh (it installs into ${path.dirname(ACTIONLINT)})`).toBe(true);
    const r = spawnSync(ACTIONLINT, ["-no-color", ...files.map((f) => path.join(DIR, f))], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("use privileged triggers only in the approval gate and the credentialed preview", () => {
    expect(privileged.map((w) => w.file)).toEqual(["approvals.yml", "preview.yml"]);
    for (const w of workflows.filter((x) => !privileged.includes(x))) expect(triggers(w).filter((t) => PRIVILEGED.includes(t)), w.file).toEqual([]);
  });

  it("in privileged workflows, check out only the default branch or the base commit", () => {
    const checkouts = steps.filter((s) => inPrivileged(s) && String(s.step.uses ?? "").startsWith("actions/checkout@"));
    expect(checkouts.length).toBe(privileged.length);
    for (const s of checkouts) expect(SAFE_REFS.has(s.step.with?.ref), `${s.workflow}/${s.name}: ref ${s.step.with?.ref}`).toBe(true);
  });

  it("in privileged workflows, never put the PR's files in the work tree or run them", () => {
    for (const s of steps.filter(inPrivileged)) {
      const where = `${s.workflow}/${s.name}/${s.step.name ?? s.step.uses}`;
      if (typeof s.step.run === "string") expect(s.step.run, where).not.toMatch(TREE_CHANGING_GIT);
      // Artifacts and caches from a pull request's run are the PR's data poisoning the base's run.
      expect(String(s.step.uses ?? ""), where).not.toMatch(/^actions\/(download-artifact|cache(\/restore)?)@/);
      expect(s.step.with?.cache, where).toBeUndefined();
      // The PR's head is only fetched, compared, taken as filing data, or named to the API.
      const { name: _n, ...body } = s.step;
      if (!PR_HEAD.test(JSON.stringify(body))) continue;
      expect(typeof s.step.run, where).toBe("string");
      for (const line of (s.step.run as string).split("\n").filter((l) => PR_HEAD.test(l))) {
        expect(PR_HEAD_USES.some((re) => re.test(line)), `${where}: ${line}`).toBe(true);
      }
    }
  });

  it("the rule above catches a privileged workflow that checks out the PR's head", () => {
    const rogue = parse(`
jobs:
  x:
    steps:
      - uses: actions/checkout@08eba0b27e820071cde6df949e0beb9ba4906955
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: git fetch origin pull/1/head && git checkout FETCH_HEAD && npm ci
`) as any;
    const [checkout, run] = rogue.jobs.x.steps;
    expect(SAFE_REFS.has(checkout.with.ref)).toBe(false);
    expect(run.run).toMatch(TREE_CHANGING_GIT);
  });

  it("pin every action to a full commit SHA", () => {
    const uses = steps.filter((s) => s.step.uses).map((s) => s.step.uses as string);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
  });

  it("grant no permissions at the top and declare each job's own, writing only where needed", () => {
    for (const w of workflows) expect(w.doc.permissions, w.file).toEqual({});
    for (const j of jobs) expect(j.job.permissions, `${j.workflow}/${j.name}`).toBeTypeOf("object");
    const writes = jobs.flatMap((j) => Object.entries(j.job.permissions as Record<string, string>).filter(([, v]) => v === "write").map(([k]) => `${j.workflow}/${j.name}:${k}`));
    expect(writes.sort()).toEqual([
      "deploy.yml/deployed:issues",
      "preview.yml/preview:issues",
      "scheduled.yml/drift:issues",
      "scheduled.yml/remind:issues",
    ]);
  });

  it("pass event values to run steps through env, never interpolated into the script", () => {
    for (const s of steps.filter((x) => typeof x.step.run === "string")) {
      expect(s.step.run, `${s.workflow}/${s.name}`).not.toMatch(/\$\{\{/);
    }
  });

  it("keep secrets in the environments only the default branch may use: the App's key in approvals, the re-check's in reverify, the platform's in production, the robots' where they notify", () => {
    for (const j of jobs) {
      const used = [...JSON.stringify(j.job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!);
      for (const secret of used) {
        expect(secretHomes(secret), `${j.workflow}/${j.name} uses ${secret}, which has no home`).toBeDefined();
        expect(secretHomes(secret), `${j.workflow}/${j.name} uses ${secret}`).toContain(j.job.environment);
      }
    }
  });

  it("give every command that notifies the robots' secrets, and no other step", () => {
    const notifying = steps.filter((s) => /filing\.js (approvals|remind|deployed)\b/.test(String(s.step.run ?? "")));
    expect(notifying.map((s) => `${s.workflow}/${s.name}`).sort()).toEqual(["approvals.yml/approvals", "deploy.yml/deployed", "scheduled.yml/remind"]);
    for (const s of steps) {
      const given = Object.keys((s.step.env ?? {}) as Record<string, string>).filter((k) => k.startsWith("FILINGS_NOTIFY_"));
      if (notifying.includes(s)) {
        expect(given.sort(), `${s.workflow}/${s.name}`).toEqual([...NOTIFY_SECRETS, "FILINGS_NOTIFY_EMAIL_FROM", "FILINGS_NOTIFY_EMAIL_TO"].sort());
        for (const name of NOTIFY_SECRETS) expect(s.step.env[name]).toBe(`\${{ secrets.${name} }}`);
      } else {
        expect(given, `${s.workflow}/${s.name}`).toEqual([]);
      }
    }
  });

  it("set the approval status with the App's token, from the default branch's code", () => {
    const judge = steps.find((s) => s.workflow === "approvals.yml" && String(s.step.run ?? "").includes("filing.js approvals"))!;
    expect(judge.step.env.GITHUB_TOKEN).toBe("${{ steps.app.outputs.token }}");
    expect(judge.job.environment).toBe("approvals");
    expect(judge.job.permissions).toEqual({ contents: "read" });
    const approvals = workflows.find((w) => w.file === "approvals.yml")!.doc;
    expect(Object.keys(approvals.on).sort()).toEqual(["pull_request_target", "workflow_run"]);
    expect(approvals.on.workflow_run.workflows).toEqual(["Review received"]);
  });

  it("relay reviews with a workflow that holds nothing", () => {
    const relay = workflows.find((w) => w.file === "review-received.yml")!;
    expect(relay.doc.name).toBe("Review received");
    expect(triggers(relay)).toEqual(["pull_request_review"]);
    for (const j of jobs.filter((x) => x.workflow === relay.file)) {
      expect(j.job.permissions).toEqual({});
      expect(JSON.stringify(j.job)).not.toMatch(/secrets\.|uses/);
    }
  });

  it("run the engine through filing preview / filing up, the one code path the end-to-end tests prove, never bare pulumi preview or up", () => {
    for (const s of steps) expect(String(s.step.run ?? ""), `${s.workflow}/${s.name}`).not.toMatch(/\bpulumi (preview|up|destroy|refresh)\b/);
  });

  it("start the command directly, never through npx (about 1.5 s a call, three calls a pull request)", () => {
    for (const s of steps) expect(String(s.step.run ?? ""), `${s.workflow}/${s.name}`).not.toMatch(/\bnpx\b/);
  });

  it("start every filing command they run as written, in a checkout after npm ci", () => {
    // npm links a package's bins into the node_modules/.bin of packages that depend on it, never its
    // own: ./node_modules/.bin/filing does not exist here, and every workflow step that called it failed.
    const calls = steps.flatMap((s) => [...String(s.step.run ?? "").matchAll(/(?<![\w./-])((?:[\w./-]+ )?[\w./-]*\bfiling(?:\.js)?) ((?:[a-z]+-)*[a-z]+)\b/g)].map((m) => ({ at: `${s.workflow}/${s.step.name}`, command: m[1]!, sub: m[2]! })));
    expect(calls.length).toBeGreaterThan(15);
    const started = new Map<string, number | null>();
    for (const call of calls) {
      expect(call.command, call.at).toBe("node scripts/filing.js");
      if (!started.has(call.sub)) started.set(call.sub, spawnSync("bash", ["-c", `${call.command} ${call.sub} --help`], { cwd: REPO, encoding: "utf8" }).status);
      expect(started.get(call.sub), `${call.at}: ${call.command} ${call.sub} --help`).toBe(0);
    }
  });

  it("back up the state of every stack file each day, secrets left encrypted", () => {
    const backup = workflows.find((w) => w.file === "scheduled.yml")!.doc.jobs["state-backup"];
    expect(backup.environment).toBe("production");
    const script = backup.steps.map((s: any) => String(s.run ?? "")).join("\n");
    expect(script).toContain("for file in stacks/Pulumi.*.yaml");
    expect(script).toContain("pulumi stack export --stack");
    expect(script).not.toContain("--show-secrets");
    // Run the loop itself over this repository's stacks/: every stack file gives one export.
    const loop = script.slice(script.indexOf("for file"), script.indexOf("done") + 4).replace(/pulumi stack export --stack "\$stack" --file "state-backup\/\$stack.json"/, 'echo "$stack"');
    const names = execFileSync("bash", ["-c", loop], { cwd: REPO, encoding: "utf8" }).trim().split("\n").sort();
    const files = fs.readdirSync(path.join(REPO, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
    expect(names).toEqual(files);
    expect(backup.steps.find((s: any) => String(s.uses ?? "").startsWith("actions/upload-artifact@")).with.path).toBe("state-backup/");
  });

  it("let pull requests restore main's validation cache, and only pushes to main save it", () => {
    const uses = (prefix: string) => steps.filter((s) => String(s.step.uses ?? "").startsWith(prefix));
    // The combined action saves in a post step wherever it runs, pull requests included.
    expect(uses("actions/cache@")).toEqual([]);
    const savers = uses("actions/cache/save@");
    expect(savers.map((s) => s.workflow)).toEqual(["validation-cache.yml"]);
    for (const s of savers) {
      const w = workflows.find((x) => x.file === s.workflow)!;
      expect(triggers(w)).toEqual(["push"]);
      expect(w.doc.on.push.branches).toEqual(["main"]);
      expect(s.step.with.path).toBe(".cache/filing");
    }
    const restorers = uses("actions/cache/restore@").map((s) => s.workflow).sort();
    // Not the credentialed preview: a privileged run restores nothing (see the rule above).
    expect(restorers).toEqual(["pull-request.yml", "validation-cache.yml"]);
    // Restored before the register is validated, where it is read.
    for (const file of ["pull-request.yml"]) {
      const list = steps.filter((s) => s.workflow === file && s.name === jobs.find((j) => j.workflow === file && JSON.stringify(j.job).includes("actions/cache/restore@"))!.name).map((s) => s.step);
      const restore = list.findIndex((st) => String(st.uses ?? "").startsWith("actions/cache/restore@"));
      const validate = list.findIndex((st) => String(st.run ?? "").includes("filing.js validate"));
      expect(restore, file).toBeGreaterThan(-1);
      expect(restore, file).toBeLessThan(validate);
    }
  });

  it("do not leave the token in the checkout", () => {
    for (const s of steps.filter((x) => String(x.step.uses ?? "").startsWith("actions/checkout@"))) {
      expect(s.step.with?.["persist-credentials"], `${s.workflow}/${s.name}`).toBe(false);
    }
  });

  it("preview with the base's code over the PR's filings only, secrets in the one preview step", () => {
    const preview = jobs.find((j) => j.workflow === "preview.yml" && j.name === "preview")!.job;
    const names = (preview.steps as any[]).map((s) => String(s.run ?? ""));
    const at = (needle: string) => names.findIndex((r) => r.includes(needle));
    expect(at("filing.js pr-filings")).toBeGreaterThan(at("npm ci"));
    expect(at("filing.js validate")).toBeGreaterThan(at("filing.js pr-filings"));
    expect(at("filing.js preview --stack")).toBeGreaterThan(at("filing.js validate"));
    expect(at("filing.js preview-gate")).toBeGreaterThan(at("filing.js preview --stack"));
    expect(JSON.stringify(preview.env)).not.toMatch(/secrets\./);
    const withSecrets = (preview.steps as any[]).filter((s) => /secrets\./.test(JSON.stringify(s)));
    expect(withSecrets.map((s) => s.name)).toEqual(["Preview with the policy pack"]);
    for (const s of (preview.steps as any[]).slice(at("filing.js pr-filings") + 1)) expect(s.if, s.name).toBe("steps.data.outputs.only == 'true'");
  });

  it("re-verify approvals once, then deploy every stack file, each stack serialized without cancelling one in progress", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")!.doc;
    expect(deploy.jobs.stacks.needs).toBe("reverify");
    expect(deploy.jobs.up.needs).toEqual(["reverify", "stacks"]);
    expect(JSON.stringify(deploy.jobs.reverify.steps)).toContain("filing.js reverify --repo");
    expect(deploy.jobs.reverify.steps.find((s: any) => s.uses?.startsWith("actions/checkout@")).with["fetch-depth"]).toBe(0);
    // One matrix entry per stack, from `filing stacks`; one concurrency group per stack, never cancelled.
    expect(deploy.jobs.up.strategy.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(deploy.jobs.up.strategy["fail-fast"]).toBe(false);
    expect(deploy.jobs.up.concurrency).toEqual({ group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    // The whole workflow one run at a time: deploys apply in the order of main's commits.
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    expect(deploy.jobs.up.env.STACK).toBe("${{ matrix.stack }}");
    expect(JSON.stringify(deploy.jobs.up.steps)).toContain("filing.js up --stack");
    // After every stack: one comment with all of them, and the tag moves forward only.
    expect(deploy.jobs.deployed.needs).toEqual(["stacks", "up"]);
    expect(deploy.jobs.deployed.concurrency).toEqual({ group: "deploy-tag", "cancel-in-progress": false });
    expect(JSON.stringify(deploy.jobs.deployed.steps)).toContain("filing.js deployed");
    expect(JSON.stringify(deploy.jobs.deployed.steps)).toContain("merge-base --is-ancestor");
    expect(JSON.stringify(deploy.jobs.deployed.steps)).toContain("refs/tags/filings-deployed");
  });

  it("re-verify with the last deployed commit's code and a key of its own, never the approvals App's", () => {
    const job = workflows.find((w) => w.file === "deploy.yml")!.doc.jobs.reverify;
    expect(job.environment).toBe("reverify");
    expect(JSON.stringify(job)).not.toContain("FILINGS_APP_PRIVATE_KEY");
    const check = job.steps.find((s: any) => String(s.run ?? "").includes("filing.js reverify"));
    expect(check.run).toContain('--root "$GITHUB_WORKSPACE"');
    expect(check["working-directory"]).toBe("${{ runner.temp }}/trusted");
    // The tag that bounds the next re-check moves only with the re-check App's token, behind its reviewer.
    const deployed = workflows.find((w) => w.file === "deploy.yml")!.doc.jobs.deployed;
    expect(deployed.environment).toBe("reverify");
    expect(deployed.permissions.contents).toBe("read");
    const mark = deployed.steps.find((s: any) => String(s.run ?? "").includes("refs/tags/filings-deployed") && String(s.run).includes("gh api"));
    expect(mark.env.GH_TOKEN).toBe("${{ steps.app.outputs.token }}");
    // Each merge is compared with the approved head of its pull request: every head is fetched, as data.
    expect(JSON.stringify(job.steps)).toContain('fetch --no-tags --quiet origin \\"+refs/pull/*/head:refs/remotes/pull/*\\"');
    expect(job.steps.find((s: any) => String(s.run ?? "").startsWith("npm ci"))["working-directory"]).toBe("${{ runner.temp }}/trusted");
    // The step that picks the code, run as written on a history: a merge after the tag edits the re-check.
    const pick = job.steps.find((s: any) => s.id === "trusted").run as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trusted-"));
    try {
      const repo = path.join(dir, "repo");
      const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" } }).trim();
      fs.mkdirSync(path.join(repo, "lib/github"), { recursive: true });
      git("init", "-q", "-b", "main");
      fs.writeFileSync(path.join(repo, "lib/github/reverify.ts"), "// the reviewed check\n");
      git("add", "-A");
      git("commit", "-q", "-m", "root");
      const root = git("rev-parse", "HEAD");
      const run = () => {
        const out = path.join(dir, `out-${Math.random()}`);
        const trusted = path.join(dir, `trusted-${Math.random()}`);
        const r = spawnSync("bash", ["-e", "-c", pick], { cwd: repo, env: { ...process.env, TRUSTED: trusted, GITHUB_OUTPUT: out }, encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        return { since: /since=(\w+)/.exec(fs.readFileSync(out, "utf8"))![1], check: fs.readFileSync(path.join(trusted, "lib/github/reverify.ts"), "utf8"), stdout: r.stdout };
      };
      // No tag yet: the first deploy checks itself, and says so.
      const first = run();
      expect(first.since).toBe(root);
      expect(first.stdout).toContain("::warning::No filings-deployed tag yet");
      git("tag", "filings-deployed");
      fs.writeFileSync(path.join(repo, "lib/github/reverify.ts"), "// a merge that waves itself through\n");
      git("commit", "-qam", "Merge pull request #9");
      const later = run();
      expect(later.since).toBe(root);
      expect(later.check).toBe("// the reviewed check\n");
      // A tag someone made off main's history (before the first deploy, say) is refused, its code never run.
      git("checkout", "-q", "-b", "elsewhere", root);
      fs.writeFileSync(path.join(repo, "lib/github/reverify.ts"), "process.exit(0) // gutted\n");
      git("commit", "-qam", "a gutted check");
      git("tag", "-f", "filings-deployed");
      git("checkout", "-q", "main");
      const planted = spawnSync("bash", ["-e", "-c", pick], { cwd: repo, env: { ...process.env, TRUSTED: path.join(dir, "planted"), GITHUB_OUTPUT: path.join(dir, "planted-out") }, encoding: "utf8" });
      expect(planted.status).toBe(1);
      expect(planted.stdout).toContain("is not on this commit's history");
      expect(fs.existsSync(path.join(dir, "planted"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a deploy where something did not deploy: the merge comment still goes out, saying what stopped; the tag stays back", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")!.doc;
    const job = deploy.jobs.deployed;
    expect(job.if).toBe("${{ !cancelled() && needs.stacks.result == 'success' }}");
    // The up job keeps its outputs also when it exits 1 (some filings did not deploy).
    const keep = deploy.jobs.up.steps.find((s: any) => String(s.uses ?? "").startsWith("actions/upload-artifact@"));
    expect(keep.if).toBe("${{ !cancelled() }}");
    expect(keep.with["if-no-files-found"]).toBe("ignore");
    expect(keep.with.overwrite).toBe(true);
    // Every step that moves the tag, and the token that may, only when every stack is up.
    const moving = job.steps.filter((s: any) => s.id === "app" || String(s.run ?? "").includes("refs/tags/filings-deployed"));
    expect(moving).toHaveLength(2);
    for (const s of moving) expect(s.if, s.name).toBe("${{ steps.newest.outputs.current == 'true' && needs.up.result == 'success' }}");
    // A superseded run (its up jobs refused to deploy an old commit) or a re-run of an old one neither
    // comments nor moves the tag: every step after the check of main's head depends on it.
    const names = job.steps.map((s: any) => s.name ?? s.uses);
    const newest = job.steps.findIndex((s: any) => s.id === "newest");
    expect(newest).toBeGreaterThan(0);
    for (const s of job.steps.slice(newest + 1)) expect(String(s.if), s.name ?? s.uses).toContain("steps.newest.outputs.current == 'true'");
    expect(names.indexOf(job.steps[newest].name)).toBeLessThan(names.findIndex((n: string) => String(n).startsWith("Comment the created VMs")));
    const dir0 = fs.mkdtempSync(path.join(os.tmpdir(), "newest-deployed-"));
    try {
      const check = (mainAt: string) => {
        fs.writeFileSync(path.join(dir0, "gh"), `#!/bin/sh\necho ${mainAt}\n`, { mode: 0o755 });
        const out = path.join(dir0, `out-${mainAt[0]}`);
        const r = spawnSync("bash", ["-e", "-c", job.steps[newest].run], { env: { ...process.env, PATH: `${dir0}:${process.env.PATH}`, REPO: "campus/filings", SHA: "a".repeat(40), GITHUB_REF_NAME: "main", GITHUB_OUTPUT: out }, encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        return fs.readFileSync(out, "utf8").trim();
      };
      expect(check("a".repeat(40))).toBe("current=true");
      expect(check("b".repeat(40))).toBe("current=false");
    } finally {
      fs.rmSync(dir0, { recursive: true, force: true });
    }
    // The comment step's own script, with a stand-in node that prints its arguments: a stack whose
    // up wrote no outputs is passed as stopped.
    const comment = job.steps.find((s: any) => String(s.run ?? "").includes("filing.js deployed"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deployed-"));
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.writeFileSync(path.join(dir, "bin", "node"), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, "servers-campus-vsphere.json"), "{}");
      const r = spawnSync("bash", ["-e", "-c", comment.run], { cwd: dir, env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, REPO: "campus/filings", SHA: "a".repeat(40), STACKS: '["campus-vsphere","campus-proxmox"]', RUN_URL: "https://github.com/campus/filings/actions/runs/7" }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual(["scripts/filing.js", "deployed", "--repo", "campus/filings", "--sha", "a".repeat(40), "--run-url", "https://github.com/campus/filings/actions/runs/7", "--outputs", "campus-vsphere=servers-campus-vsphere.json", "--stopped", "campus-proxmox"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("deploy only main's newest commit: a re-run of an old run's up job deploys nothing", () => {
    const up = workflows.find((w) => w.file === "deploy.yml")!.doc.jobs.up;
    const names = up.steps.map((s: any) => s.name);
    const guard = up.steps.find((s: any) => String(s.name).startsWith("Only main's newest commit deploys"));
    expect(names.indexOf(guard.name)).toBeLessThan(names.findIndex((n: string) => n === "Up with the policy pack"));
    // The step's own script, with a stand-in gh that answers where main is now.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newest-"));
    try {
      const run = (mainAt: string) => {
        fs.writeFileSync(path.join(dir, "gh"), `#!/bin/sh\necho ${mainAt}\n`, { mode: 0o755 });
        return spawnSync("bash", ["-e", "-c", guard.run], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, REPO: "campus/filings", SHA: "a".repeat(40), GITHUB_REF_NAME: "main" }, encoding: "utf8" });
      };
      expect(run("a".repeat(40)).status).toBe(0);
      const old = run("b".repeat(40));
      expect(old.status).toBe(1);
      expect(old.stdout).toContain(`::error::main is now at ${"b".repeat(40)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("judge again on every event that changes what a status stands on, and start only from the relay's own review events", () => {
    const approvals = workflows.find((w) => w.file === "approvals.yml")!.doc;
    expect(approvals.on.pull_request_target.types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "edited"]));
    const relay = workflows.find((w) => w.file === "review-received.yml")!;
    expect(relay.doc.on.pull_request_review.types).toEqual(["submitted", "dismissed"]);
    // Judgements of one head cancel each other on the job, keyed by the head commit, never on the workflow.
    expect(approvals.concurrency).toBeUndefined();
    expect(approvals.jobs.approvals.concurrency).toEqual({ group: "approvals-${{ github.event.pull_request.head.sha || github.event.workflow_run.head_sha }}", "cancel-in-progress": true });
    const condition = String(approvals.jobs.approvals.if);
    expect(condition).toContain("github.event.workflow_run.event == 'pull_request_review'");
    expect(condition).toContain(`github.event.workflow_run.path == '.github/workflows/${relay.file}'`);
  });

  it("build the deploy matrix from every stack file in stacks/", () => {
    const list = workflows.find((w) => w.file === "deploy.yml")!.doc.jobs.stacks.steps.find((s: any) => s.id === "list");
    // Run the step's own script, as written, on this repository.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matrix-"));
    try {
      const output = path.join(dir, "output");
      execFileSync("bash", ["-e", "-c", String(list.run)], { cwd: REPO, env: { ...process.env, GITHUB_OUTPUT: output }, encoding: "utf8" });
      const line = fs.readFileSync(output, "utf8").trim();
      expect(line.startsWith("stacks=")).toBe(true);
      const names = JSON.parse(line.slice("stacks=".length));
      const files = fs.readdirSync(path.join(REPO, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
      expect(names).toEqual(files);
      expect(names.length).toBeGreaterThan(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("preview and check drift on every stack, as the deploy does", () => {
    const run = (file: string) => steps.filter((s) => s.workflow === file).map((s) => String(s.step.run ?? "")).join("\n");
    expect(run("preview.yml")).toContain("filing.js stacks --format json");
    expect(run("preview.yml")).toMatch(/for stack in .*\n\s*node scripts\/filing\.js preview --stack "\$stack"/);
    expect(run("scheduled.yml")).toMatch(/for stack in .*\n\s*node scripts\/filing\.js drift --repo "\$REPO" --stack "\$stack"/);
    // The state store's address may hold a password (postgres://user:pw@host/db): a secret, never a variable.
    for (const w of workflows) expect(w.text, w.file).not.toMatch(/vars\.(PULUMI_BACKEND_URL|FILINGS_STACK)/);
  });
});
