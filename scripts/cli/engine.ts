import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { ConfigurationError, type FilingToolError } from "../../lib/errors";
import { msg, text, type Lang, type Message } from "../../lib/messages";
import { missingConnection, missingPassphrase, PROJECT, type Platform } from "../../lib/stack-files/config";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption, todayOption, type OpenedRegister } from "./options";
import { failedFilings, policyRefusals, previewDigest, refreshedPower, type EngineEventLike, type FailedFiling } from "../../lib/preview/digest";
import { typeAndName } from "../../lib/preview/gate";
import { FILING_COMPONENT, filingUrns, VM_TYPES, vmPlatform, vmUrn } from "../../lib/compliance/tokens";
import { mustBeOff, planRegister, type ServerState } from "../../lib/plan/servers";
import type { Deployment } from "../../stacks/platforms/types";
import type { DriftPreview } from "../../lib/operations/drift";
// Types only: the SDK itself is loaded when a command runs the engine.
import type { Stack, UpOptions, UpResult } from "@pulumi/pulumi/automation/index.js";
import { programInputs } from "./program-inputs";
import { cancelledLine, holdInterrupts, interruptedExit, tolerateCancelledProgram } from "./interrupt";

interface EngineOptions {
  root: string;
  stack: string;
  policyPack: boolean;
  json?: boolean;
  parallel?: number;
  policyPackConfig?: string;
  outputs?: string;
  lang: string;
  today?: string;
}

/** The launcher that serves the pack to a CLI without a Node.js language host (policies/). */
export const PACK_LAUNCHER = "policies/pulumi-analyzer-policy-filings";

/**
 * The state store: PULUMI_BACKEND_URL, else the embedded default, a file backend under the user's
 * cache (never inside the clone). Not on GitHub Actions: there the cache goes with the runner, and
 * an empty PULUMI_BACKEND_URL (a secret the `production` environment lacks) would have started every
 * deployment from an empty state, creating every VM again beside the ones that exist.
 */
export function stateBackend(env: Readonly<Record<string, string | undefined>>): string {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  if (env.GITHUB_ACTIONS === "true") {
    throw new ConfigurationError(msg(
      "PULUMI_BACKEND_URL 为空：在 GitHub Actions 上，默认的文件状态存储会随运行器一起消失，下一次部署会从空状态开始，把已有的虚拟机再建一遍。请在 production 环境中设置 PULUMI_BACKEND_URL（如 postgres://…，见 docs/operations.md）。",
      "PULUMI_BACKEND_URL is empty: on GitHub Actions the default file state store goes with the runner, and the next deployment would start from an empty state and create the existing VMs again. Set PULUMI_BACKEND_URL in the production environment (postgres://…, docs/operations.md).",
    ));
  }
  return `file://${path.join(env.HOME || os.homedir(), ".cache/server-filings/state")}`;
}

/**
 * `filing preview` and `filing up`: the same defineProgram the Pulumi entry runs, as an inline
 * program of Pulumi's Automation API, with the policy pack. Exit 0 done, 1 refused by a policy or a
 * failed resource, 2 usage or environment (no CLI, no plugin: which, and how to get it), 130 / 143
 * cancelled by Ctrl+C / SIGTERM (scripts/cli/interrupt.ts).
 */
