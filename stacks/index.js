// Entry Pulumi loads (Pulumi.yaml: main: stacks/index.js): the prebuilt program while it is fresh,
// else stacks/main.ts through tsx (scripts/bundle.js loadEntry).
"use strict";
module.exports = require("../scripts/bundle.js").loadEntry(__dirname, "program", "main.ts");
