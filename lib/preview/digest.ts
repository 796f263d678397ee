import { POWER_OUTPUTS } from "../compliance/observed";
import { FILING_COMPONENT, FIREWALL_SUFFIX, PROXMOX_FIREWALL, vmPlatform } from "../compliance/tokens";
import { typeAndName } from "./gate";
/**
 * The engine's events (Automation API `onEvent`) as the document `pulumi preview --json` prints:
 * `{steps: [{op, urn, oldState: {protect}}], diagnostics: [{severity, message, urn}], changeSummary}`.
 * `filing preview --json` prints it, so the destructive-change gate (gate.ts) reads one shape whether
 * the preview came from `filing preview` or from the bare CLI. With `states`, a changed step also
 * carries the old state's outputs and the new inputs, as `pulumi preview --json` does, and an
 * unchanged one its power outputs alone (after a refresh, what the platform reports): what
 * `filing drift` compares (lib/operations/drift.ts).
 */
interface StateLike {
  readonly protect?: unknown;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
}
interface StepMetadataLike {
  readonly op?: unknown;
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly old?: StateLike | null;
  readonly new?: StateLike | null;
}
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata?: StepMetadataLike };
  /** After a step: `new` holds what the provider returned (for a refresh, what the platform reports). */
  readonly resOutputsEvent?: { readonly metadata?: StepMetadataLike };
  /** A step the provider failed. */
  readonly resOpFailedEvent?: { readonly metadata?: StepMetadataLike };
  /** A policy's finding on a resource (`mandatory` stops the resource). */
  readonly policyEvent?: { readonly resourceUrn?: unknown; readonly message?: unknown; readonly policyName?: unknown; readonly enforcementLevel?: unknown };
  readonly diagnosticEvent?: { readonly severity?: unknown; readonly message?: unknown; readonly urn?: unknown };
}

type Props = Record<string, unknown>;
export interface PreviewDigest {
  readonly steps: { op: string; urn: string; oldState?: { protect?: boolean; inputs?: Props; outputs?: Props }; newState?: { inputs?: Props }; platformPower?: string }[];
  readonly diagnostics: { severity: string; message: string; urn?: string }[];
  readonly changeSummary: Record<string, number>;
}

/** The outputs where the providers report power (vSphere `powerState`, Proxmox `started`), when there are any. */
function powerOutputs(outputs: Props | undefined): Props | undefined {
  const kept = Object.fromEntries(POWER_OUTPUTS.filter((k) => outputs !== undefined && k in outputs).map((k) => [k, outputs![k]]));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

const props = (value: unknown): Props | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined);

/**
 * `platformPower`: per VM URN, its power as a refresh that changes nothing read it (refreshedPower);
 * it goes on that VM's delete step, for the gate.
 */
export function previewDigest(
  events: readonly EngineEventLike[],
  changeSummary: Readonly<Record<string, number>> = {},
  options: { states?: boolean; platformPower?: ReadonlyMap<string, string> } = {},
): PreviewDigest {
  const steps: PreviewDigest["steps"] = [];
  const diagnostics: PreviewDigest["diagnostics"] = [];
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && typeof m.op === "string" && typeof m.urn === "string") {
      // ResourceV3 leaves `protect` out when false; so do we.
      const step: PreviewDigest["steps"][number] = { op: m.op, urn: m.urn, ...(m.old ? { oldState: m.old.protect === true ? { protect: true } : {} } : {}) };
      if (options.states && m.op !== "same") {
        if (m.old) step.oldState = { ...step.oldState, inputs: props(m.old.inputs), outputs: props(m.old.outputs) };
        if (m.new) step.newState = { inputs: props(m.new.inputs) };
      } else if (options.states && m.old) {
        const power = powerOutputs(props(m.old.outputs));
        if (power) step.oldState = { ...step.oldState, outputs: power };
      }
      const power = m.op === "delete" ? options.platformPower?.get(m.urn) : undefined;
      if (power !== undefined) step.platformPower = power;
      steps.push(step);
    }
    const d = e.diagnosticEvent;
    if (d && typeof d.severity === "string" && typeof d.message === "string") {
      diagnostics.push({ severity: d.severity, message: d.message, ...(typeof d.urn === "string" && d.urn ? { urn: d.urn } : {}) });
    }
  }
  return { steps, diagnostics, changeSummary: { ...changeSummary } };
}

