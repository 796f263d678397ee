// Entry Pulumi loads (Pulumi.yaml: main: stacks/index.js): the prebuilt program (scripts/bundle.js)
// when it is newer than every source, else the TypeScript through tsx, the same loader the `filing`
// command falls back to, so an edited clone never runs an old build.
"use strict";
const path = require("node:path");

function bundled() {
  try {
    return require("../scripts/bundle.js").freshEntry(path.resolve(__dirname, ".."), "program");
  } catch {
    return undefined;
  }
}

const bundle = bundled();
if (bundle) {
  module.exports = require(bundle);
} else {
  require("tsx/cjs");
  module.exports = require("./main.ts");
}
