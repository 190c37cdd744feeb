/**
 * Root hook of the deployability tests: stops the pack server and checks that every rule has, for every
 * cloud it covers, a case it rejects and a case it accepts; prints the rules x clouds count.
 */
import * as assert from "node:assert/strict";
import { cloudsOf, rules } from "../../policies/deployability/pack";
import { coverage, stopDeployabilityPack } from "./cases";

after(async function () {
  await stopDeployabilityPack();
  const missing: string[] = [];
  let pairs = 0;
  let total = 0;
  for (const rule of rules) {
    for (const cloud of cloudsOf(rule)) {
      total++;
      const seen = coverage.get(rule.id)?.get(cloud);
      if (seen?.has("reject") && seen.has("accept")) pairs++;
      else missing.push(`${rule.id}/${cloud} (${seen ? [...seen].join("+") : "no cases"})`);
    }
  }
  if (coverage.size === 0) return; // no deployability test ran (a --grep run for something else)
  console.log(
    `\n  deployability rules: ${rules.length}; rules x clouds covered by a rejecting and an accepting case: ${pairs}/${total}`,
  );
  if (coverage.size === rules.length) {
    assert.deepEqual(
      missing,
      [],
      `rules x clouds without both a rejecting and an accepting case:\n${missing.join("\n")}`,
    );
  } else {
    console.log(`  (partial run: ${missing.length} rule x cloud pairs not exercised)`);
  }
});
