// Entry point `pulumi` runs for the bootstrap project (Pulumi.yaml `main`): the compiled program that
// `npm run build` emits from bootstrap/index.ts, type-checked by the same command. Build first.
module.exports = require("../dist/bootstrap/index.js").main;