export function engineCommand(kind: "preview" | "up", io: CliIo, setExit: (code: number) => void): Command {
  const command = new Command(kind);
  if (kind === "up") command.option("--outputs <file>", "write what deployed (the `servers` rows) and what did not, as JSON, for filing deployed / 写出部署结果（含未部署的备案）");
  return command
    .description(kind === "preview" ? "pulumi preview of a stack with the policy pack / 预览将要执行的变更" : "pulumi up of a stack with the policy pack / 按备案创建和更新虚拟机")
    .requiredOption("--stack <name>", "stack (stacks/Pulumi.<name>.yaml) / 堆栈")
    .addOption(rootOption())
    .option("--no-policy-pack", "run without the policy pack (never in the workflows) / 不加载策略包")
    .option("--policy-pack-config <file>", "the pack's settings, JSON per policy name (docs/policy.md) / 策略包配置")
    .option("--json", "print the steps and diagnostics as pulumi preview --json does, for filing preview-gate / 以 JSON 输出步骤")
    .addOption(new Option("--parallel <n>", "resource operations at once (default: Pulumi's) / 并发数").argParser(positiveInt))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: EngineOptions) => {
      const lang = asLang(options.lang);
      const opened = await openEngineStack(io, lang, options);
      if ("exit" in opened) {
        setExit(opened.exit);
        return;
      }
      const { workspace, register, stopped } = opened;
      const policyPacks = options.policyPack ? [path.join(register.root, PACK_LAUNCHER)] : [];
      // The pack judges the same day as the program: --today goes into every policy's settings.
      const packConfig = options.policyPack ? await packConfigFile(options.policyPackConfig, options.today) : undefined;
      const policyPackConfigs = packConfig ? [packConfig.file] : undefined;
      const events: EngineEventLike[] = [];
      const onEvent = (event: EngineEventLike): void => {
        // A preview keeps its delete steps: the VMs among them get their power read (powerOfDeleted).
        // An update keeps what failed: the filings it went on past are named at the end (failedFilings).
        const failure = event.resOpFailedEvent !== undefined || event.policyEvent !== undefined || event.diagnosticEvent?.severity === "error";
        if (options.json || (kind === "preview" && event.resourcePreEvent?.metadata?.op === "delete") || (kind === "up" && failure)) events.push(event);
      };
      let platformPower: Map<string, string> | undefined;
      /** Filings a policy refused, left out of a later round of the update (upAllThatCan). */
      const refused: FailedFiling[] = [];
      const upRun = { policyStopped: false };
      // Progress per resource and the CLI's own errors on stderr as they come; stdout holds the summary
      // line or, with --json, the digest.
      const onOutput = (out: string): void => io.stderr(out);
      const onError = (out: string): void => io.stderr(out);
      let changes: Record<string, number> = {};
      const interrupts = holdInterrupts(io, lang);
      const tolerating = tolerateCancelledProgram(interrupts);
      try {
        const run = { policyPacks, onEvent, onOutput, color: "never", parallel: options.parallel, policyPackConfigs, onError, signal: interrupts.signal } as const;
        if (kind === "preview") {
          // The program sees the stack as the deploy will: the same read, written nowhere.
          await readDeployment(opened, { stack: options.stack, io, lang, signal: interrupts.signal, write: false });
          const r = await workspace.preview(run);
          changes = r.changeSummary as Record<string, number>;
          platformPower = await powerOfDeleted(workspace, events, io, lang, interrupts.signal);
        } else {
          const known = await readDeployment(opened, { stack: options.stack, io, lang, signal: interrupts.signal, write: true });
          refused.push(...known.running);
          const r = await upAllThatCan(workspace, run, { stack: options.stack, platform: opened.platform, deployment: known.deployment, use: opened.useDeployment, events, refused, io, lang, outcome: upRun });
          changes = (r.summary.resourceChanges ?? {}) as Record<string, number>;
          if (options.outputs) writeOutputs(options.outputs, withoutFilings((r.outputs.servers?.value ?? {}) as Record<string, unknown>, refused), refused);
        }
        if (!options.json) io.stdout(summary(kind, changes, lang));
        if (refused.length > 0) {
          setExit(partialDeploy(refused, io, lang)!);
          return;
        }
        // A SIGINT sent to `filing` alone never reached the CLI, which then finished: say so, rather than leave "cancelling" standing.
        if (interrupts.received()) io.stderr(`${text(msg("中断没有生效：运行已经完成。", "The interrupt did not take effect: the run finished."), lang)}\n`);
        setExit(0);
      } catch (e) {
        const interrupted = interrupts.received();
        const stop = programStop(stopped(), io, lang);
        if (interrupted) {
          // The engine's failure is then the cancelling itself: the cancelled line says what happened.
          io.stderr(cancelledLine(interrupted, lang));
          setExit(interruptedExit(interrupted));
        } else {
          // Filings left behind by an update that went on (continue-on-error, or a round without the refused ones).
          // Not when a policy stopped the last round: then nothing of it deployed, and the pack's violations say why.
          const behind = kind === "up" && !upRun.policyStopped ? said([...refused, ...failedFilings(events)], lang) : [];
          // What did deploy, for the merge comment: the stack outputs of a failed run are the last
          // good run's. After a run the pack stopped too: what completed before the stop took effect.
          // Pulumi judges the stack policies only after an update without a resource error: after one
          // that went on past a failed VM, a preview (which changes nothing) judges them instead.
          const broken = kind === "up" && behind.length > 0 && stop === undefined ? await stackViolations(workspace, { policyPacks, policyPackConfigs, signal: interrupts.signal }) : [];
          if (broken.length > 0) {
            const list = broken.map((b) => `  ✗ ${b}`).join("\n");
            io.stderr(`${text(msg(
              `另外，策略包对整个堆栈的检查没有通过（有备案部署失败时，Pulumi 不在部署中做这项检查，因此另行检查）：\n${list}`,
              `Also, the policy pack's checks of the whole stack do not pass (Pulumi skips them in an update where a filing failed, so they were run separately):\n${list}`,
            ), lang)}\n`);
          }
          if (kind === "up" && options.outputs && stop === undefined) {
            if (behind.length > 0) writeOutputs(options.outputs, withoutFilings(await rowsInState(workspace), behind), behind, broken.length > 0 ? text(STOPPED.policy, lang) : undefined);
            else if (upRun.policyStopped) {
              const stoppedFor = said([...refused, ...policyRefusals(events).filings], lang);
              writeOutputs(options.outputs, withoutFilings(await rowsInState(workspace), stoppedFor), stoppedFor, text(STOPPED.policy, lang));
            }
          }
          setExit(stop ?? engineFailure(e, io, lang, behind, kind));
        }
      } finally {
        interrupts.release();
        tolerating();
        // Also after a failure: the gate reads the errors from it and fails with the first one.
        // With the changed steps' old and new inputs, as pulumi preview --json prints them: the gate judges updates too.
        if (options.json) io.stdout(`${JSON.stringify(previewDigest(events, changes, { states: true, platformPower }), null, 2)}\n`);
        packConfig?.remove();
      }
    });
}

/** Rounds of an update, each without the filings a policy refused in the one before. */
const UP_ROUNDS = 5;

/**
 * `filing up`'s update: with continue-on-error, so that a VM the platform refuses does not hold back
 * the other filings' changes; and when a mandatory policy refused filings (which stops the whole
 * update), again without those filings (Pulumi's `exclude`), so that one filing
 * the pack refuses at deploy time does not block every department either. The refused filings go
 * into `refused` for the report (partialDeploy); a refusal of the whole stack is not retried.
 */
async function upAllThatCan(
  workspace: Stack,
  run: UpOptions,
  c: {
    stack: string;
    platform: Platform;
    deployment: Deployment;
    use: (d: Deployment) => void;
    events: EngineEventLike[];
    refused: FailedFiling[];
    io: CliIo;
    lang: Lang;
    outcome: { policyStopped: boolean };
  },
): Promise<UpResult> {
  for (let round = 1; ; round++) {
    const from = c.events.length;
    // A filing the stack holds is left alone (exclude); one it never deployed is not registered at all
    // (skip): an excluded resource the program registers is still judged by the pack, on no inputs.
    const left = c.refused.map((f) => f.id);
    const exclude = left.filter((id) => c.deployment.deployed.has(id)).flatMap((id) => filingUrns(c.stack, PROJECT, c.platform, id));
    c.use({ ...c.deployment, skip: new Set(left.filter((id) => !c.deployment.deployed.has(id))) });
    try {
      return await workspace.up({ ...run, continueOnError: true, ...(exclude.length > 0 ? { exclude, excludeDependents: true } : {}) });
    } catch (e) {
      const now = policyRefusals(c.events.slice(from));
      const fresh = now.filings.filter((f) => !c.refused.some((r) => r.id === f.id));
      c.outcome.policyStopped = now.whole || now.filings.length > 0;
      if (now.whole || fresh.length === 0 || round === UP_ROUNDS || (run.signal as AbortSignal | undefined)?.aborted) throw e;
      c.refused.push(...fresh);
      c.io.stderr(`${text(msg(
        `策略包拒绝了 ${fresh.map((f) => f.id).join("、")}，这次运行因此中止。不部署${fresh.length > 1 ? "这些" : "这份"}备案，重新部署其余备案……`,
        `The policy pack refused ${fresh.map((f) => f.id).join(", ")}, which stopped this run. Deploying the other filings again without ${fresh.length > 1 ? "them" : "it"}…`,
      ), c.lang)}\n`);
    }
  }
}

/**
 * The VMs a preview deletes, and their power as the platform reports it now: a refresh of those VMs
 * alone that writes nothing (`previewRefresh`), so that the gate lets a removal through only when
 * the VM is off (lib/preview/gate.ts), never on the power the last deploy recorded. A VM still
 * running is said at once; a refresh that fails leaves the power unread, which the gate refuses.
 */
async function powerOfDeleted(workspace: Stack, events: readonly EngineEventLike[], io: CliIo, lang: Lang, signal: AbortSignal): Promise<Map<string, string> | undefined> {
  const urns = [...new Set(events.flatMap((e) => {
    const m = e.resourcePreEvent?.metadata;
    return m?.op === "delete" && typeof m.urn === "string" && typeof m.type === "string" && vmPlatform(m.type) ? [m.urn] : [];
  }))];
  if (urns.length === 0) return undefined;
  const refresh: EngineEventLike[] = [];
  try {
    await workspace.previewRefresh({ target: urns, color: "never", signal, onEvent: (e: EngineEventLike) => void refresh.push(e), onError: (out: string) => io.stderr(out) });
  } catch (e) {
    io.stderr(`${text(msg(`没有读到将删除的虚拟机的电源状态：${(e as Error).message.split("\n")[0]}`, `The power of the VMs to be deleted could not be read: ${(e as Error).message.split("\n")[0]}`), lang)}\n`);
    return new Map();
  }
  const power = refreshedPower(refresh);
  for (const urn of urns) {
    const now = power.get(urn) ?? "unknown";
    if (now === "off" || now === "gone") continue;
    const { name } = typeAndName(urn);
    io.stderr(`${text(msg(`注意：虚拟机 ${name} 将被删除，但平台报告它${now === "unknown" ? "的电源状态无法读取" : `仍在运行（${now}）`}；删除前须先关机。`, `Note: VM ${name} would be deleted, but the platform reports it ${now === "unknown" ? "with a power state that cannot be read" : `still running (${now})`}; it must be off first.`), lang)}\n`);
  }
  return power;
}

/**
 * Before `filing up`: what the stack holds (its last outputs) and, read from the platform, the power
 * of each VM that must be off — by the last deploy's state or by the register now (lib/plan/servers.ts
 * `mustBeOff`: a decommissioned vSphere VM is powered off by hand) — and of each VM the register no
 * longer files (its deletion). Only those VMs are refreshed: a refresh of every VM would undo hand
 * changes on any department's merge (docs/provisioning.md, "No refresh in the deploy"). A VM this run
 * would delete that is not off is left out of it (`running`), never deleted running.
 */
async function readDeployment(
  opened: OpenedStack,
  options: { stack: string; io: CliIo; lang: Lang; signal: AbortSignal; write: boolean },
): Promise<{ deployment: Deployment; running: FailedFiling[] }> {
  const { workspace, platform } = opened;
  const c = { ...options, platform, filed: opened.filed(), mustBeOff: new Set(opened.mustBeOff()) };
  const last = ((await workspace.outputs()).servers?.value ?? {}) as Record<string, { state?: unknown }>;
  // The VMs the state holds, not the last outputs: a run that failed after creating a VM left it in
  // the state but wrote no outputs, and a VM the program stops registering is deleted.
  const resources = ((await workspace.exportStack()).deployment as { resources?: { type?: unknown; urn?: unknown; protect?: unknown }[] }).resources ?? [];
  const vms = resources.filter((r) => r.type === VM_TYPES[c.platform] && typeof r.urn === "string");
  const deployed = new Set(vms.map((r) => typeAndName(r.urn as string).name));
  const unprotected = new Set(vms.filter((r) => r.protect !== true).map((r) => typeAndName(r.urn as string).name));
  const ids = [...deployed].filter((id) => {
    const state = last[id]?.state;
    return c.mustBeOff.has(id) || !c.filed.has(id) || (typeof state === "string" && mustBeOff(c.platform, state as ServerState));
  });
  const power = new Map<string, string>();
  if (ids.length > 0) {
    c.io.stderr(`${text(msg(`从平台读取 ${ids.length} 台虚拟机的电源状态（应关机或将删除）：${ids.join("、")}`, `Reading from the platform the power of ${ids.length} VMs (to be off, or to be deleted): ${ids.join(", ")}`), c.lang)}\n`);
    const events: EngineEventLike[] = [];
    // `filing up` records what it read (the stack's power output says it); a preview or drift writes nothing.
    const read = { target: ids.map((id) => vmUrn(c.stack, PROJECT, c.platform, id)), color: "never", signal: c.signal, onEvent: (e: EngineEventLike) => void events.push(e), onError: (out: string) => c.io.stderr(out) } as const;
    await (c.write ? workspace.refresh(read) : workspace.previewRefresh(read));
    for (const [urn, p] of refreshedPower(events)) power.set(typeAndName(urn).name, p);
  }
  const off = new Set(ids.filter((id) => power.get(id) === "off"));
  // A decommissioned filing's VM (unprotected) whose file is gone. An active one is protected: the
  // engine refuses its deletion with the way out (decommission first), which says more than its power.
  const running = ids
    .filter((id) => !c.filed.has(id) && unprotected.has(id) && power.get(id) !== "off" && power.get(id) !== "gone")
    .map((id) => ({
      id,
      reason: text(msg(
        `将删除，但平台报告它仍在运行（${power.get(id) ?? "unknown"}），本次没有删除。请先关机（vSphere 在 vCenter 中手动关机），再重新部署。`,
        `to be deleted, but the platform reports it still running (${power.get(id) ?? "unknown"}), so it was not deleted. Power it off (on vSphere, by hand in vCenter), then deploy again.`,
      ), c.lang),
    }));
  // The program is told before it runs (preview, up, drift alike).
  const deployment = { deployed, off };
  opened.useDeployment(deployment);
  return { deployment, running };
}

/**
 * The Automation API stack `stack` of the register at `root`, with defineProgram inline: what `filing
 * preview`, `filing up` and `filing drift` run. The register and the stack file are checked first;
 * when they are not valid, their problems are printed and the exit code is returned instead.
 */
/** An engine stack opened by openEngineStack. */
type OpenedStack = Exclude<Awaited<ReturnType<typeof openEngineStack>>, { exit: number }>;

export async function openEngineStack(
  io: CliIo,
  lang: Lang,
  options: { root: string; stack: string; today?: string },
  { create = true }: { create?: boolean } = {},
): Promise<
  | { exit: number }
  | {
      workspace: Stack;
      register: OpenedRegister;
      platform: Platform;
      stopped: () => FilingToolError | undefined;
      mustBeOff: () => string[];
      /** The filings in use with a VM: the platform must report them running. */
      mustBeOn: () => string[];
      /** The filing ids of the register (its plan). */
      filed: () => Set<string>;
      /** What the program is told of the stack (filing up, readDeployment). */
      useDeployment: (d: Deployment) => void;
    }
> {
  const register = openRegister(io, options);
  const prepared = programInputs(io, lang, register, [options.stack]);
  if ("exit" in prepared) return { exit: prepared.exit };
  const { input } = prepared;
  const stack = prepared.stacks[0]!;
  // Checked before the engine starts: it would take an empty passphrase as one, and its own message
  // for a missing platform setting comes late and advises the stack file.
  const missing = missingPassphrase(stack.input, io.env) ?? missingConnection(stack.input.file, stack.config.platform, stack.input.values, io.env);
  if (missing) throw new ConfigurationError(missing);
  const backend = stateBackend(io.env);
  const automation = await import("@pulumi/pulumi/automation/index.js");
  const { defineProgram, ProgramStopped } = await import("../../stacks/program.js");
  const pulumiCommand = await automation.PulumiCommand.get({ skipVersionCheck: true }).catch(() => {
    throw new ConfigurationError(msg(
      "PATH 中找不到 Pulumi CLI（pulumi）。请运行 bash scripts/toolchain.sh（从 Go 模块代理构建），并把它输出的 PULUMI_BIN= 目录加入 PATH。",
      "The Pulumi CLI (pulumi) is not on PATH. Run bash scripts/toolchain.sh (it builds the CLI from the Go module proxy) and put the directory of its PULUMI_BIN= line on PATH.",
    ));
  });
  if (backend.startsWith("file://")) fs.mkdirSync(backend.slice("file://".length), { recursive: true });
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: backend,
    // Only when given (missingPassphrase): an empty one is a passphrase to Pulumi. PULUMI_CONFIG_PASSPHRASE_FILE passes through the environment.
    ...(io.env.PULUMI_CONFIG_PASSPHRASE ? { PULUMI_CONFIG_PASSPHRASE: io.env.PULUMI_CONFIG_PASSPHRASE } : {}),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // The pack's violations in the user's language (policies/observe.ts), as the program's warnings.
    FILINGS_LANG: lang,
    // Plugins are installed on purpose (docs/provisioning.md), never fetched in the middle of a run.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  // The program runs in this process: a refusal of its own is kept, typed, for the run's last line.
  let stopped: FilingToolError | undefined;
  let deployment: Deployment | undefined;
  const program = async () => {
    try {
      // The stack outputs are those of the Pulumi entry (stacks/main.ts): `servers`, per filing id.
      return { servers: await defineProgram({ register: input, stack: stack.input, lang, deployment }) };
    } catch (e) {
      if (e instanceof ProgramStopped) stopped = e.error;
      throw e;
    }
  };
  const workspace = await automation.LocalWorkspace[create ? "createOrSelectStack" : "selectStack"](
    { stackName: options.stack, projectName: PROJECT, program },
    { workDir: register.root, envVars, pulumiCommand },
  );
  // The filings whose VM the platform must report off, as the program plans them (for `filing drift`).
  let plan: ReturnType<typeof planRegister>["servers"];
  const planned = () => (plan ??= planRegister(input).servers ?? []);
  const offIds = () => planned().filter((s) => s.vm && mustBeOff(stack.config.platform, s.state)).map((s) => s.id);
  return {
    workspace,
    register,
    platform: stack.config.platform,
    stopped: () => stopped,
    mustBeOff: offIds,
    mustBeOn: () => planned().filter((s) => s.vm && s.state === "running").map((s) => s.id),
    filed: () => new Set(planned().map((s) => s.id)),
    useDeployment: (d) => {
      deployment = d;
    },
  };
}

/**
 * `filing drift`'s look at the platform: a preview of the stack with refresh and `expectNoChanges`,
 * through the same inline program as `filing preview`, without the pack (drift is the platform
 * against the filings, not a policy question). Progress goes to stderr. A stack the state store does
 * not hold is a failed check, never created here: everything in it would read as drift.
 */
export async function refreshPreview(io: CliIo, lang: Lang, options: { root: string; stack: string }): Promise<{ exit: number } | DriftPreview> {
  const opened = await openEngineStack(io, lang, options, { create: false }).catch((e: unknown) => {
    if (!/no stack named/i.test(String(e instanceof Error ? e.message : e))) throw e;
    throw new ConfigurationError(msg(
      `漂移检查没有完成（不是漂移）：状态存储中没有堆栈 ${options.stack}。它还没有部署过，或 PULUMI_BACKEND_URL 指向了别的状态存储。`,
      `The drift check did not run (this is not drift): the state store holds no stack ${options.stack}. It was never deployed, or PULUMI_BACKEND_URL points at another state store.`,
    ));
  });
  if ("exit" in opened) return opened;
  const events: EngineEventLike[] = [];
  const collect = { onEvent: (event: EngineEventLike): void => void events.push(event), onOutput: (out: string): void => io.stderr(out), onError: (out: string): void => io.stderr(out) };
  let failure: string | undefined;
  let stopped: Message | undefined;
  const interrupts = holdInterrupts(io, lang);
  const tolerating = tolerateCancelledProgram(interrupts);
  try {
    await readDeployment(opened, { stack: options.stack, io, lang, signal: interrupts.signal, write: false });
    await opened.workspace.preview({ refresh: true, expectNoChanges: true, color: "never", signal: interrupts.signal, ...collect });
  } catch (e) {
    const interrupted = interrupts.received();
    if (interrupted) {
      io.stderr(cancelledLine(interrupted, lang));
      return { exit: interruptedExit(interrupted) };
    }
    stopped = opened.stopped()?.userMessage;
    const message = e instanceof Error ? e.message : String(e);
    failure = stopped ? text(stopped, lang) : /^code: /.test(message) ? exitLine(message) : message.split("\n")[0]!;
  } finally {
    interrupts.release();
    tolerating();
  }
  // What the engine reported either way: with expectNoChanges, drift arrives as a failure with its steps.
  return { digest: previewDigest(events, {}, { states: true }), mustBeOff: opened.mustBeOff(), mustBeOn: opened.mustBeOn(), ...(failure === undefined ? {} : { failure }), ...(stopped ? { stopped } : {}) };
}

/**
 * The policy-pack config the CLI is given: the user's file as it is, or, with --today, a temporary
 * copy where every policy also has `today` (Pulumi keeps config per policy name).
 */
async function packConfigFile(file: string | undefined, today: string | undefined): Promise<{ file: string; remove(): void } | undefined> {
  if (today === undefined) return file ? { file: path.resolve(file), remove: () => undefined } : undefined;
  let given: Record<string, Record<string, unknown>> = {};
  if (file) {
    try {
      given = JSON.parse(fs.readFileSync(file, "utf8")) as typeof given;
    } catch (e) {
      throw new ConfigurationError(msg(`策略包配置 ${file} 无法读取或不是 JSON：${(e as Error).message}`, `The policy-pack config ${file} cannot be read or is not JSON: ${(e as Error).message}`));
    }
  }
  const { policies } = await import("../../policies/policies.js");
  const config: Record<string, Record<string, unknown>> = { ...given };
  for (const policy of policies) config[policy.name] = { ...given[policy.name], today };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-pack-config-"));
  const out = path.join(dir, "policy-config.json");
  fs.writeFileSync(out, JSON.stringify(config, null, 2));
  return { file: out, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `--outputs` (lib/output/deploy.ts UpOutputs), written whole or not at all. */
function writeOutputs(file: string, servers: Record<string, unknown>, notDeployed: readonly FailedFiling[], stopped?: string): void {
  const outputs = { servers, notDeployed: notDeployed.map(({ id, reason }) => ({ id, reason })), ...(stopped ? { stopped } : {}) };
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(outputs, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/**
 * The mandatory violations of the pack's stack policies (those of no one filing), from a preview of
 * the same program with the pack, which changes nothing; none without the pack.
 */
async function stackViolations(workspace: Stack, c: { policyPacks: string[]; policyPackConfigs: string[] | undefined; signal: AbortSignal }): Promise<string[]> {
  if (c.policyPacks.length === 0) return [];
  const found: EngineEventLike[] = [];
  try {
    await workspace.preview({ policyPacks: c.policyPacks, policyPackConfigs: c.policyPackConfigs, color: "never", signal: c.signal, onEvent: (e: EngineEventLike) => void (e.policyEvent && found.push(e)) });
  } catch {
    // A preview the violations stop is what is looked for; they are in its events.
  }
  const lines = found.filter((e) => policyRefusals([e]).whole).map((e) => `${String(e.policyEvent!.policyName)}：${String(e.policyEvent!.message).split("\n")[0]}`);
  return [...new Set(lines)];
}

/**
 * Failures as a department reads them on its pull request: an active filing's protected VM as the
 * way out (decommission first), not Pulumi's resource id; a platform's address left out.
 */
function said(failed: readonly FailedFiling[], lang: Lang): FailedFiling[] {
  return failed.map((f) => ({
    id: f.id,
    reason: PROTECTED_DELETE.test(f.reason)
      ? text(STOPPED.protectedVm, lang)
      : f.reason.replace(/\b(Post|Get|Put|Delete) "https?:\/\/[^"]*"/g, "$1 vCenter"),
  }));
}

/** The rows of filings other than `failed`: a refused filing's row is what was filed, not what runs. */
function withoutFilings(servers: Record<string, unknown>, failed: readonly FailedFiling[]): Record<string, unknown> {
  const ids = new Set(failed.map((f) => f.id));
  return Object.fromEntries(Object.entries(servers).filter(([id]) => !ids.has(id)));
}

/**
 * Each filing's row as its FilingServer component holds it in the state (stacks/filing-server.ts):
 * complete for every filing whose VM completed, also in a run that failed for others.
 */
async function rowsInState(workspace: Stack): Promise<Record<string, unknown>> {
  const resources = ((await workspace.exportStack()).deployment as { resources?: { type?: unknown; urn?: unknown; outputs?: unknown }[] }).resources ?? [];
  return Object.fromEntries(resources.flatMap((r) => {
    const outputs = r.outputs as Record<string, unknown> | undefined;
    return r.type === FILING_COMPONENT && typeof r.urn === "string" && typeof outputs?.ip === "string" ? [[typeAndName(r.urn).name, outputs]] : [];
  }));
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(text(msg("应为正整数", "expected a positive whole number"), "zh"));
  return n;
}

function summary(kind: "preview" | "up", changes: Record<string, number>, lang: Lang): string {
  const parts = Object.entries(changes).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(", ") || "—";
  return `${text(kind === "preview" ? msg(`预览完成：${parts}`, `Preview done: ${parts}`) : msg(`部署完成：${parts}`, `Up done: ${parts}`), lang)}\n`;
}

/** A failed run: 1 when a policy or a resource refused it, 2 when the environment lacks something. */
function exitLine(commandResult: string): string {
  const code = /^code: (-?\d+)/.exec(commandResult)?.[1] ?? "?";
  return `pulumi exited with ${code}`;
}

/**
 * A run the program itself stopped (a name the stack file gives that vCenter lacks): its line, in
 * the user's language, is the run's last; the exit code is the error's. Undefined when it did not.
 */
function programStop(stop: FilingToolError | undefined, io: CliIo, lang: Lang): number | undefined {
  if (!stop) return undefined;
  io.stderr(`${text(stop.userMessage, lang)}\n`);
  return stop.exitCode;
}

function engineFailure(e: unknown, io: CliIo, lang: Lang, behind: readonly FailedFiling[] = [], kind: "preview" | "up" = "preview"): number {
  const out = e instanceof Error ? e.message : String(e);
  const plugin = /no resource plugin '(?:pulumi-resource-)?([^']+)' found/i.exec(out);
  if (plugin) {
    const name = plugin[1]!;
    io.stderr(`${text(msg(
      `缺少 Pulumi 资源插件 ${name}：在能联网的机器上运行 pulumi plugin install resource ${name} <版本>（vSphere 为 4.17.0），再把 ~/.pulumi/plugins 复制到本机。`,
      `The Pulumi resource plugin ${name} is missing: on a connected machine run pulumi plugin install resource ${name} <version> (vSphere: 4.17.0), then copy ~/.pulumi/plugins here.`,
    ), lang)}\n`);
    return 2;
  }
  // The CLI's output and errors were already shown as they came (onOutput, onError); the exception
  // repeats both, so it ends with one line in the user's language on what stopped the run (Pulumi's
  // exit code says nothing to a department), unless nothing was run at all.
  const ran = /^code: /.test(out);
  const hint = vcenterHint(out);
  if (hint) {
    io.stderr(`${text(hint, lang)}\n`);
    // Lost in the middle of a run: what deployed before, and what not, is said as well.
    partialDeploy(behind, io, lang);
    return 2;
  }
  const code = /policy violation|mandatory|error: update failed|resource .* failed/i.test(out) ? 1 : 2;
  if (!ran) io.stderr(`${out.trim()}\n`);
  else if (PROTECTED_DELETE.test(out)) {
    io.stderr(`${text(STOPPED.protectedVm, lang)}\n`);
    partialDeploy(behind.filter((f) => f.reason !== text(STOPPED.protectedVm, lang)), io, lang);
  }
  else if (behind.length > 0) return partialDeploy(behind, io, lang)!;
  else if (/policy violation|mandatory/i.test(out)) io.stderr(`${text(kind === "up" ? POLICY_STOPPED_UP : STOPPED.policy, lang)}\n`);
  else if (code === 1) io.stderr(`${text(STOPPED.resource, lang)}\n`);
  else io.stderr(`${text(STOPPED.other, lang)}\n`);
  return code;
}

/**
 * An update that went on past the filings it could not deploy: their ids and first errors, and that
 * the rest deployed; exit 1. Undefined when no filing's resource failed (the run stopped for a reason
 * of the whole stack: engineFailure says which).
 */
function partialDeploy(failed: readonly FailedFiling[], io: CliIo, lang: Lang): number | undefined {
  if (failed.length === 0) return undefined;
  const lines = (colon: string) => failed.map((f) => `  ✗ ${f.id}${f.reason ? `${colon}${f.reason}` : ""}`).join("\n");
  io.stderr(`${text(msg(
    `以下 ${failed.length} 份备案没有部署成功，其余备案已照常部署：\n${lines("：")}\n请按上方的错误处理平台或备案，再重新运行；已完成的不会重复执行。`,
    `Filings that did not deploy (${failed.length}); the others deployed as usual:\n${lines(": ")}\nDeal with the errors above on the platform or in the filing, then run again; what completed is not redone.`,
  ), lang)}\n`);
  return 1;
}

/** The engine refusing to delete a protected (active filing's) VM, in its error or a filing's reason. */
const PROTECTED_DELETE = /cannot be deleted because it is protected|pulumi state unprotect/i;

/** The last line of a failed run, by what stopped it. */
const STOPPED = {
  policy: msg(
    "策略包阻止了这次运行：见上方标为 mandatory 的违规，每条都写明了是哪台虚拟机、应当如何。",
    "The policy pack stopped this run: see the mandatory violations above, each naming its VM and what it must be.",
  ),
  resource: msg(
    "有资源操作失败（见上方的 error）。已完成的操作已记入状态；排除原因后重新运行即可继续。",
    "A resource operation failed (see the errors above). What completed is recorded in the state; fix the cause and run again to continue.",
  ),
  other: msg("Pulumi 没有完成这次运行，原因见上方输出。", "Pulumi did not finish this run; the reason is in its output above."),
  // Pulumi's own advice (pulumi state unprotect) would delete a running server nobody approved removing.
  protectedVm: msg(
    "在用备案的虚拟机不能随文件删除，它没有被删除。请恢复该备案文件，按两步下线：先提交下线申请（status: decommissioned，并记录 decommission.backupTakenAt），合并部署后，再提交删除该文件的申请。不要运行 pulumi state unprotect：那会绕过审批。",
    "An active filing's VM cannot be removed with its file; it was not deleted. Restore the filing's file and decommission in two steps: first a change to status: decommissioned with decommission.backupTakenAt recorded, and once that is merged and deployed, a change that removes the file. Do not run pulumi state unprotect: it bypasses the approval chain.",
  ),
};
/** An update the pack stopped had made the changes before the stop; a preview made none. */
const POLICY_STOPPED_UP = msg(
  `${STOPPED.policy.zh}在此之前已完成的变更已经生效并记入状态，其余的没有执行。`,
  `${STOPPED.policy.en} Changes completed before the stop took effect and are recorded in the state; the rest were not made.`,
);

/**
 * vCenter refusing the sign-in, or not answering, reads as one provider line among the diagnostics:
 * what it means and where the setting lives. Both are the environment's, not the register's (exit 2).
 */
function vcenterHint(out: string): Message | undefined {
  if (/vSphere SOAP client: ServerFaultCode: (Login failure|Cannot complete login)/.test(out)) {
    return msg(
      "vCenter 拒绝了登录：用户名或密码不对。请核对 VSPHERE_USER 和 VSPHERE_PASSWORD（工作流中为 production 环境的 secret），或堆栈文件中的 vsphere:user、vsphere:password。",
      "vCenter refused the sign-in: the user name or password is wrong. Check VSPHERE_USER and VSPHERE_PASSWORD (in the workflows, the production environment's secrets), or vsphere:user and vsphere:password in the stack file.",
    );
  }
  // Before the provider connects ("error setting up new vSphere SOAP client: Post …") or in the middle
  // of a run ("cannot fetch properties of created virtual machine: Post …"): any call to the SDK
  // endpoint that found nobody there, or lost the connection.
  const address = /Post "(https?:\/\/[^/"]+)\/sdk[^"]*": (dial tcp|EOF|read: connection reset|[^\n]*(timeout|no such host))/.exec(out)?.[1];
  if (address === undefined) return undefined;
  return msg(
    `连不上 vCenter ${address}。请核对 VSPHERE_SERVER（或堆栈文件中的 vsphere:vsphereServer），以及运行部署的机器能否访问它。`,
    `Cannot reach vCenter at ${address}. Check VSPHERE_SERVER (or vsphere:vsphereServer in the stack file), and that the machine that deploys can reach it.`,
  );
}
