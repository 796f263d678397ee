// The `filing` command as one JavaScript file, so that start-up skips compiling TypeScript: tsx's
// on-load compilation is about 0.6 s of every call (`filing validate` on the sample: 1.4 s through
// tsx, 0.8 s from the bundle, `node -e 0` 0.15 s, measured side by side on 2026-11-30).
//
//   node scripts/bundle.js           build scripts/filing.bundle.cjs (npm ci runs it: "prepare")
//   require("./bundle").fresh(root)  whether that file is newer than every source it was built from
//
// scripts/filing.js uses the bundle only when it is fresh, so an edited source is never shadowed
// by an old build: until `npm run build`, the command simply runs through tsx again.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
/** Beside filing.js, one level below the root, as the bundled modules expect (`path.resolve(__dirname, "..")`). */
const OUT = path.join(__dirname, "filing.bundle.cjs");
/** Everything the bundle is made from: the code and the JSON it imports (not the YAML it reads at run time). */
const SOURCES = ["lib", "scripts/cli", "stacks", "policies", "web", "filings/filing.schema.json", "package.json", "package-lock.json"];
const CODE = /\.(ts|js|json)$/;

/** Every source file, sorted: what the bundle is made from. */
function sourceFiles(root = ROOT) {
  const out = [];
  const walk = (file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file).sort()) walk(path.join(file, entry));
    else if (CODE.test(file)) out.push(file);
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return out;
}

/**
 * A digest of every source: the validation cache (lib/cache/validation.ts) keeps an entry only for
 * the code that made it. The bundle carries it as FILING_CODE_VERSION; tsx runs compute it.
 */
function sourceDigest(root = ROOT) {
  const hash = require("node:crypto").createHash("sha1");
  for (const file of sourceFiles(root)) hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex");
}

function newestMtime(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return CODE.test(file) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** True when `root`'s bundle exists and no source is newer. */
function fresh(root = ROOT) {
  const main = path.join(root, "scripts/filing.bundle.cjs");
  const built = fs.statSync(main, { throwIfNoEntry: false });
  if (!built || !["worker", "validate"].every((part) => fs.existsSync(partOf(main, part)))) return false;
  return newerThanSources(root, built.mtimeMs);
}

function newerThanSources(root, mtimeMs) {
  return SOURCES.every((s) => newestMtime(path.join(root, s)) <= mtimeMs);
}

/**
 * The two programs Pulumi starts on every preview and up, prebuilt like the command: the stack's
 * program (Pulumi.yaml: main: stacks/index.js) and the policy pack (policies/index.js). Through tsx
 * each spent about 0.8 s of CPU compiling and loading our TypeScript before Pulumi's SDK was even
 * asked for. Each bundle sits in its entry's folder, one level below the root, as its modules expect.
 */
const ENTRIES = {
  program: { source: "stacks/main.ts", out: "stacks/program.bundle.cjs" },
  pack: { source: "policies/index.ts", out: "policies/pack.bundle.cjs" },
};

/** The bundle of `entry` ("program" or "pack") under `root` when it is newer than every source, else undefined. */
function freshEntry(root, entry) {
  const out = path.join(root, ENTRIES[entry].out);
  const built = fs.statSync(out, { throwIfNoEntry: false });
  return built && newerThanSources(root, built.mtimeMs) ? out : undefined;
}

/**
 * What Pulumi's entries load (stacks/index.js, policies/index.js, in `dir`): the bundle of `entry`
 * while it is fresh, else the TypeScript `source` beside the entry through tsx, the loader the
 * `filing` command falls back to, so that an edited clone never runs an old build.
 */
function loadEntry(dir, entry, source) {
  const bundle = freshEntry(path.resolve(dir, ".."), entry);
  if (bundle) return require(bundle);
  require("tsx/cjs");
  return require(path.join(dir, source));
}

/** filing.bundle.cjs → filing-<part>.bundle.cjs beside it (a test's build gets its own set). */
function partOf(out, part) {
  return path.join(path.dirname(out), path.basename(out).replace(/^filing\./, `filing-${part}.`));
}

/**
 * Bundles scripts/cli/main.ts and what it imports; beside it `filing validate` alone
 * (scripts/cli/validate-main.ts, half the size: the command departments run most starts faster)
 * and the worker thread of a large validation (scripts/cli/validate-worker.ts), and, for the
 * repository's own build (`root`), the engine's entries (ENTRIES). Packages with native parts or
 * heavy SDKs stay external. The files appear together, the main one last: fresh() reads its time.
 */
async function build(out = OUT, root = out === OUT ? ROOT : undefined) {
  const esbuild = require("esbuild");
  const worker = partOf(out, "worker");
  const validate = partOf(out, "validate");
  const common = {
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
    // Loaded from node_modules as they are: Pulumi's SDKs (large, and loaded only by the commands
    // that need them), exceljs (only for XLSX), native terminal bindings.
    // The desk's web framework (loaded only by `filing serve`, and with a native part) likewise.
    external: ["@pulumi/*", "@muhlba91/*", "exceljs", "@lydell/*", "esbuild", "fastify", "@fastify/*"],
    define: { FILING_CODE_VERSION: JSON.stringify(sourceDigest()), FILING_WORKER_FILE: JSON.stringify(path.basename(worker)) },
  };
  const tmp = (file) => `${file}.tmp-${process.pid}`;
  const entry = (module) => ({ contents: `module.exports = require("./cli/${module}");`, resolveDir: __dirname, sourcefile: "filing-entry.js", loader: "js" });
  await esbuild.build({ ...common, entryPoints: [path.join(__dirname, "cli/validate-worker.ts")], outfile: tmp(worker) });
  await esbuild.build({ ...common, stdin: entry("validate-main.ts"), outfile: tmp(validate) });
  // The engine's entries first: the command's bundle, written last, dates the set (fresh()).
  const entries = root === undefined ? [] : Object.values(ENTRIES).map((e) => ({ source: path.join(root, e.source), out: path.join(root, e.out) }));
  for (const e of entries) await esbuild.build({ ...common, entryPoints: [e.source], outfile: tmp(e.out) });
  await esbuild.build({ ...common, stdin: entry("main.ts"), outfile: tmp(out) });
  for (const file of [...entries.map((e) => e.out), worker, validate, out]) fs.renameSync(tmp(file), file);
  return out;
}

module.exports = { fresh, freshEntry, loadEntry, build, partOf, sourceDigest, OUT, SOURCES, ENTRIES };

if (require.main === module) {
  build().then(
    (out) => process.stderr.write(`filing: built ${path.relative(process.cwd(), out)}\n`),
    (err) => {
      // A failed build is not fatal: the command runs through tsx without it.
      process.stderr.write(`filing: could not build the bundle (${err.message}); the command runs through tsx instead.\n`);
    },
  );
}
