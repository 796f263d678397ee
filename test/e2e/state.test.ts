/**
 * State in PostgreSQL (Pulumi's DIY `postgres://` backend), the documented production store
 * (docs/operations.md), tested for real: Debian's PostgreSQL started here on 127.0.0.1, the CLI
 * built from the Go module proxy, and a program of dynamic resources of the test's own, so that it
 * runs wherever the CLI builds, with no platform plugin. Each resource writes a file on create and
 * removes it on delete, so what exists can be checked outside Pulumi's state.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolchain } from "../../scripts/simulator";
import { postgresBin, startPostgres, type Postgres } from "../helpers/postgres";
import { killLeftovers, started } from "../helpers/process";
import { REPO } from "../helpers/register";

const cli = toolchain({ build: false }).pulumiBin;
const pg = postgresBin();
const SKIP = !cli ? "the Pulumi CLI is not built: run bash scripts/toolchain.sh" : pg.missing ?? "";

// Plain JavaScript in its own process: a dynamic provider is serialized from its source text.
// Usage: node program.js <repo> <dir> <command> [arg]; commands: up [createMs], preview, export FILE,
// import FILE, cancel, refresh-pending.
const PROGRAM = `
const fs = require("fs");
const path = require("path");
const [REPO, DIR, command, arg] = process.argv.slice(2);
const pulumi = require(path.join(REPO, "node_modules/@pulumi/pulumi"));
const automation = require(path.join(REPO, "node_modules/@pulumi/pulumi/automation"));
const provider = {
  async create(inputs) {
    await new Promise((r) => setTimeout(r, inputs.createMs));
    fs.writeFileSync(inputs.file, inputs.name);
    return { id: inputs.file, outs: inputs };
  },
  async diff(_id, olds, news) { return { changes: olds.name !== news.name || olds.file !== news.file, replaces: ["file"] }; },
  async delete(id) { fs.rmSync(id, { force: true }); },
};
const program = async () => {
  for (const name of ["alpha", "beta", "gamma"]) {
    new pulumi.dynamic.Resource(provider, name, { name, file: path.join(DIR, "made", name), createMs: Number(process.env.CREATE_MS || 0) });
  }
};
(async () => {
  const stack = await automation.LocalWorkspace.createOrSelectStack({ stackName: "state", projectName: "filings-state", program }, { workDir: path.join(DIR, "work") });
  const out = (o) => process.stderr.write(o);
  if (command === "up") await stack.up({ onOutput: out });
  else if (command === "preview") process.stdout.write(JSON.stringify((await stack.preview({ onOutput: out })).changeSummary));
  else if (command === "export") fs.writeFileSync(arg, JSON.stringify(await stack.exportStack()));
  else if (command === "import") await stack.importStack(JSON.parse(fs.readFileSync(arg, "utf8")));
  else if (command === "cancel") await stack.cancel();
  else if (command === "refresh-pending") await stack.refresh({ onOutput: out, clearPendingCreates: true });
  else throw new Error("unknown command " + command);
})().catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });
`;

describe.skipIf(SKIP !== "")(`state in PostgreSQL${SKIP ? ` — skipped: ${SKIP}` : ""}`, { timeout: 300_000 }, () => {
  let postgres: Postgres;
  let dir: string;

  beforeAll(async () => {
    postgres = await startPostgres(pg.bin!);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-state-"));
    fs.mkdirSync(path.join(dir, "made"));
    fs.mkdirSync(path.join(dir, "work"));
    fs.writeFileSync(path.join(dir, "program.js"), PROGRAM);
    postgres.createDatabase("pulumi");
  }, 120_000);
  afterAll(() => {
    if (dir) killLeftovers(`HOME=${dir}`);
    postgres?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(command: string, options: { backend?: string; arg?: string; createMs?: number } = {}) {
    const env = {
      PATH: [path.join(REPO, "scripts/bin"), cli!, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
      HOME: dir,
      PULUMI_HOME: path.join(dir, ".pulumi"),
      PULUMI_BACKEND_URL: options.backend ?? postgres.url("pulumi"),
      PULUMI_CONFIG_PASSPHRASE: "state",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      CREATE_MS: String(options.createMs ?? 0),
    };
    // Its own process group, so that the kill test can stop the program, the CLI and its plugins at once.
    return started(process.execPath, [path.join(dir, "program.js"), REPO, dir, command, ...(options.arg ? [options.arg] : [])], { env, detached: true });
  }
  const run = (command: string, options?: Parameters<typeof start>[1]) => start(command, options).done;
  const made = () => fs.readdirSync(path.join(dir, "made")).sort();
  const emptyPreview = async (backend?: string) => {
    const r = await run("preview", { backend });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(summary).filter((op) => op !== "same" && summary[op]! > 0)).toEqual([]);
  };

  it("up keeps the stack's state in PostgreSQL; the next preview is empty", async () => {
    const up = await run("up");
    expect(up.code, up.stderr).toBe(0);
    expect(made()).toEqual(["alpha", "beta", "gamma"]);
    // The stack's checkpoint is a row of Pulumi's table in this database, not a file somewhere.
    expect(Number(postgres.query("pulumi", "SELECT count(*) FROM pulumi_state WHERE key LIKE '%filings-state/state%'"))).toBeGreaterThan(0);
    await emptyPreview();
  });

  /** The stack's state emptied (and the resources' files removed), so the next up has all three to create. */
  const reset = async () => {
    const file = path.join(dir, "reset.json");
    expect((await run("export", { arg: file })).code).toBe(0);
    const state = JSON.parse(fs.readFileSync(file, "utf8"));
    state.deployment.resources = [];
    delete state.deployment.pending_operations;
    fs.writeFileSync(file, JSON.stringify(state));
    expect((await run("import", { arg: file })).code).toBe(0);
    fs.rmSync(path.join(dir, "made"), { recursive: true });
    fs.mkdirSync(path.join(dir, "made"));
  };

  /**
   * Until the stack's lock is in the database: an up has begun. A fixed wait was not enough when the
   * suite ran its E2E files side by side: the second up could take the lock first.
   */
  const lockTaken = async () => {
    const locks = () => Number(postgres.query("pulumi", "SELECT count(*) FROM pulumi_state WHERE key LIKE '%/locks/%filings-state/state/%'"));
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      if (locks() > 0) return;
    }
    throw new Error("the first up took no lock within 120 s");
  };

  it("two ups of the same stack at once: one runs, the other is refused with the lock message, and the state is intact", async () => {
    await reset();
    // Long enough for the second up to start on a loaded machine while the first holds the lock.
    const first = start("up", { createMs: 15_000 });
    await lockTaken();
    const second = await run("up");
    const one = await first.done;
    expect(one.code, one.stderr).toBe(0);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/locked/);
    expect(made()).toEqual(["alpha", "beta", "gamma"]);
    const state = path.join(dir, "after.json");
    expect((await run("export", { arg: state })).code).toBe(0);
    const types = (JSON.parse(fs.readFileSync(state, "utf8")).deployment.resources as { type: string }[]).map((r) => r.type);
    expect(types.filter((t) => t === "pulumi-nodejs:dynamic:Resource")).toHaveLength(3);
    await emptyPreview();
  });

  it("an up killed halfway leaves a lock; cancel, then refresh --clear-pending-creates, then up recovers, as docs/operations.md says", async () => {
    await reset();
    const killed = start("up", { createMs: 20_000 });
    await lockTaken();
    // Into the creates (each takes 20 s), so that the kill leaves them pending.
    await new Promise((r) => setTimeout(r, 3000));
    // The whole process group: the program, the CLI and its plugins, as a runner that dies takes them.
    process.kill(-killed.child.pid!, "SIGKILL");
    await killed.done;
    // The dynamic provider runs in a group of its own and outlives the CLI: stop it as a runner's end would.
    killLeftovers(`HOME=${dir}`);

    const blocked = await run("up");
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(/locked/);
    expect((await run("cancel")).code).toBe(0);
    const refreshed = await run("refresh-pending");
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const up = await run("up");
    expect(up.code, up.stderr).toBe(0);
    expect(made()).toEqual(["alpha", "beta", "gamma"]);
    await emptyPreview();
  });

  it("an exported state restored into a fresh backend gives an empty preview", async () => {
    const backup = path.join(dir, "backup.json");
    expect((await run("export", { arg: backup })).code).toBe(0);
    postgres.createDatabase("restored");
    const fresh = postgres.url("restored");
    const restored = await run("import", { backend: fresh, arg: backup });
    expect(restored.code, restored.stderr).toBe(0);
    await emptyPreview(fresh);
  });
});
