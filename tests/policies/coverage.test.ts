/**
 * Root hooks of the policy tests: stops the shared pack server, checks that every control has, for every
 * cloud it declares, a case it rejects and a case it accepts, and prints the controls x clouds count.
 */
import * as assert from "node:assert/strict";
import { controls } from "../../policies/pack";
import { clouds, type Cloud } from "../../policies/lib/types";
import { coverage } from "./cases";
import { stopPack } from "./harness";

export function declaredClouds(id: string): Cloud[] {
  const c = controls.find((x) => x.id === id)!;
  return clouds.filter(
    (cloud) => Object.keys(c.resources[cloud] ?? {}).length > 0 || (c.stackTypes?.[cloud]?.length ?? 0) > 0,
  );
}

after(async function () {
  await stopPack();
  const missing: string[] = [];
  let pairs = 0;
  for (const control of controls) {
    for (const cloud of declaredClouds(control.id)) {
      const seen = coverage.get(control.id)?.get(cloud);
      if (seen?.has("reject") && seen.has("accept")) pairs++;
      else missing.push(`${control.id}/${cloud} (${seen ? [...seen].join("+") : "no cases"})`);
    }
  }
  const total = controls.reduce((n, c) => n + declaredClouds(c.id).length, 0);
  console.log(
    `\n  policy controls: ${controls.length}; controls x clouds covered by a rejecting and an accepting case: ${pairs}/${total}`,
  );
  // Only enforce completeness on a full run (a --grep run covers a subset on purpose).
  if (coverage.size === controls.length) {
    assert.deepEqual(
      missing,
      [],
      `controls x clouds without both a rejecting and an accepting case:\n${missing.join("\n")}`,
    );
  } else if (missing.length > 0) {
    console.log(`  (partial run: ${missing.length} control x cloud pairs not exercised)`);
  }
});
