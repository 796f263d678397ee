#!/usr/bin/env node
// The `filing` command. The sources are TypeScript. `npm ci` bundles them into one JavaScript file
// (scripts/bundle.js), which runs when it is newer than every source; otherwise tsx compiles them
// on load, so an edited clone works without a build step. tsx's require hook serves the static imports.
// `filing policy` import()s the policy pack (which loads Pulumi's SDK) only when it runs;
// dynamic import() of our `.ts` modules goes through Node's ESM loader, so that command
// also needs tsx's ESM hooks. The others skip them: registering starts a loader thread,
// a sixth of `filing validate`'s start-up.
"use strict";
// Before anything loads Pulumi's SDK: what it needs only to serialize functions loads on first use.
require("./defer-closure-deps");
const args = process.argv.slice(2);
const en = args.some((a, i) => a === "--lang=en" || (a === "--lang" && args[i + 1] === "en"));

/**
 * A failure before the command runs (no `npm ci` yet, an old Node, a damaged install): one line that
 * says what to do, and exit 2. Exit 1 would read as "the register has problems"; a stack trace
 * helps nobody who has not installed the project yet.
 */
function fail(zh, english) {
  process.stderr.write(`${en ? english : zh}\n`);
  process.exitCode = 2;
}

function loadFailure(err) {
  const missing = err && err.code === "MODULE_NOT_FOUND" && /Cannot find module '([^']+)'/.exec(String(err.message));
  if (missing) {
    fail(
      `filing：无法启动，缺少依赖 ${missing[1]}。请先在仓库目录运行 npm ci 安装依赖（见 docs/guide.zh.md 第零节）。`,
      `filing: cannot start: the dependency ${missing[1]} is not installed. Run npm ci in the repository folder first (docs/guide.zh.md, section 0).`,
    );
    return;
  }
  const first = String((err && err.message) || err).split("\n")[0];
  fail(
    `filing：无法启动：${first}。请重新运行 npm ci；仍不行时请把这一行发给信息中心。`,
    `filing: cannot start: ${first}. Run npm ci again; if that does not help, send this line to the information center.`,
  );
}

function fresh() {
  try {
    return require("./bundle").fresh();
  } catch {
    return false;
  }
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(
    `filing：Node.js ${process.versions.node} 版本过旧，请安装 Node.js 20.19 或更高版本（建议当前的 LTS 版本），然后运行 npm ci。`,
    `filing: Node.js ${process.versions.node} is too old. Install Node.js 20.19 or later (the current LTS is best), then run npm ci.`,
  );
} else if (fresh()) {
  // The prebuilt bundle (scripts/bundle.js), newer than every source: no TypeScript to compile.
  // `filing validate` has a smaller one of its own.
  require(args[0] === "validate" ? "./filing-validate.bundle.cjs" : "./filing.bundle.cjs")
    .run(args)
    .then((code) => {
      process.exitCode = code;
    }, loadFailure);
} else {
  try {
    require("tsx/cjs");
    // The commands that import TypeScript as ES modules (the engine's program, the pack): the hooks
    // cost start-up time, so the rest go without.
    const IMPORTS_TS = new Set(["policy", "preview", "up", "drift", "serve"]);
    const hooks = IMPORTS_TS.has(args[0]) ? import("tsx/esm/api").then(({ register }) => register()) : Promise.resolve();
    hooks
      .then(() => require("./cli/main.ts").run(args))
      // run() reports its own failures; whatever arrives here failed while loading.
      .then((code) => {
        process.exitCode = code;
      }, loadFailure);
  } catch (err) {
    loadFailure(err);
  }
}
