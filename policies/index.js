// Entry Pulumi loads for the policy pack (package.json main): the prebuilt pack (scripts/bundle.js)
// when it is newer than every source, else the TypeScript through tsx, like the program
// (stacks/index.js), so that both always run the same lib/.
"use strict";
const path = require("node:path");

function bundled() {
  try {
    return require("../scripts/bundle.js").freshEntry(path.resolve(__dirname, ".."), "pack");
  } catch {
    return undefined;
  }
}

const bundle = bundled();
if (bundle) {
  require(bundle);
} else {
  require("tsx/cjs");
  require("./index.ts");
}
