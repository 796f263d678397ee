import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { configDigest, decodeCache } from "../../lib/cache/validation";
import { filingPaths } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { readWorkTree } from "../../lib/git/status";
import { codeVersion } from "../../scripts/cli/code-version";
import { DEFAULT_CACHE_FILE, openValidationCache } from "../../scripts/cli/validate-cache";
import { runCli } from "../helpers/cli";
import { committedRoot } from "../helpers/git";
import { REPO, TODAY } from "../helpers/register";

// The incremental check (issue 19): a run with the cache must report exactly what a run without
// it reports, whatever happened to the register or to the cache in between.

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function register(): { repo: string; git: (...args: string[]) => string } {
  const made = committedRoot("register");
  roots.push(made.repo);
  return made;
}

async function validate(root: string, ...extra: string[]) {
  const r = await runCli(["validate", "--root", root, "--format", "json", "--today", TODAY, ...extra]);
  return { code: r.code, report: r.stdout, stderr: r.stderr };
}

/** Both ways: with the cache (which the run then updates) and without; they must agree. */
async function bothWays(root: string, ...extra: string[]) {
  const cached = await validate(root, ...extra);
  const fresh = await validate(root, "--no-cache", ...extra);
  expect(cached.code).toBe(fresh.code);
  expect(JSON.parse(cached.report)).toEqual(JSON.parse(fresh.report));
  return cached;
}

/** What the cache would leave to parse now: the files it does not know. */
async function toParse(root: string): Promise<readonly string[]> {
  const cache = openValidationCache(path.join(root, DEFAULT_CACHE_FILE), readConfigFiles(root));
  return cache.split(root, filingPaths(root), await readWorkTree(root, "filings/")).missing;
}

function cacheState(root: string) {
  return decodeCache(fs.readFileSync(path.join(root, DEFAULT_CACHE_FILE)), { code: codeVersion(), config: configDigest(readConfigFiles(root)) });
}

const replaceLine = (text: string, key: RegExp, line: string): string => text.replace(key, line);

