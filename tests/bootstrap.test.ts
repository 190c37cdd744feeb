import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { exitCodeOf } from "../tools/gate/evaluate";
import { checkBootstrap, type BootstrapCheck } from "../tools/bootstrap-check";
import { root } from "./helpers";

const fixtures = ["dev-aws", "dev-azure", "dev-gcp", "prod-aws", "prod-azure", "prod-gcp"] as const;

const loginPrefix = {
  aws: /^s3:\/\/[a-z0-9-]+\?region=[a-z0-9-]+&awssdk=v2$/,
  azure: /^azblob:\/\/[a-z0-9-]+\?storage_account=[a-z0-9]{3,24}$/,
  gcp: /^gs:\/\/[a-z0-9-]+$/,
};
const secretsPrefix = {
  aws: /^awskms:\/\/alias\/[A-Za-z0-9/_-]+\?region=[a-z0-9-]+&awssdk=v2$/,
  azure: /^azurekeyvault:\/\/[a-z0-9-]+\.vault\.azure\.net\/keys\/[A-Za-z0-9-]+$/,
  gcp: /^gcpkms:\/\/projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
};
/** The resource types holding the state store and the keys, per cloud. */
const keyTypes = {
  aws: "aws:kms/key:Key",
  azure: "azure-native:keyvault:Key",
  gcp: "gcp:kms/cryptoKey:CryptoKey",
};
const storeTypes = {
  aws: "aws:s3/bucket:Bucket",
  azure: "azure-native:storage:StorageAccount",
  gcp: "gcp:storage/bucket:Bucket",
};

