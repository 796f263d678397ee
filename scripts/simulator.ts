/**
 * The simulated vCenter (scripts/vcsim, built by scripts/toolchain.sh) and the parts around it that
 * the end-to-end tests, `npm run demo` and `npm run bench -- engine` share: finding the toolchain,
 * starting the simulator, a register root outside the clone with a stack file pointing at it, and
 * reading the VMs back from the simulator rather than from Pulumi's outputs.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { policies } from "../policies/policies";
import { VSPHERE_PROVIDER_VERSION } from "../stacks/vsphere/sdk";

export const REPO = path.resolve(__dirname, "..");

export interface Toolchain {
  /** The directory holding `pulumi`. */
  readonly pulumiBin?: string;
  /** The simulator's executable. */
  readonly vcsim?: string;
}

/**
 * scripts/toolchain.sh's answer: with `build`, it builds what is missing (progress on stderr,
 * inherited); without, it only reports what is ready for the current sources.
 */
export function toolchain(options: { build: boolean; stderr?: "inherit" | "ignore" }): Toolchain {
  const r = spawnSync("bash", [path.join(REPO, "scripts/toolchain.sh"), ...(options.build ? [] : ["--check"])], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", options.stderr ?? "ignore"],
  });
  const found = Object.fromEntries((r.stdout ?? "").split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  return { pulumiBin: found.PULUMI_BIN || undefined, vcsim: found.VCSIM || undefined };
}

/** The Pulumi home whose plugins a run uses: the user's own, as a real installation would. */
export function pulumiHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULUMI_HOME || path.join(env.HOME || os.homedir(), ".pulumi");
}

/** Whether the pinned vSphere provider plugin is installed (`pulumi plugin ls`), without fetching anything. */
export function hasVspherePlugin(pulumiBin: string, home = pulumiHome()): boolean {
  const r = spawnSync(path.join(pulumiBin, "pulumi"), ["plugin", "ls", "--json"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
  });
  if (r.status !== 0) return false;
  const plugins = JSON.parse(r.stdout || "[]") as { name: string; kind: string; version: string }[];
  return plugins.some((p) => p.name === "vsphere" && p.kind === "resource" && p.version === VSPHERE_PROVIDER_VERSION);
}

export const MISSING_PLUGIN = {
  zh: `缺少 vSphere 提供程序插件 ${VSPHERE_PROVIDER_VERSION}：在能联网的机器上运行 pulumi plugin install resource vsphere ${VSPHERE_PROVIDER_VERSION}，再把 ~/.pulumi/plugins 复制到本机。`,
  en: `The vSphere provider plugin ${VSPHERE_PROVIDER_VERSION} is not installed: on a connected machine run pulumi plugin install resource vsphere ${VSPHERE_PROVIDER_VERSION}, then copy ~/.pulumi/plugins to this machine.`,
};

/** One VM as the simulator holds it (scripts/vcsim/readback.go). */
export interface SimulatedVm {
  readonly name: string;
  readonly folder: string;
  readonly numCpus: number;
  readonly memoryMiB: number;
  readonly disksGiB: number[];
  readonly networks: string[];
  readonly ip: string;
  readonly gateway: string;
  readonly annotation: string;
  readonly customAttributes: Record<string, string>;
  readonly powerState: string;
}

export interface Simulator {
  /** host:port, as the provider's `vsphere:vsphereServer` takes it. */
  readonly server: string;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Port group name → id (dvportgroup-N), as the pack's zoneNetworks setting takes it. */
  readonly networks: Readonly<Record<string, string>>;
  /** Every VM in the filings folder, read through the vSphere API. */
  vms(): SimulatedVm[];
  /** Changes one VM's memory through the vSphere API, as an operator would by hand in vCenter. */
  setMemory(vm: string, mib: number): void;
  /** Powers one VM off through the vSphere API, as the information center does by hand on vSphere. */
  powerOff(vm: string): void;
  stop(): Promise<void>;
}

