/**
 * `npm run bench -- engine`: `filing preview` and `filing up` of generated registers on the simulated
 * vCenter under the real CLI and the vSphere plugin, as whole processes, with the pack on; the cost
 * per VM; and the floor, a preview of an empty register on the same stack. One simulator per size.
 * Pulumi's default parallelism. Skipped, with what is missing, when the
 * toolchain or the plugin is absent.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasVspherePlugin, pulumiHome, registerRoot, simulatorPackConfig, useSimulatorStack, startSimulator, toolchain, type Simulator } from "../scripts/simulator";
import { generateRegister } from "./generate-register";
import { printTable, REPO } from "./support";

/** Register sizes: about 23 and 200 VMs (the generator files every 25th server as physical). */
const SIZES = [24, 208] as const;
const STACK = "campus-vsphere";

async function timed(args: string[], root: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args, "--root", root], { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-3000)));
    child.on("close", (c) => {
      if (c !== 0) process.stderr.write(err);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`filing ${args.join(" ")} exited with ${code}`);
  return (performance.now() - t0) / 1000;
}

/** A register root on the simulator: `filings` and `policies` from `from` (or no filing at all). */
function rootFor(sim: Simulator, from: string | undefined): { root: string; env: NodeJS.ProcessEnv; args: string[] } {
  const root = registerRoot(fs.mkdtempSync(path.join(os.tmpdir(), "filings-bench-engine-")), { keep: () => from !== undefined });
  if (from) {
    for (const dir of ["filings", "policies"]) {
      fs.rmSync(path.join(root, dir), { recursive: true, force: true });
      fs.cpSync(path.join(from, dir), path.join(root, dir), { recursive: true });
    }
  }
  useSimulatorStack(root, STACK, sim.server);
  const config = path.join(root, "policy-config.json");
  fs.writeFileSync(config, simulatorPackConfig(sim));
  fs.mkdirSync(path.join(root, ".state"));
  const env = {
    ...process.env,
    PATH: `${toolchain({ build: false }).pulumiBin}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: pulumiHome(),
    PULUMI_BACKEND_URL: `file://${path.join(root, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    VSPHERE_PASSWORD: sim.password,
  };
  return { root, env, args: ["--stack", STACK, "--policy-pack-config", config] };
}

export async function printEngineBench(): Promise<void> {
  console.log("\nEngine: filing preview / up on the simulated vCenter (whole processes, pack on)");
  const tools = toolchain({ build: false });
  const missing = !tools.pulumiBin || !tools.vcsim ? "the toolchain (bash scripts/toolchain.sh)" : !hasVspherePlugin(tools.pulumiBin) ? "the vSphere plugin 4.17.0 (pulumi plugin install resource vsphere 4.17.0 on a connected machine)" : "";
  if (missing) {
    console.log(`skipped: ${missing} is missing`);
    return;
  }
  const rows: string[][] = [];
  const temps: string[] = [];
  try {
    {
      const sim = await startSimulator(tools.vcsim!);
      try {
        const floor = rootFor(sim, undefined);
        temps.push(floor.root);
        const s = await timed(["preview", ...floor.args], floor.root, floor.env);
        rows.push(["0 (floor)", s.toFixed(1), "—", "—", "—"]);
      } finally {
        await sim.stop();
      }
    }
    for (const count of SIZES) {
      const generated = fs.mkdtempSync(path.join(os.tmpdir(), `filings-bench-gen-${count}-`));
      temps.push(generated);
      generateRegister(count, generated);
      const sim = await startSimulator(tools.vcsim!);
      try {
        const w = rootFor(sim, generated);
        temps.push(w.root);
        const preview = await timed(["preview", ...w.args], w.root, w.env);
        const up = await timed(["up", ...w.args], w.root, w.env);
        const vms = sim.vms().length;
        const floor = Number(rows[0]![1]);
        rows.push([String(vms), preview.toFixed(1), up.toFixed(1), (((preview - floor) / vms) * 1000).toFixed(0), ((up / vms) * 1000).toFixed(0)]);
      } finally {
        await sim.stop();
      }
    }
  } finally {
    temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true }));
  }
  printTable(["VMs", "preview s", "up s", "preview ms/VM over floor", "up ms/VM"], rows);
}
