#!/usr/bin/env node
// The `filing` command. The sources are TypeScript; tsx compiles them on load so the
// clone works without a build step. Its require hook serves the static imports; its ESM
// hooks serve the commands' dynamic import() of heavy modules (the policy pack loads
// Pulumi's SDK), which the other commands then never load.
"use strict";
require("tsx/cjs");
import("tsx/esm/api")
  .then(({ register }) => {
    register();
    return require("./cli/main.ts").run(process.argv.slice(2));
  })
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