/** Starts `vcsim serve` on a free loopback port and waits for its address. */
export async function startSimulator(vcsim: string): Promise<Simulator> {
  // stdin stays open as a pipe: the simulator exits when it closes, so a crashed parent leaves nothing behind.
  const groups = [...Object.values(SIMULATED_PORT_GROUPS), ...Object.values(SIMULATED_QUARANTINE)].flatMap((g) => ["--port-group", g]);
  const child = spawn(vcsim, ["serve", "--listen", "127.0.0.1:0", ...groups], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => resolve(line));
    child.once("exit", (code) => reject(new Error(`vcsim exited with ${code} before it was ready: ${stderr.trim()}`)));
    child.once("error", reject);
  });
  const info = JSON.parse(first) as { url: string; server: string; user: string; password: string; networks: Record<string, string> };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const byHand = (args: string[]) => {
    const r = spawnSync(vcsim, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`vcsim ${args[0]}: ${r.stderr.trim()}`);
  };
  return {
    ...info,
    vms() {
      const r = spawnSync(vcsim, ["vms", "--url", info.url], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`vcsim vms: ${r.stderr.trim()}`);
      return JSON.parse(r.stdout) as SimulatedVm[];
    },
    setMemory(vm, mib) {
      byHand(["set-memory", "--url", info.url, "--vm", vm, "--mib", String(mib)]);
    },
    powerOff(vm) {
      byHand(["power-off", "--url", info.url, "--vm", vm]);
    },
    async stop() {
      child.stdin.end();
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The port group for each zone, as the simulator's inventory and the stack file below name them. */
export const SIMULATED_PORT_GROUPS = { internal: "campus-internal", external: "campus-dmz" } as const;
/** Each zone's quarantine port group on the simulator. */
export const SIMULATED_QUARANTINE = { internal: "filings-quarantine-internal", external: "filings-quarantine-external" } as const;

/**
 * The pack's settings for a stack on the simulator, as JSON per policy name (docs/policy.md): which
 * port group ids are which zone, so that `vm-network-as-filed` judges the VMs' networks.
 */
export function simulatorPackConfig(sim: Pick<Simulator, "networks">): string {
  const ids = (group: string) => [sim.networks[group]!];
  const zoneNetworks = { vsphere: { internal: ids(SIMULATED_PORT_GROUPS.internal), external: ids(SIMULATED_PORT_GROUPS.external), quarantine: [...ids(SIMULATED_QUARANTINE.internal), ...ids(SIMULATED_QUARANTINE.external)] } };
  return JSON.stringify(Object.fromEntries(policies.map((p) => [p.name, { zoneNetworks }])), null, 2);
}

/** A vSphere stack file for the simulator: the example stack's site, the simulator's address, TLS unverified (loopback only). */
/** What a simulated stack owns and whether it defines the VM attributes (simulatorStackFile). */
export type SimulatedStack = { readonly campuses?: readonly string[]; readonly customAttributes?: "manage" | "lookup" };

/**
 * Makes `root` a school whose stacks all run on the simulated vCenter: every other stack file goes
 * (the examples split the register by campus), and each named stack gets the simulator's file.
 */
export function useSimulatorStacks(root: string, server: string, stacks: Readonly<Record<string, SimulatedStack>>): void {
  const dir = path.join(root, "stacks");
  for (const f of fs.readdirSync(dir)) if (/^Pulumi\..+\.ya?ml$/.test(f)) fs.rmSync(path.join(dir, f));
  for (const [name, options] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), simulatorStackFile(server, options));
}

/** A school with one stack on the simulated vCenter, owning every filing. Returns the stack's name. */
export function useSimulatorStack(root: string, stack: string, server: string): string {
  useSimulatorStacks(root, server, { [stack]: {} });
  return stack;
}

export function simulatorStackFile(server: string, options: SimulatedStack = {}): string {
  return [
    "# Written at run time for the simulated vCenter (scripts/vcsim); the password comes from VSPHERE_PASSWORD.",
    "config:",
    ...(options.campuses ? ["  server-filings:owns:", `    campuses: [${options.campuses.join(", ")}]`] : []),
    ...(options.customAttributes ? [`  server-filings:customAttributes: ${options.customAttributes}`] : []),
    "  server-filings:platform: vsphere",
    "  server-filings:site:",
    "    datacenter: campus-dc",
    "    cluster: cluster-01",
    "    datastore: datastore-01",
    "    folder: filings",
    "    template: ubuntu-24.04-template",
    "    domain: example.edu.cn",
    "  server-filings:networks:",
    "    internal:",
    `      portGroup: ${SIMULATED_PORT_GROUPS.internal}`,
    "    external:",
    `      portGroup: ${SIMULATED_PORT_GROUPS.external}`,
    "  server-filings:quarantine:",
    "    internal:",
    `      portGroup: ${SIMULATED_QUARANTINE.internal}`,
    "    external:",
    `      portGroup: ${SIMULATED_QUARANTINE.external}`,
    `  vsphere:vsphereServer: "${server}"`,
    "  vsphere:user: user",
    '  vsphere:allowUnverifiedSsl: "true"',
    "",
  ].join("\n");
}

/**
 * A register root the engine can run from, outside the clone: the code and node_modules linked; the
 * register, the stack files and the pack copied (Pulumi writes the passphrase's salt into the stack
 * file it uses, and the pack judges the register beside it). `keep` filters the filings; `packFrom`
 * links the pack of another root instead.
 */
export function registerRoot(root: string, options: { keep?: (file: string, text: string) => boolean; packFrom?: string } = {}): string {
  fs.mkdirSync(root, { recursive: true });
  // scripts/ (and the lock file) for scripts/bundle.js, which picks the prebuilt program and pack;
  // the copies keep their files' times, so that those count as fresh exactly when they do in the
  // repository.
  for (const link of ["lib", "node_modules", "package.json", "package-lock.json", "tsconfig.json", "Pulumi.yaml", "scripts"]) {
    fs.rmSync(path.join(root, link), { recursive: true, force: true });
    fs.symlinkSync(path.join(REPO, link), path.join(root, link));
  }
  for (const dir of ["stacks", "policies", "filings"]) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
  fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true, preserveTimestamps: true });
  if (options.packFrom) fs.symlinkSync(path.join(options.packFrom, "policies"), path.join(root, "policies"));
  else fs.cpSync(path.join(REPO, "policies"), path.join(root, "policies"), { recursive: true, preserveTimestamps: true });
  fs.cpSync(path.join(REPO, "filings"), path.join(root, "filings"), { recursive: true, preserveTimestamps: true });
  const keep = options.keep;
  if (keep) {
    for (const dept of fs.readdirSync(path.join(root, "filings"), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of fs.readdirSync(path.join(root, "filings", dept.name))) {
        const file = path.join(root, "filings", dept.name, f);
        if (!keep(file, fs.readFileSync(file, "utf8"))) fs.rmSync(file);
      }
    }
  }
  return root;
}
