/**
 * The floor: a Node process that only loads the SDK modules the program imports (found in the compiled
 * program: dist/index.js, dist/components, dist/providers) and exits.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export function sdkModules(distRoot: string): string[] {
  const files: string[] = [path.join(distRoot, "index.js")];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith(".js")) files.push(full);
    }
  };
  walk(path.join(distRoot, "components"));
  walk(path.join(distRoot, "providers"));
  const modules = new Set<string>();
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    for (const m of fs.readFileSync(f, "utf8").matchAll(/require\("(@pulumi\/[^"]+)"\)/g)) modules.add(m[1]!);
  }
  return [...modules].sort();
}

if (require.main === module) {
  const distRoot = path.resolve(__dirname, "../..");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const m of sdkModules(distRoot)) require(m);
}