describe("filing validate with its cache", () => {
  it("writes the cache on the first run, then parses only the file that changed", async () => {
    const { repo } = register();
    expect(await toParse(repo)).toHaveLength(filingPaths(repo).length);
    await bothWays(repo);
    expect(cacheState(repo).state).toBe("ok");
    expect(await toParse(repo)).toEqual([]);
    const file = path.join(repo, "filings/jwc/course-selection.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("cpu: 8", "cpu: 6"));
    expect(await toParse(repo)).toEqual(["filings/jwc/course-selection.yaml"]);
    await bothWays(repo);
    expect(await toParse(repo)).toEqual([]);
  });

  it("names the other files in the same order whichever of them the cache knows (three filings on one address)", async () => {
    const { repo } = register();
    const source = path.join(repo, "filings/jwc/exam-scheduling.yaml");
    for (const name of ["copy-a", "copy-b"]) fs.copyFileSync(source, path.join(repo, `filings/jwc/${name}.yaml`));
    await bothWays(repo);
    // Only the first of the three changes: the cache knows the other two.
    fs.writeFileSync(source, fs.readFileSync(source, "utf8").replace(/cpu: (\d+)/, (_m, n) => `cpu: ${Number(n) + 1}`));
    const report = JSON.parse((await bothWays(repo)).report) as { problems: { rule: string; file: string; message: string }[] };
    const unique = report.problems.filter((p) => p.rule === "ip-unique");
    expect(unique.map((p) => p.file)).toEqual(["filings/jwc/copy-a.yaml", "filings/jwc/copy-b.yaml", "filings/jwc/exam-scheduling.yaml"]);
    expect(unique[0]!.message).toContain("filings/jwc/copy-b.yaml、filings/jwc/exam-scheduling.yaml");
  });

  it("a file the schema refuses in one field but whose address another filing has: both said, alike with and without the cache", async () => {
    const { repo } = register();
    const source = fs.readFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), "utf8");
    const copy = path.join(repo, "filings/jwc/copy-a.yaml");
    fs.writeFileSync(copy, source.replace("id: jwc-exam-scheduling", "id: jwc-copy-a").replace(/cpu: \d+/, "cpu: 4核"));
    await bothWays(repo);
    const report = JSON.parse((await bothWays(repo)).report) as { problems: { rule: string; file: string }[] };
    expect(report.problems.filter((p) => p.file === "filings/jwc/copy-a.yaml").map((p) => p.rule).sort()).toEqual(["ip-unique", "schema-type"]);
    // Some of its facts are unknown, which the cache cannot hold: it is parsed again, and only it.
    expect(await toParse(repo)).toEqual(["filings/jwc/copy-a.yaml"]);
  });

  it("does not take git's word for a file git was told not to look at (assume-unchanged, skip-worktree)", async () => {
    const { repo, git } = register();
    await bothWays(repo);
    const edits = { "--assume-unchanged": "filings/jwc/course-selection.yaml", "--skip-worktree": "filings/jwc/exam-scheduling.yaml" };
    for (const [flag, rel] of Object.entries(edits)) {
      git("update-index", flag, rel);
      const file = path.join(repo, rel);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/cpu: \d+/, "cpu: 0"));
    }
    // git status calls both files clean and ls-files gives their committed ids; their bytes say otherwise.
    expect(await toParse(repo)).toEqual(Object.values(edits).sort());
    const report = JSON.parse((await bothWays(repo)).report) as { problems: { file: string; severity: string }[] };
    const errors = new Set(report.problems.filter((p) => p.severity === "error").map((p) => p.file));
    expect(errors).toEqual(new Set(Object.values(edits)));
  });

  it("knows files outside a git work tree too, by hashing their bytes", async () => {
    const { repo } = register();
    fs.rmSync(path.join(repo, ".git"), { recursive: true, force: true });
    await bothWays(repo);
    expect(await toParse(repo)).toEqual([]);
  });

  it("a changed config or other code makes every entry out of date", async () => {
    const { repo } = register();
    await bothWays(repo);
    const limits = path.join(repo, "policies/limits.yaml");
    fs.appendFileSync(limits, "\n# a comment changes the digest\n");
    expect(cacheState(repo).state).toBe("stale");
    expect(await toParse(repo)).toHaveLength(filingPaths(repo).length);
    await bothWays(repo);
    expect(cacheState(repo).state).toBe("ok");
    expect(decodeCache(fs.readFileSync(path.join(repo, DEFAULT_CACHE_FILE)), { code: "other code", config: configDigest(readConfigFiles(repo)) }).state).toBe("stale");
  });

  it("recomputes a damaged cache and rewrites it", async () => {
    const { repo } = register();
    const file = path.join(repo, DEFAULT_CACHE_FILE);
    await bothWays(repo);
    const good = fs.readFileSync(file, "utf8");
    const newline = good.indexOf("\n");
    const damages: Record<string, string> = {
      "cut short": good.slice(0, Math.floor(good.length / 2)),
      "not JSON": "{ this is not json",
      "empty": "",
      // A result flipped from error to warning, the digest left as it was.
      "altered": good.slice(0, newline + 1) + good.slice(newline + 1).replace('"problems":[]', '"problems":[{"file":"x","line":1,"column":1,"rule":"r","severity":"warning","message":{"zh":"","en":""}}]'),
    };
    for (const [what, text] of Object.entries(damages)) {
      fs.writeFileSync(file, text);
      expect(cacheState(repo).state, what).toBe("damaged");
      await bothWays(repo);
      expect(cacheState(repo).state, what).toBe("ok");
    }
  });

  it("a cache whose entries break the schema is not believed, even with a matching digest", async () => {
    const { repo } = register();
    const file = path.join(repo, DEFAULT_CACHE_FILE);
    await bothWays(repo);
    const good = fs.readFileSync(file, "utf8");
    const header = JSON.parse(good.slice(0, good.indexOf("\n")));
    const payload = JSON.parse(good.slice(good.indexOf("\n") + 1));
    // The first file's facts row; its seventh item is the CPU count.
    payload.files[0][2][6] = "many";
    const text = JSON.stringify(payload);
    header.sha1 = (await import("node:crypto")).createHash("sha1").update(text).digest("hex");
    fs.writeFileSync(file, `${JSON.stringify(header)}\n${text}`);
    expect(cacheState(repo).state).toBe("damaged");
    await bothWays(repo);
  });

  it("keeps the stacks' owners by the stack files' digest: a changed stack file is seen at once", async () => {
    const { repo } = register();
    fs.cpSync(path.join(REPO, "stacks"), path.join(repo, "stacks"), { recursive: true });
    const first = await bothWays(repo);
    expect(JSON.parse(first.report).problems.filter((p: { rule: string }) => p.rule === "stack-ownership")).toEqual([]);
    expect(cacheState(repo).content.stacks?.owners?.map((o) => o.name)).toEqual(["campus-proxmox", "campus-vsphere"]);
    // Without owns the Proxmox stack owns everything: the main campus is owned twice.
    const file = path.join(repo, "stacks/Pulumi.campus-proxmox.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("  server-filings:owns:\n    campuses: [east]\n", ""));
    const doubled = await bothWays(repo);
    expect(doubled.code).toBe(1);
    expect(JSON.parse(doubled.report).problems.some((p: { rule: string; file: string }) => p.rule === "stack-ownership" && p.file === "filings/jwc/course-selection.yaml")).toBe(true);
    // A broken stack file: its problem, from the cache too.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("server-filings:platform: proxmox", "server-filings:platform: xen"));
    const broken = await bothWays(repo);
    expect(JSON.parse(broken.report).problems.map((p: { file: string }) => p.file)).toContain("stacks/Pulumi.campus-proxmox.yaml");
    await bothWays(repo);
  });

  it("--no-cache neither reads nor writes it, and --cache-file puts it elsewhere", async () => {
    const { repo } = register();
    await validate(repo, "--no-cache");
    expect(fs.existsSync(path.join(repo, DEFAULT_CACHE_FILE))).toBe(false);
    const elsewhere = path.join(repo, "elsewhere.json");
    await validate(repo, "--cache-file", elsewhere);
    expect(fs.existsSync(elsewhere)).toBe(true);
    expect(fs.existsSync(path.join(repo, DEFAULT_CACHE_FILE))).toBe(false);
  });

  it("worker threads find what one thread finds, and fill the cache alike", async () => {
    const { repo } = register();
    const bad = path.join(repo, "filings/jwc/course-selection.yaml");
    fs.writeFileSync(bad, fs.readFileSync(bad, "utf8").replace("ports: [ 443/tcp ]", "ports: [ 443/tcp, 3128/tcp ]").replace("cpu: 8", "cpu: 999"));
    fs.copyFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), path.join(repo, "filings/jwc/copy.yaml"));
    const one = await validate(repo, "--no-cache", "--jobs", "1");
    const three = await validate(repo, "--jobs", "3");
    expect(three.code).toBe(1);
    expect(JSON.parse(three.report)).toEqual(JSON.parse(one.report));
    expect(cacheState(repo).state).toBe("ok");
    expect(await toParse(repo)).toEqual([]);
    expect(JSON.parse((await validate(repo)).report)).toEqual(JSON.parse(one.report));
  }, 60_000);

  it("several processes writing the cache at once all answer alike and leave a whole cache", async () => {
    const { repo } = register();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [path.join(REPO, "scripts/filing.js"), "validate", "--root", repo, "--format", "json", "--today", TODAY]);
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
          child.on("close", (code) => resolve({ code, out }));
        }),
      ),
    );
    const fresh = await validate(repo, "--no-cache");
    for (const r of runs) {
      expect(r.code).toBe(fresh.code);
      expect(JSON.parse(r.out)).toEqual(JSON.parse(fresh.report));
    }
    expect(cacheState(repo).state).toBe("ok");
    expect(fs.readdirSync(path.dirname(path.join(repo, DEFAULT_CACHE_FILE)))).toEqual(["validate.json"]);
  }, 60_000);
});

