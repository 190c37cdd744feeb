import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { sigKey } from "../tools/harness";
import type { Plan } from "../tools/harness";
import { planFor, planOf, root } from "./helpers";
import { matrix } from "./matrix";

/** Leaf paths of an outputs object, with `sites.<role>` folded (arrays are leaves). */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  if (sigKey in (value as Record<string, unknown>)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leafPaths(v, prefix === "" ? k : `${prefix}.${k}`),
  );
}

function folded(paths: string[]): string[] {
  return [
    ...new Set(paths.map((p) => p.replace(/^(sites|interconnect)\.(primary|secondary)\./, "$1.<role>."))),
  ].sort();
}

/** The output paths the README's "Stack outputs" table documents. */
function documentedPaths(): string[] {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Stack outputs"));
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!).sort();
}

/** The shape tests read (components/outputs.ts SiteStackOutputs, resolved). */
interface SiteOut {
  role: string;
  cloud: string;
  region: string;
  network: { subnetIds: Record<string, string[]> };
  database: { host: string; port: number; auth: { method: string } };
  objectStore: { name: string; endpoint: string };
}

const custom = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);

describe("stack outputs (the API for StackReference)", () => {
  it("every matrix stack exports only documented outputs, and together they export all of them", async () => {
    const documented = documentedPaths();
    assert.ok(documented.length > 20, "the README table lists the outputs");
    const seen = new Set<string>();
    for (const stack of matrix) {
      const plan = await planFor(stack.name, stack.file);
      assert.ok(plan.outputs, `${stack.name} has outputs`);
      const sites = plan.outputs.sites as Record<string, unknown>;
      assert.deepEqual(Object.keys(sites).sort(), stack.secondary ? ["primary", "secondary"] : ["primary"]);
      const paths = folded(leafPaths(plan.outputs));
      assert.deepEqual(
        paths.filter((p) => !documented.includes(p)),
        [],
        `${stack.name}: outputs missing from the README table`,
      );
      // Two-site stacks have the interconnect; single-site stacks have neither it nor a secondary.
      assert.equal(
        paths.some((p) => p.startsWith("interconnect.")),
        stack.secondary !== undefined,
        stack.name,
      );
      paths.forEach((p) => seen.add(p));
    }
    assert.deepEqual(
      documented.filter((p) => !seen.has(p)),
      [],
      "documented outputs no stack exports",
    );
  });

  it("values come from the resources the plan creates (cloud, region, subnets, database, store)", async () => {
    for (const stackName of ["dev", "prod"]) {
      const plan = await planOf(stackName);
      const sites = plan.outputs!.sites as Record<string, SiteOut>;
      for (const role of Object.keys(sites)) {
        const site = sites[role]!;
        const configured = JSON.parse(plan.config[`platform:${role}`]!) as { cloud: string; region: string };
        assert.equal(site.cloud, configured.cloud);
        assert.equal(site.region, configured.region);
        assert.equal(site.role, role);
        const subnetIds = new Set(
          plan.resources
            .filter((r) =>
              [
                "aws:ec2/subnet:Subnet",
                "azure-native:network:Subnet",
                "gcp:compute/subnetwork:Subnetwork",
              ].includes(r.type),
            )
            .map((r) => r.id),
        );
        for (const tier of ["public", "private", "data"]) {
          const ids = site.network.subnetIds[tier] ?? [];
          assert.ok(ids.length >= 1, `${stackName} ${role} ${tier} subnets`);
          for (const id of ids)
            assert.ok(subnetIds.has(id) || id.includes("/subnets/"), `${id} is a planned subnet`);
        }
        assert.equal(site.database.port, 5432);
        assert.match(site.database.host, /\S+/);
        assert.ok(["secrets-manager", "entra-id", "cloud-sql-iam"].includes(site.database.auth.method));
        assert.match(site.objectStore.endpoint, /^https:\/\//);
      }
    }
    const prod = await planOf("prod");
    const storeName = (prod.outputs!.sites as Record<string, SiteOut>).primary!.objectStore.name;
    assert.ok(
      custom(prod, "aws:s3/bucket:Bucket").some((b) => b.outputs.bucket === storeName),
      `${storeName} is a planned bucket`,
    );
  });

  it("cluster and registry: planned ids, the catalog version, a secret exec kubeconfig, the registry URL", async () => {
    interface ClusterOut {
      cluster: {
        name: string;
        id: string;
        endpoint: string;
        version: string;
        oidcIssuer: string;
        namespaces: string[];
      };
      registry: { id: string; url: string };
    }
    const clusterTypes = {
      aws: [
        "aws:eks/cluster:Cluster",
        "aws:ecr/repository:Repository",
        /\.dkr\.ecr\.us-east-1\.amazonaws\.com\//,
      ],
      azure: [
        "azure-native:containerservice:ManagedCluster",
        "azure-native:containerregistry:Registry",
        /\.azurecr\.io/,
      ],
    } as const;
    const prod = await planOf("prod");
    const sites = prod.outputs!.sites as Record<string, ClusterOut & { cloud: "aws" | "azure" }>;
    for (const site of Object.values(sites)) {
      const [clusterType, registryType, url] = clusterTypes[site.cloud];
      const clusters = custom(prod, clusterType);
      assert.ok(
        clusters.some((c) => [c.id, c.outputs.id, c.outputs.arn].map(String).includes(site.cluster.id)),
        `${site.cloud}: ${site.cluster.id} is a planned cluster`,
      );
      const registries = custom(prod, registryType);
      assert.ok(
        registries.some((r) => [r.id, r.outputs.id, r.outputs.arn].map(String).includes(site.registry.id)),
        `${site.cloud}: ${site.registry.id} is a planned registry`,
      );
      assert.match(site.registry.url, url);
      assert.equal(site.cluster.version, "1.33");
      assert.deepEqual(site.cluster.namespaces, ["apps", "platform-system"]);
    }
    // The kubeconfigs are one secret output of their own (the plan records it with the wire's secret
    // marker); `sites` stays plain.
    const kubeconfigs = prod.outputs!.kubeconfigs as Record<string, unknown>;
    assert.ok(sigKey in kubeconfigs, "kubeconfigs is a secret output");
    assert.ok(!(sigKey in (prod.outputs!.sites as Record<string, unknown>)), "sites is not a secret");
  });

  it("file storage and backups: ids of planned resources, NFS version, what is in the vault", async () => {
    interface FileOut {
      fileStorage: { id: string; mountTarget: string; nfsVersion: string; vaultedBackup: boolean };
      backup: {
        vaultId: string;
        copyVaultId: string | null;
        retentionDays: number;
        immutableLocked: boolean;
        restoreTesting: boolean;
      };
    }
    const ids = (plan: Plan, type: string) =>
      new Set(custom(plan, type).flatMap((r) => [r.id, r.outputs.id, r.outputs.arn].map(String)));
    const prod = await planOf("prod");
    const sites = prod.outputs!.sites as Record<string, FileOut>;
    // prod: AWS primary (locked vault, copy vault, restore testing), Azure secondary (NFS share not vaulted).
    const aws = sites.primary!;
    assert.ok(ids(prod, "aws:efs/fileSystem:FileSystem").has(aws.fileStorage.id));
    assert.match(aws.fileStorage.mountTarget, /^fs-[0-9a-f]+\.efs\.us-east-1\.amazonaws\.com:\//);
    assert.deepEqual(
      [aws.fileStorage.nfsVersion, aws.fileStorage.vaultedBackup, aws.backup.retentionDays],
      ["4.1", true, 35],
    );
    assert.ok(ids(prod, "aws:backup/vault:Vault").has(aws.backup.vaultId));
    assert.ok(
      aws.backup.copyVaultId !== null && ids(prod, "aws:backup/vault:Vault").has(aws.backup.copyVaultId),
    );
    assert.deepEqual([aws.backup.immutableLocked, aws.backup.restoreTesting], [true, true]);
    const azure = sites.secondary!;
    assert.ok(ids(prod, "azure-native:storage:StorageAccount").has(azure.fileStorage.id));
    assert.match(azure.fileStorage.mountTarget, /\.file\.core\.windows\.net:\/.+\/data$/);
    assert.equal(azure.fileStorage.vaultedBackup, false, "Azure Backup does not back up NFS shares");
    assert.ok(ids(prod, "azure-native:dataprotection:BackupVault").has(azure.backup.vaultId));
    assert.deepEqual([azure.backup.copyVaultId, azure.backup.restoreTesting], [null, false]);
    // dev: GCP primary on Basic HDD (NFSv3, outside Backup and DR); prod-gcp: Regional, in the vault.
    const dev = await planOf("dev");
    const basic = (dev.outputs!.sites as Record<string, FileOut>).primary!;
    assert.deepEqual([basic.fileStorage.nfsVersion, basic.fileStorage.vaultedBackup], ["3", false]);
    assert.match(basic.fileStorage.mountTarget, /^\d+\.\d+\.\d+\.\d+:\/data$/);
    assert.ok(ids(dev, "gcp:filestore/instance:Instance").has(basic.fileStorage.id));
    assert.ok(ids(dev, "gcp:backupdisasterrecovery/backupVault:BackupVault").has(basic.backup.vaultId));
    const prodGcp = await planOf("prod-gcp", "Pulumi.prod-gcp.yaml");
    const regional = (prodGcp.outputs!.sites as Record<string, FileOut>).primary!;
    assert.deepEqual([regional.fileStorage.nfsVersion, regional.fileStorage.vaultedBackup], ["4.1", true]);
  });

  it("holds no secret and no credential in clear", async () => {
    for (const stack of matrix) {
      const plan = await planFor(stack.name, stack.file);
      // The kubeconfigs are the one secret output (exec authentication: they hold no credential either).
      const { kubeconfigs, ...rest } = plan.outputs!;
      assert.ok(sigKey in (kubeconfigs as Record<string, unknown>), `${stack.name}: kubeconfigs is secret`);
      const text = JSON.stringify(rest);
      assert.ok(!text.includes(sigKey), `${stack.name}: no other secret-typed output`);
      assert.doesNotMatch(JSON.stringify(kubeconfigs), /password|BEGIN [A-Z ]*PRIVATE KEY|client-key-data/i);
      assert.doesNotMatch(text, /password|BEGIN [A-Z ]*PRIVATE KEY|AccountKey=/i);
    }
  });
});
