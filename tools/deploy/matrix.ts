/**
 * `npm run deploy:matrix [-- --github-output]`
 *
 * The stack matrix of the deploy workflow: every `Pulumi.<stack>.yaml` at the repository root, validated
 * as the program validates it, split into the non-production stacks (updated first, in parallel across
 * runners) and the production stacks (after all of them, each behind its protected GitHub environment).
 * Prints `nonproduction=<JSON list>` and `production=<JSON list>`, the lines `$GITHUB_OUTPUT` takes.
 * A stack file with a config problem stops it (exit 1) before any job starts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackConfig } from "../gate/stack-policy";
import { repoRoot } from "../paths";

export interface StackMatrix {
  readonly nonproduction: string[];
  readonly production: string[];
}

/** The stacks of a repository (its `Pulumi.<stack>.yaml` files), split by `platform:production`. */
export function stackMatrix(root: string = repoRoot()): StackMatrix {
  const stacks = fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  const out: StackMatrix = { nonproduction: [], production: [] };
  for (const stack of stacks) {
    const config = readStackConfig(root, stack, path.join(root, `Pulumi.${stack}.yaml`));
    (config.production ? out.production : out.nonproduction).push(stack);
  }
  return out;
}

if (require.main === module) {
  try {
    const m = stackMatrix();
    const text = `nonproduction=${JSON.stringify(m.nonproduction)}\nproduction=${JSON.stringify(m.production)}\n`;
    if (process.argv.includes("--github-output") && process.env.GITHUB_OUTPUT) {
      fs.appendFileSync(process.env.GITHUB_OUTPUT, text);
    }
    process.stdout.write(text);
  } catch (err) {
    process.stderr.write(`deploy:matrix: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