// Edits that make problems, across files too: the same address twice, a department over its
// quota, an ended period, a future date, broken YAML, files removed, copied, committed or staged.
type Edit =
  | { kind: "ip"; file: number; from: number }
  | { kind: "cpu"; file: number; cpu: number }
  | { kind: "start"; file: number; start: string }
  | { kind: "decommission"; file: number }
  | { kind: "online-in-future"; file: number }
  | { kind: "break"; file: number }
  | { kind: "remove"; file: number }
  | { kind: "copy"; file: number; name: string }
  | { kind: "commit" }
  | { kind: "stage" };

const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("ip" as const), file: fc.nat(), from: fc.nat() }),
  fc.record({ kind: fc.constant("cpu" as const), file: fc.nat(), cpu: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant("start" as const), file: fc.nat(), start: fc.constantFrom("2024-01-01", "2025-11-01", "2026-11-20", "2026-12-24") }),
  fc.record({ kind: fc.constant("decommission" as const), file: fc.nat() }),
  fc.record({ kind: fc.constant("online-in-future" as const), file: fc.nat() }),
  fc.record({ kind: fc.constant("break" as const), file: fc.nat() }),
  fc.record({ kind: fc.constant("remove" as const), file: fc.nat() }),
  fc.record({ kind: fc.constant("copy" as const), file: fc.nat(), name: fc.constantFrom("copy-a", "copy-b", "copy-c") }),
  fc.record({ kind: fc.constant("commit" as const) }),
  fc.record({ kind: fc.constant("stage" as const) }),
);