describe("bootstrap program (state backend + secrets provider) plans offline and passes both packs", function () {
  this.timeout(600_000);
  const results = new Map<string, BootstrapCheck>();

  for (const name of fixtures) {
    const cloud = name.split("-")[1] as "aws" | "azure" | "gcp";
    const production = name.startsWith("prod");
    it(`${name}: no mandatory violation in either pack`, async () => {
      const check = await checkBootstrap(path.join("tests", "fixtures", "bootstrap", `Pulumi.${name}.yaml`));
      results.set(name, check);
      const packs = new Set(check.evaluation.packs.map((p) => p.name));
      assert.ok(
        packs.has("multicloud-compliance") && packs.has("multicloud-deployability"),
        [...packs].join(),
      );
      assert.equal(
        exitCodeOf(check.evaluation.totals),
        0,
        check.evaluation.findings
          .filter((f) => f.enforcement === "mandatory" && f.kind === "violation")
          .map((f) => `${f.policy}: ${f.message}`)
          .join("\n"),
      );
      assert.equal(check.evaluation.totals.mandatory, 0);
    });

    it(`${name}: exports the ${cloud} login URL and secrets provider`, () => {
      const check = results.get(name);
      assert.ok(check, "planned above");
      assert.equal(check.outputs["cloud"], cloud);
      assert.match(String(check.outputs["loginUrl"]), loginPrefix[cloud]);
      assert.match(String(check.outputs["secretsProvider"]), secretsPrefix[cloud]);
    });

    it(`${name}: a dedicated secrets key beside the state key, protected in production`, () => {
      const check = results.get(name)!;
      const keys = check.input.resources.filter((r) => r.type === keyTypes[cloud]);
      const secrets = keys.filter((k) => k.name.startsWith("state-secrets"));
      assert.equal(secrets.length, 1, keys.map((k) => k.name).join());
      assert.ok(keys.length >= 2, "the state store has its own key");
      const store = check.input.resources.find(
        (r) => r.type === storeTypes[cloud] && /^state-storage-(bucket|account)$/.test(r.name),
      );
      assert.ok(store, "the state store");
      if (production) {
        assert.equal(store.protect, true, "store protected");
        assert.equal(secrets[0]!.protect, true, "secrets key protected");
      }
      // Every cloud resource goes through the primary site's explicit provider.
      for (const r of check.input.resources.filter(
        (x) => x.custom && !x.type.startsWith("pulumi:providers:"),
      )) {
        assert.ok(r.provider !== "", `${r.name} has an explicit provider`);
      }
    });
  }

  it("bootstrap stacks name existing platform stack files", () => {
    for (const stack of ["dev", "prod"]) {
      const doc = parseYaml(
        fs.readFileSync(path.join(root, "bootstrap", `Pulumi.${stack}.yaml`), "utf8"),
      ) as {
        config: Record<string, string>;
      };
      const file = doc.config["platform-bootstrap:platformConfig"];
      assert.equal(file, `Pulumi.${stack}.yaml`);
      assert.ok(fs.existsSync(path.join(root, file)));
    }
    const project = parseYaml(fs.readFileSync(path.join(root, "bootstrap", "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { options: { typescript: boolean } };
    };
    assert.equal(project.runtime.options.typescript, false);
    const shim = fs.readFileSync(path.join(root, "bootstrap", project.main), "utf8");
    assert.match(shim, /require\("\.\.\/dist\/bootstrap\/index\.js"\)\.main/);
    assert.ok(fs.existsSync(path.join(root, "dist", "bootstrap", "index.js")), "built by npm run build");
  });
});

describe("ESC environments (esc/<stack>.yaml)", () => {
  /** Inputs that would carry a static credential. */
  const staticKeys =
    /^(accessKeyId|secretAccessKey|sessionToken|clientSecret|credentials|privateKey|password|token|accessToken)$/i;
  const loginFn = { aws: "fn::open::aws-login", azure: "fn::open::azure-login", gcp: "fn::open::gcp-login" };

  function walk(value: unknown, visit: (key: string, v: unknown, at: string) => void, at = ""): void {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${at}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        visit(k, v, `${at}.${k}`);
        walk(v, visit, `${at}.${k}`);
      }
    }
  }

  for (const stack of ["dev", "prod"]) {
    const text = fs.readFileSync(path.join(root, "esc", `${stack}.yaml`), "utf8");
    const doc = parseYaml(text) as { values: Record<string, unknown> };
    const platform = parseYaml(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, { cloud?: string } | unknown>;
    };
    const clouds = ["platform:primary", "platform:secondary"]
      .map((k) => (platform.config[k] as { cloud?: string } | undefined)?.cloud)
      .filter((c): c is "aws" | "azure" | "gcp" => c !== undefined);

    it(`${stack}: an OIDC login for every cloud of the stack's sites`, () => {
      assert.ok(clouds.length >= 1);
      for (const cloud of clouds) {
        const login = (doc.values[cloud] as { login?: Record<string, unknown> } | undefined)?.login;
        const fn = login?.[loginFn[cloud]] as Record<string, unknown> | undefined;
        assert.ok(fn, `${cloud}.login uses ${loginFn[cloud]}`);
        assert.ok(
          fn["oidc"] === true || (typeof fn["oidc"] === "object" && fn["oidc"] !== null),
          `${cloud}: oidc`,
        );
      }
      const config = doc.values["pulumiConfig"] as Record<string, unknown>;
      assert.equal(config["platform:environment"], stack);
    });

    it(`${stack}: no static secret anywhere`, () => {
      const problems: string[] = [];
      walk(doc.values, (key, v, at) => {
        if (staticKeys.test(key) && !at.startsWith(".environmentVariables"))
          problems.push(`${at}: static ${key}`);
        if (key === "fn::secret") problems.push(`${at}: inline secret`);
        if (key === "static" || key === "clientSecret") problems.push(`${at}: static credentials`);
        if (typeof v === "string" && /(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN|AccountKey=|"private_key"/.test(v)) {
          problems.push(`${at}: credential-shaped value`);
        }
      });
      // Environment variables only pass on what the logins produced (or fixed switches).
      for (const [k, v] of Object.entries(
        (doc.values["environmentVariables"] ?? {}) as Record<string, unknown>,
      )) {
        if (!(typeof v === "string" && (/^\$\{[A-Za-z.]+\}$/.test(v) || v === "true"))) {
          problems.push(`environmentVariables.${k}: not a login output`);
        }
      }
      assert.deepEqual(problems, []);
      assert.doesNotMatch(text, /AWS_SECRET_ACCESS_KEY:\s*[A-Za-z0-9/+]{30,}/);
    });
  }
});
