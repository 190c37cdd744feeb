import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "@pulumi/aws/s3";
import { Provider } from "@pulumi/aws/provider";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getAmiOutput } from "@pulumi/aws/ec2/getAmi";
import { tagPropertyOf, tagsAt } from "../components/tags";
import { runProgram, secretSig, sigKey } from "../tools/harness";
import type { Plan, PlanResource } from "../tools/harness";
import { byType, joiningComponentOf, planFor, siteOf, stacks } from "./helpers";

/** Stack-level components that join the two sites (their children use either site's provider). */
const stackComponents = new Set(["platform:replication:Replication"]);

function underStackComponent(plan: Plan, r: PlanResource): boolean {
  const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
  for (let c: PlanResource | undefined = r; c; c = byUrn.get(c.parent)) {
    if (stackComponents.has(c.type)) return true;
  }
  return false;
}

/** The site whose provider a resource uses. */
function siteOfProvider(plan: Plan, r: PlanResource): string | undefined {
  const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
  const provider = plan.resources.find((p) => p.urn === providerUrn);
  if (!provider) return undefined;
  // Stack-level components (the DNS failover) name their providers `<role>-<purpose>` after the site
  // whose account they deploy into.
  return siteOf(plan, provider) ?? /^(primary|secondary)-/.exec(provider.name)?.[1];
}

const requiredTagKeys = [
  "environment",
  "owner",
  "cost-center",
  "data-classification",
  "managed-by",
  "site-role",
];

describe("the program under the mock harness", () => {
  for (const { name, file } of stacks) {
    describe(`stack ${name}`, () => {
      it("registers a Site per role, each with one explicit provider pinned to its config", async () => {
        const plan = await planFor(name, file);
        const sites = byType(plan, "platform:site:Site");
        assert.deepEqual(sites.map((s) => s.name).sort(), ["primary", "secondary"]);
        const cloudProviderTypes = ["aws", "azure-native", "gcp"].map((p) => `pulumi:providers:${p}`);
        // Each site's own provider is a direct child of the Site and is named by the role; components
        // may add providers for other regions (e.g. the storage replica), named `<role>-<purpose>`.
        const providers = plan.resources.filter(
          (r) =>
            cloudProviderTypes.includes(r.type) &&
            plan.resources.find((s) => s.urn === r.parent)?.type === "platform:site:Site",
        );
        assert.equal(providers.length, 2, "one cloud provider per site");
        // Stack-level components (the DNS failover) name their providers by purpose: no site owns them.
        for (const extra of plan.resources.filter(
          (r) =>
            cloudProviderTypes.includes(r.type) && !providers.includes(r) && siteOf(plan, r) !== undefined,
        )) {
          assert.match(
            extra.name,
            new RegExp(`^${siteOf(plan, extra)}-`),
            `${extra.urn} is named after its site role`,
          );
        }
        for (const p of providers) {
          const role = siteOf(plan, p);
          assert.equal(p.name, role, "a site's provider is named by its role");
          const site = JSON.parse(plan.config[`platform:${role}`]!) as Record<string, string>;
          switch (p.type) {
            case "pulumi:providers:aws":
              assert.equal(p.inputs.region, site.region);
              // Bridged providers receive non-string settings as JSON text.
              assert.deepEqual(JSON.parse(String(p.inputs.allowedAccountIds)), [site.accountId]);
              break;
            case "pulumi:providers:azure-native":
              assert.equal(p.inputs.subscriptionId, site.subscriptionId);
              assert.equal(p.inputs.tenantId, site.tenantId);
              assert.equal(p.inputs.location, site.region);
              break;
            case "pulumi:providers:gcp":
              assert.equal(p.inputs.project, site.project);
              assert.equal(p.inputs.region, site.region);
              break;
            default:
              assert.fail(`unexpected provider ${p.type}`);
          }
        }
      });

      it("gives every custom resource an explicit provider of its own site", async () => {
        const plan = await planFor(name, file);
        const custom = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.ok(custom.length > 0);
        for (const r of custom) {
          assert.notEqual(r.provider, "", `${r.urn} has no provider`);
          const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
          const provider = plan.resources.find((p) => p.urn === providerUrn);
          assert.ok(provider, `${r.urn}: provider ${providerUrn} is not in the plan`);
          if (underStackComponent(plan, r)) {
            // Components joining the sites use each site's provider (or their own random provider).
            assert.ok(
              siteOf(plan, provider) !== undefined || provider.type === "pulumi:providers:random",
              `${r.urn} uses a provider of no site`,
            );
          } else {
            assert.equal(siteOf(plan, provider), siteOf(plan, r), `${r.urn} uses another site's provider`);
          }
        }
      });

      it("puts every resource but the stack under a Site or a stack-level component joining the sites", async () => {
        const plan = await planFor(name, file);
        for (const r of plan.resources) {
          if (r.type === "pulumi:pulumi:Stack") continue;
          if (underStackComponent(plan, r)) continue;
          if (r.type === "pulumi:providers:random" && r.name === "replication-random") continue;
          assert.ok(siteOf(plan, r) ?? joiningComponentOf(plan, r), `${r.urn} is not under a Site`);
        }
      });

      it("tags every taggable resource with the required tags and its site role", async () => {
        const plan = await planFor(name, file);
        const taggable = plan.resources.filter((r) => r.custom && tagPropertyOf(r.type));
        assert.ok(taggable.length > 0);
        for (const r of taggable) {
          const tags = tagsAt(r.inputs, tagPropertyOf(r.type)!) as Record<string, string> | undefined;
          assert.ok(tags, `${r.urn} has no ${tagPropertyOf(r.type)}`);
          assert.deepEqual(
            requiredTagKeys.filter((k) => !(k in tags)),
            [],
            `${r.urn} lacks required tags`,
          );
          assert.equal(tags["site-role"], siteOf(plan, r) ?? siteOfProvider(plan, r));
          assert.equal(tags.environment, plan.config["platform:environment"]);
          assert.equal(tags["managed-by"], "pulumi");
        }
      });

      it("creates customer-managed keys with rotation on each site", async () => {
        const plan = await planFor(name, file);
        const production = plan.config["platform:production"] === "true";
        for (const key of byType(plan, "aws:kms/key:Key")) {
          assert.equal(key.inputs.enableKeyRotation, true);
          assert.equal(key.inputs.deletionWindowInDays, 30);
          const policy = JSON.parse(String(key.inputs.policy)) as {
            Statement: { Principal: { AWS?: string } }[];
          };
          assert.match(String(policy.Statement[0]!.Principal.AWS), /^arn:aws:iam::\d{12}:root$/);
          assert.equal(key.protect, production);
        }
        for (const vault of byType(plan, "azure-native:keyvault:Vault")) {
          const p = vault.inputs.properties as Record<string, unknown>;
          assert.equal(p.enablePurgeProtection, true);
          assert.equal(p.enableRbacAuthorization, true);
          assert.equal(p.enableSoftDelete, true);
          assert.deepEqual(p.sku, { family: "A", name: production ? "premium" : "standard" });
          assert.equal(p.publicNetworkAccess, production ? "Disabled" : "Enabled");
          assert.equal(vault.protect, production);
        }
        for (const key of byType(plan, "azure-native:keyvault:Key")) {
          const p = key.inputs.properties as Record<string, unknown>;
          assert.equal(p.kty, production ? "RSA-HSM" : "RSA");
          assert.ok((p.rotationPolicy as { lifetimeActions: unknown[] }).lifetimeActions.length >= 1);
        }
        for (const key of byType(plan, "gcp:kms/cryptoKey:CryptoKey")) {
          assert.equal(key.inputs.rotationPeriod, "7776000s");
          assert.deepEqual(key.inputs.versionTemplate, {
            algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION",
            protectionLevel: production ? "HSM" : "SOFTWARE",
          });
          assert.equal(key.protect, production);
        }
        const keyTypes = ["aws:kms/key:Key", "azure-native:keyvault:Key", "gcp:kms/cryptoKey:CryptoKey"];
        const siteKeys = byType(plan, "platform:security:SiteKeys");
        assert.equal(siteKeys.length, 2, "one SiteKeys per site");
        for (const component of siteKeys) {
          const keys = plan.resources.filter((r) => r.parent === component.urn && keyTypes.includes(r.type));
          assert.equal(keys.length, 1, `${component.name} holds one key`);
        }
      });

      it("records realistic computed ids (ARNs, Azure ids, GCP key paths)", async () => {
        const plan = await planFor(name, file);
        for (const r of byType(plan, "aws:kms/key:Key")) {
          assert.match(String(r.outputs.arn), /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/);
        }
        for (const r of byType(plan, "azure-native:keyvault:Vault")) {
          assert.match(
            r.id,
            /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\//,
          );
        }
        for (const r of byType(plan, "gcp:kms/cryptoKey:CryptoKey")) {
          assert.match(
            r.id,
            /^projects\/[a-z0-9-]+\/locations\/[a-z0-9-]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
          );
        }
      });
    });
  }
});

