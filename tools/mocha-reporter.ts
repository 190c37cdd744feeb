/**
 * Mocha's spec reporter plus one plain closing line, `N passed, N failed[, N skipped]`, that any CI
 * can read without knowing mocha's "passing/failing" wording.
 */
import Mocha from "mocha";

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      const skipped = s.pending > 0 ? `, ${s.pending} skipped` : "";
      // After the spec reporter's own epilogue.
      process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed${skipped}\n`);
    });
  }
}

export = SpecWithTotals;
