/**
 * What the engine E2E files share (engine.test.ts, engine-vcenter.test.ts, engine-changes.test.ts,
 * engine-two-stacks.test.ts, engine-failures.test.ts): the toolchain scripts/toolchain.sh built, a
 * register root per test outside the clone, and the `filing` command as a child process. Several
 * files, not one, so that vitest runs them side by side: most of their time is waiting on Pulumi and
 * the simulator.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readConfigFiles } from "../../lib/config/read";
import type { IsoDate } from "../../lib/filings/dates";
import { readFilingFiles } from "../../lib/filings/read";
import { planRegister, type ServerSpec } from "../../lib/plan/servers";
import { hasVspherePlugin, pulumiHome, registerRoot, toolchain } from "../../scripts/simulator";
import { postgresBin } from "../helpers/postgres";
import { finished } from "../helpers/process";
import { REPO } from "../helpers/register";

export const tools = toolchain({ build: false });
export const pg = postgresBin();
export const cli = tools.pulumiBin;
export const plugin = cli ? hasVspherePlugin(cli) : false;
export const NO_CLI = "the Pulumi CLI is not built: run bash scripts/toolchain.sh";
export const NO_SIMULATOR = !tools.vcsim
  ? "the simulated vCenter is not built: run bash scripts/toolchain.sh"
  : !cli
    ? NO_CLI
    : !plugin
      ? "no vSphere provider plugin 4.17.0 is installed: on a connected machine run pulumi plugin install resource vsphere 4.17.0 and copy ~/.pulumi/plugins here"
      : "";

export const temps: string[] = [];
/** Each file calls this in its afterAll: the roots and Pulumi homes its tests made. */
export function removeTemps(): void {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
}

export interface Workspace {
  readonly root: string;
  readonly env: Record<string, string>;
}

/** A register root outside the clone with a state store of its own and the user's Pulumi plugins. */
export function workspace(options: Parameters<typeof registerRoot>[1] = {}, home = pulumiHome()): Workspace {
  const root = registerRoot(fs.mkdtempSync(path.join(os.tmpdir(), "filings-engine-")), options);
  temps.push(root);
  fs.mkdirSync(path.join(root, ".state"));
  const env = {
    PATH: `${cli ?? "/nonexistent"}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: root,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${path.join(root, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e",
    // Nothing leaves this machine: no update check, no plugin download.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return { root, env };
}

/** The CLI as a child process (test/helpers/process.ts: the worker stays responsive during a long `up`). */
export const filing = (args: string[], w: Workspace) => finished(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args, "--root", w.root], { cwd: w.root, env: w.env });

/** A whole `up` of the sample register on the simulator takes about 35 s here. */
export const ENGINE_TIMEOUT = 480_000;

export const physicalOnly = (_file: string, text: string) => /^type: physical$/m.test(text);

/** The filed servers with a VM, as the register under `root` plans them on `day`. */
export function plannedVms(root: string, day: IsoDate): ServerSpec[] {
  const p = planRegister({ filings: readFilingFiles(root), config: readConfigFiles(root), today: day });
  if (!p.servers) throw new Error(`the register does not plan: ${JSON.stringify(p.problems)}`);
  return p.servers.filter((s) => s.vm);
}

/** A department's edit of one filing under `root`; an edit that matched nothing would pass as "nothing changed". */
export function editFiling(root: string, file: string, change: (text: string) => string): void {
  const at = path.join(root, file);
  const text = fs.readFileSync(at, "utf8");
  const changed = change(text);
  if (changed === text) throw new Error(`the edit changed nothing in ${file}`);
  fs.writeFileSync(at, changed);
}
