import type { InstitutionConfig, SensitivePort } from "../config/model";
import type { Filing } from "../filings/model";
import { msg, type Message } from "../messages";
import { parsePort } from "./port";
import { parseSubnet, type Subnet } from "./ip";

/**
 * Internet exposure of sensitive ports (remote administration, databases, Windows sharing): which
 * of a filing's open ports are sensitive, what the filing says about each, and whether a change
 * opens one or lets more sources reach it. Rules, the approval chain, the program and the pack all
 * read exposure through this module.
 */

/** The sensitive-port entry that `spec` ("22/tcp") falls in, if any. */
export function sensitiveEntry(spec: string, config: InstitutionConfig): SensitivePort | undefined {
  const p = parsePort(spec);
  if (!p) return undefined;
  return config.limits.sensitivePorts.find(
    (s) => p.port >= s.port && p.port <= (s.to ?? s.port) && (s.protocol === "any" || s.protocol === p.protocol),
  );
}

/** What a sensitive port is and why it is sensitive, in both languages (limits.yaml's words). */
export function sensitiveWords(entry: SensitivePort): { readonly name: Message; readonly reason: Message } {
  return { name: msg(entry.name, entry.nameEn ?? entry.name), reason: msg(entry.reason, entry.reasonEn ?? entry.reason) };
}

/** A sensitive port the filing opens to the Internet, with what the filing says about it. */
export interface SensitiveExposure {
  readonly port: string;
  /** Index in network.ports, for locating problems. */
  readonly index: number;
  readonly entry: SensitivePort;
  readonly reason?: string;
  readonly sources?: readonly string[];
}

/** Port specs compare by number and protocol ("022/tcp" is not valid anyway; the schema sees to that). */
function samePort(a: string, b: string): boolean {
  const x = parsePort(a);
  const y = parsePort(b);
  return x !== undefined && y !== undefined && x.port === y.port && x.protocol === y.protocol;
}

/** The sensitive ports an external filing opens; none for the internal zone (not filtered per VM). */
export function sensitiveExposures(filing: Filing, config: InstitutionConfig): SensitiveExposure[] {
  if (filing.network.zone !== "external") return [];
  return filing.network.ports.flatMap((port, index) => {
    const entry = sensitiveEntry(port, config);
    if (!entry) return [];
    const said = filing.network.exposures?.find((e) => samePort(e.port, port));
    return [{ port, index, entry, reason: said?.reason, sources: said?.sources }];
  });
}

/** The sources a filing allows to reach `port` (every source, `0.0.0.0/0`, when it names none). */
export function allowedSources(filing: Filing, port: string): string[] {
  return filing.network.exposures?.find((e) => samePort(e.port, port))?.sources ?? ["0.0.0.0/0"];
}

/** True when every address of `inner` lies in `outer`. */
export function within(inner: Subnet, outer: Subnet): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** True when some address in `sources` is not in any of `allowed` (an unparsable source counts as wider). */
export function wider(sources: readonly string[], allowed: readonly string[]): boolean {
  const limits = allowed.flatMap((a) => parseSubnet(a) ?? []);
  return sources.some((s) => {
    const subnet = parseSubnet(s);
    return !subnet || !limits.some((l) => within(subnet, l));
  });
}

/**
 * The sensitive ports a change opens to the Internet or lets more sources reach, compared with the
 * base version (absent for a new filing). The approval chain asks the security leader for these.
 */
export function widenedExposures(base: Filing | undefined, head: Filing, config: InstitutionConfig): string[] {
  const before = base ? sensitiveExposures(base, config) : [];
  return sensitiveExposures(head, config)
    .filter((now) => {
      const then = before.find((b) => samePort(b.port, now.port));
      return !then || wider(now.sources ?? ["0.0.0.0/0"], then.sources ?? ["0.0.0.0/0"]);
    })
    .map((e) => e.port);
}

/** Each open port as people read it: `22/tcp（仅 10.8.0.0/16；理由：…）` where the filing restricts it. */
export function portsWithExposure(ports: readonly string[], exposures: readonly { port: string; reason: string; sources: readonly string[] }[] | undefined, lang: "zh" | "en"): string[] {
  return ports.map((port) => {
    const e = exposures?.find((x) => samePort(x.port, port));
    if (!e) return port;
    return lang === "zh" ? `${port}（仅 ${e.sources.join("、")}；理由：${e.reason}）` : `${port} (from ${e.sources.join(", ")} only; reason: ${e.reason})`;
  });
}
