/**
 * `npm run mutation`'s verdict: the mutation score of each file Stryker mutated, against the target,
 * as met / NOT met lines, and every surviving mutant that test/mutation/equivalent.json does not
 * explain. Exit 1 when a file misses the target or a survivor is unexplained.
 */
import fs from "node:fs";
import path from "node:path";

const TARGET = 90;
const root = path.resolve(__dirname, "../..");
const reportFile = path.join(root, ".cache/mutation/report.json");

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
/** Found by the line's code, not its number: moving the line keeps the entry, changing it asks again. */
interface Equivalent {
  readonly file: string;
  readonly code: string;
  readonly mutator: string;
  readonly replacement: string;
  /** The invariant that makes the change unobservable. */
  readonly why: string;
}

const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as { files: Record<string, { source: string; mutants: Mutant[] }> };
const equivalents = JSON.parse(fs.readFileSync(path.join(__dirname, "equivalent.json"), "utf8")) as Equivalent[];
const explained = (file: string, code: string, m: Mutant) =>
  equivalents.some((e) => e.file === file && e.code === code && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? ""));

let failed = false;
for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counted = f.mutants.filter((m) => !["CompileError", "RuntimeError", "Ignored"].includes(m.status));
  const lines = f.source.split("\n");
  const codeOf = (m: Mutant) => lines[m.location.start.line - 1]!.trim();
  const survivors = counted.filter((m) => m.status === "Survived" || m.status === "NoCoverage");
  const unexplained = survivors.filter((m) => !explained(file, codeOf(m), m));
  // Equivalent mutants cannot be killed: they leave the count (as Stryker's "ignored"), each saying why.
  const equivalent = survivors.length - unexplained.length;
  const score = counted.length === equivalent ? 100 : (100 * (counted.length - survivors.length)) / (counted.length - equivalent);
  const met = score >= TARGET;
  failed ||= !met || unexplained.length > 0;
  console.log(`${met ? "met    " : "NOT met"}  ${score.toFixed(1).padStart(5)}%  ${file}  (${counted.length} mutants: ${counted.length - survivors.length} killed, ${equivalent} equivalent, ${unexplained.length} surviving; target ${TARGET}%)`);
  for (const m of unexplained) {
    console.log(`    ${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? "").slice(0, 100)}  | ${codeOf(m).slice(0, 100)}`);
  }
}
process.exitCode = failed ? 1 : 0;
