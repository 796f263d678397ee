import { text, type Lang, type Message } from "../messages";
import { platformName } from "../names";

/** One policy violation as the engine reports it: the message is "Chinese\nEnglish". */
export interface PolicyFinding {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly urn?: string;
}

export interface StackPolicyReport {
  readonly stack: string;
  readonly platform: string;
  readonly vms: number;
  readonly findings: readonly PolicyFinding[];
  /** What the program asks the operator to do by hand (a vSphere VM to power off). */
  readonly notices?: readonly Message[];
}

function inLang(message: string, lang: Lang): string {
  const [zh, en] = message.split("\n");
  return (lang === "en" ? en : zh) ?? message;
}

const blocking = (f: PolicyFinding): boolean => f.enforcementLevel === "mandatory";

export function policyPassed(reports: readonly StackPolicyReport[]): boolean {
  return reports.every((r) => !r.findings.some(blocking));
}

export function formatPolicyText(reports: readonly StackPolicyReport[], lang: Lang): string {
  const out: string[] = [];
  for (const r of reports) {
    const mandatory = r.findings.filter(blocking).length;
    const advisory = r.findings.length - mandatory;
    out.push(
      lang === "zh"
        ? `堆栈 ${r.stack}（${platformName(r.platform).zh}）：检查了 ${r.vms} 台虚拟机`
        : `Stack ${r.stack} (${platformName(r.platform).en}): ${r.vms} VMs checked`,
    );
    for (const f of r.findings) {
      const level = blocking(f) ? (lang === "zh" ? "阻止" : "blocked") : lang === "zh" ? "提醒" : "advisory";
      out.push(`  ${blocking(f) ? "✗" : "!"} ${level}  [${f.policy}]  ${inLang(f.message, lang)}`);
    }
    for (const n of r.notices ?? []) out.push(`  · ${lang === "zh" ? "注意" : "note"}  ${text(n, lang)}`);
    out.push(
      lang === "zh"
        ? mandatory === 0
          ? `  ✓ 没有违反强制策略${advisory ? `（${advisory} 条提醒）` : ""}。`
          : `  ✗ ${mandatory} 处违反强制策略，${advisory} 条提醒：pulumi up 会被阻止。`
        : mandatory === 0
          ? `  ✓ No mandatory policy violated${advisory ? ` (${advisory} advisory)` : ""}.`
          : `  ✗ ${mandatory} mandatory violations, ${advisory} advisory: pulumi up would be blocked.`,
    );
  }
  return `${out.join("\n")}\n`;
}

export function formatPolicyJson(reports: readonly StackPolicyReport[]): string {
  return `${JSON.stringify(
    {
      ok: policyPassed(reports),
      stacks: reports.map((r) => ({
        stack: r.stack,
        platform: r.platform,
        vms: r.vms,
        notices: r.notices ?? [],
        violations: r.findings.map((f) => {
          const [zh, en] = f.message.split("\n");
          return { policy: f.policy, enforcementLevel: f.enforcementLevel, urn: f.urn, message: { zh, en } };
        }),
      })),
    },
    null,
    2,
  )}\n`;
}
