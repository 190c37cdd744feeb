import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root: the nearest folder above this file (or `from`) holding Pulumi.yaml. */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml found above ${from}`);
    dir = parent;
  }
}
