/** The deployability catalog is generated from the rules and checked in up to date; every rule cites its sources. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { rules } from "../../policies/deployability/pack";
import { packDir, renderedFiles } from "../../policies/deployability/tools/catalog";

describe("the deployability catalog", () => {
  it("is up to date (npm run catalog:deployability)", async () => {
    for (const [file, text] of Object.entries(await renderedFiles())) {
      assert.equal(fs.readFileSync(path.join(packDir, file), "utf8"), text, `${file} is stale`);
    }
  });

  it("every rule names what the cloud refuses and cites at least one documentation page with its limit", () => {
    for (const r of rules) {
      assert.ok(r.refuses.length > 20, r.id);
      assert.ok(r.sources.length > 0, r.id);
      for (const s of r.sources) {
        assert.match(
          s.url,
          // Kubernetes: its documentation, or the API server's source where the validation is only there.
          /^https:\/\/(docs\.aws\.amazon\.com|learn\.microsoft\.com|cloud\.google\.com|kubernetes\.io|github\.com\/kubernetes\/kubernetes\/blob)\//,
          `${r.id}: ${s.url}`,
        );
        assert.ok(s.quote.length > 20, `${r.id}: ${s.url} has no quote`);
      }
    }
  });

  it("rule ids are unique and the README lists each one", () => {
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
    const readme = fs.readFileSync(path.join(packDir, "README.md"), "utf8");
    for (const r of rules) assert.ok(readme.includes(`\`${r.id}\``), `README.md does not list ${r.id}`);
  });
});