describe("the mock harness plays the engine", () => {
  it("refuses a custom resource without an explicit provider (default providers are disabled)", async () => {
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        new Bucket("orphan", {});
      },
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.errors.some((e) => /Default provider for 'aws' disabled.*orphan/.test(e)));
  });

  it("rejects an invoke it has no answer for, naming the token", async () => {
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        const provider = new Provider("p", { region: "eu-west-1" });
        // getRegion is answered; getAmi is not.
        getRegionOutput({}, { provider });
        getAmiOutput({ owners: ["amazon"], mostRecent: true }, { provider });
      },
    });
    assert.equal(result.ok, false);
    assert.ok(
      !result.ok && result.errors.some((e) => e.includes("no answer for invoke 'aws:ec2/getAmi:getAmi'")),
    );
  });

  it("keeps secret inputs secret in the plan and records options", async () => {
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        const provider = new Provider("p", { region: "eu-west-1" });
        new Bucket(
          "b",
          { bucket: "b", tags: { token: pulumi.secret("hunter2-plaintext") } },
          { provider, protect: true, retainOnDelete: true },
        );
      },
    });
    assert.ok(result.ok, !result.ok ? result.errors.join("\n") : "");
    const bucket = result.plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    assert.deepEqual(bucket.inputs.tags, { [sigKey]: secretSig });
    assert.equal(JSON.stringify(result.plan).includes("hunter2-plaintext"), false);
    assert.equal(bucket.protect, true);
    assert.equal(bucket.retainOnDelete, true);
    assert.match(
      bucket.provider,
      /^urn:pulumi:dev::platform::pulumi:pulumi:Stack\$pulumi:providers:aws::p::provider-p$/,
    );
  });
});
