#!/usr/bin/env node
// The `filing` command. The sources are TypeScript; tsx compiles them on load so the
// clone works without a build step.
"use strict";
require("tsx/cjs");
require("./cli/main.ts").run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
