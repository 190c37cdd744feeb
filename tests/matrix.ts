/**
 * The stack matrix: every ordered pair of clouds, production and not, and each cloud alone
 * (tests/fixtures/matrix/Pulumi.<stack>.yaml). Every component is exercised on each; the tests in
 * matrix.test.ts plan each stack and gate it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { root } from "./helpers";

export interface MatrixStack {
  /** Stack name, e.g. `prod-aws-azure`. */
  readonly name: string;
  /** The stack config file. */
  readonly file: string;
  readonly production: boolean;
  readonly primary: string;
  readonly secondary: string | undefined;
}

export const matrixDir = path.join(root, "tests", "fixtures", "matrix");

export const matrix: readonly MatrixStack[] = fs
  .readdirSync(matrixDir)
  .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
  .map((f) => {
    const name = f.replace(/^Pulumi\.|\.yaml$/g, "");
    const [kind, primary, secondary] = name.split("-");
    return {
      name,
      file: path.join(matrixDir, f),
      production: kind === "prod",
      primary: primary ?? "",
      secondary,
    };
  })
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
