#!/usr/bin/env node
// The `filing` command. The sources are TypeScript; tsx compiles them on load so the
// clone works without a build step. Its require hook serves the static imports.
// `filing policy` import()s the policy pack (which loads Pulumi's SDK) only when it runs;
// dynamic import() of our `.ts` modules goes through Node's ESM loader, so that command
// also needs tsx's ESM hooks. The others skip them: registering starts a loader thread,
// a sixth of `filing validate`'s start-up.
"use strict";
require("tsx/cjs");
const args = process.argv.slice(2);
const IMPORTS_TS = new Set(["policy"]);
const hooks = IMPORTS_TS.has(args[0]) ? import("tsx/esm/api").then(({ register }) => register()) : Promise.resolve();
hooks
  .then(() => require("./cli/main.ts").run(args))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      // run() reports its own failures; this is the loader failing before it. Exit 1 would
      // read as "the register has problems", so it is 2 like any internal failure.
      console.error(err);
      process.exitCode = 2;
    },
  );
