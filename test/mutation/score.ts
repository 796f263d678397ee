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
interface Equivalent {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly replacement: string;
  /** The invariant that makes the change unobservable. */
  readonly why: string;
}

const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as { files: Record<string, { source: string; mutants: Mutant[] }> };
const equivalents = JSON.parse(fs.readFileSync(path.join(__dirname, "equivalent.json"), "utf8")) as Equivalent[];
const explained = (file: string, m: Mutant) =>
  equivalents.some((e) => e.file === file && e.line === m.location.start.line && e.mutator === m.mutatorName && e.replacement === (m.replacement ?? ""));

let failed = false;
for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const counted = f.mutants.filter((m) => !["CompileError", "RuntimeError", "Ignored"].includes(m.status));
  const survivors = counted.filter((m) => m.status === "Survived" || m.status === "NoCoverage");
  const unexplained = survivors.filter((m) => !explained(file, m));
  // Equivalent mutants cannot be killed: they count as killed, and each one says why in equivalent.json.
  const score = counted.length === 0 ? 100 : (100 * (counted.length - unexplained.length)) / counted.length;
  const met = score >= TARGET;
  failed ||= !met || unexplained.length > 0;
  console.log(`${met ? "met    " : "NOT met"}  ${score.toFixed(1).padStart(5)}%  ${file}  (${counted.length} mutants, ${survivors.length - unexplained.length} equivalent, ${unexplained.length} surviving; target ${TARGET}%)`);
  const lines = f.source.split("\n");
  for (const m of unexplained) {
    console.log(`    ${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? "").slice(0, 100)}  | ${lines[m.location.start.line - 1]!.trim().slice(0, 100)}`);
  }
}
process.exitCode = failed ? 1 : 0;