/**
 * A refresh's events (`previewRefresh`, which writes nothing) → per VM URN its power as the platform
 * reported it: "on", "off", "suspended", "gone" when the platform no longer has it, "unknown" when
 * the refresh said nothing readable. URNs the refresh never reached are absent.
 */
export function refreshedPower(events: readonly EngineEventLike[]): Map<string, string> {
  const power = new Map<string, string>();
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    if (!m || typeof m.urn !== "string" || typeof m.type !== "string" || !vmPlatform(m.type)) continue;
    if (m.op === "delete") {
      power.set(m.urn, "gone");
      continue;
    }
    const outputs = props(m.new?.outputs) ?? {};
    const reported = outputs.powerState ?? (typeof outputs.started === "boolean" ? (outputs.started ? "on" : "off") : undefined);
    power.set(m.urn, typeof reported === "string" && reported !== "" ? reported : "unknown");
  }
  return power;
}

/**
 * The filing a resource of the program belongs to, by its URN: the VM and the component are named by
 * the filing id, a Proxmox VM's firewall by the id and a suffix. Undefined for the stack's own
 * resources (custom attributes, providers, the stack).
 */
export function filingOfUrn(urn: string): string | undefined {
  const { type, name } = typeAndName(urn);
  if (type === FILING_COMPONENT || vmPlatform(type)) return name;
  const suffix = type === PROXMOX_FIREWALL.options ? FIREWALL_SUFFIX.options : type === PROXMOX_FIREWALL.rules ? FIREWALL_SUFFIX.rules : undefined;
  return suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
}

export interface FailedFiling {
  readonly id: string;
  /** The first error the provider or a mandatory policy gave for one of its resources. */
  readonly reason: string;
}

/** A policy event's message: its first line is the policy's description, the rest what it found. */
function finding(message: unknown): string {
  const lines = String(message ?? "").trim().split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.length > 1 ? lines.slice(1) : lines).join(" ");
}

/**
 * A provider's error in one line, as it said it: without the Terraform bridge's source location
 * ("sdk-v2/provider2.go:572: sdk.helper_schema: ") and provider tag (": provider=vsphere@4.17.0").
 */
export function providerError(message: string): string {
  const lines = message.trim().split("\n").map((l) => l.replace(/^\s*\*\s*/, "").trim()).filter(Boolean);
  // Pulumi's "1 error occurred:" heads the list of the errors themselves.
  const first = lines.find((l) => !/^\d+ errors? occurred:?$/.test(l) && !/^updating urn:/.test(l)) ?? "";
  return first.replace(/^(?:[\w.-]+\/)*[\w.-]+\.go:\d+: /, "").replace(/^sdk\.helper_schema: /, "").replace(/: provider=\S+$/, "");
}

/**
 * An update's events → the filings whose resource the provider failed (`resOpFailedEvent`), each with
 * its first error, in the order met. With continue-on-error the update went on past them.
 */
export function failedFilings(events: readonly EngineEventLike[]): FailedFiling[] {
  const reasons = new Map<string, string>();
  const failed: string[] = [];
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (d?.severity === "error" && typeof d.urn === "string" && typeof d.message === "string") {
      const id = filingOfUrn(d.urn);
      if (id !== undefined && !reasons.has(id)) {
        const line = providerError(d.message);
        if (line) reasons.set(id, line);
      }
    }
    const urn = e.resOpFailedEvent?.metadata?.urn;
    const id = typeof urn === "string" ? filingOfUrn(urn) : undefined;
    if (id !== undefined && !failed.includes(id)) failed.push(id);
  }
  return failed.map((id) => ({ id, reason: reasons.get(id) ?? "" }));
}

/**
 * An update's events → what mandatory policies refused. A refusal stops the whole update (Pulumi's
 * continue-on-error covers the provider's failures only), so `filing up` runs again without the
 * refused filings when every refusal names one (`filings`); `whole` when one does not (a stack
 * policy, a resource of no filing), and then nothing is retried.
 */
export function policyRefusals(events: readonly EngineEventLike[]): { readonly filings: FailedFiling[]; readonly whole: boolean } {
  const filings: FailedFiling[] = [];
  let whole = false;
  for (const e of events) {
    const p = e.policyEvent;
    if (p?.enforcementLevel !== "mandatory") continue;
    const id = typeof p.resourceUrn === "string" ? filingOfUrn(p.resourceUrn) : undefined;
    if (id === undefined) whole = true;
    else if (!filings.some((f) => f.id === id)) filings.push({ id, reason: `${String(p.policyName)}：${finding(p.message)}` });
  }
  return { filings, whole };
}