function apply(repo: string, git: (...args: string[]) => string, edit: Edit): void {
  const files = filingPaths(repo);
  if (edit.kind === "commit") {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", "edit");
    return;
  }
  if (edit.kind === "stage") {
    git("add", "-A");
    return;
  }
  if (files.length === 0) return;
  const rel = files[edit.file % files.length]!;
  const abs = path.join(repo, rel);
  const text = fs.readFileSync(abs, "utf8");
  switch (edit.kind) {
    case "ip": {
      const other = fs.readFileSync(path.join(repo, files[edit.from % files.length]!), "utf8");
      const ip = /^ {2}ip: (.+)$/m.exec(other)?.[1];
      if (ip) fs.writeFileSync(abs, replaceLine(text, /^ {2}ip: .+$/m, `  ip: ${ip}`));
      return;
    }
    case "cpu":
      fs.writeFileSync(abs, replaceLine(text, /^ {2}cpu: .+$/m, `  cpu: ${edit.cpu}`));
      return;
    case "start":
      fs.writeFileSync(abs, replaceLine(text, /^ {2}start: .+$/m, `  start: ${edit.start}`));
      return;
    case "decommission":
      fs.writeFileSync(abs, replaceLine(text, /^status: .+$/m, "status: decommissioned"));
      return;
    case "online-in-future":
      fs.writeFileSync(abs, `${text.trimEnd()}\nonlineSince: 2027-01-01\n`);
      return;
    case "break":
      fs.writeFileSync(abs, `${text}\n  : [unclosed\n`);
      return;
    case "remove":
      fs.rmSync(abs);
      return;
    case "copy":
      fs.writeFileSync(path.join(path.dirname(abs), `${edit.name}.yaml`), text);
      return;
  }
}

describe("cached and uncached validation never disagree", () => {
  it("on the sample register under random edits, the cache kept from step to step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edits, { minLength: 1, maxLength: 6 }), async (steps) => {
        const { repo, git } = register();
        try {
          await bothWays(repo);
          for (const step of steps) {
            apply(repo, git, step);
            await bothWays(repo);
            // The pull request's mode too: what changed since the first commit.
            await bothWays(repo, "--changed-since", "main");
          }
        } finally {
          fs.rmSync(repo, { recursive: true, force: true });
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
