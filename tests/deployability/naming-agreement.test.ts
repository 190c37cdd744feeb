/**
 * The program's naming helper (components/naming.ts) and the deployability pack's name rules agree: every
 * name `fitName`/`uniqueName` can produce for a kind is one the cloud accepts for each type named with
 * that kind, and each kind's declared limits sit within the cloud's. (Tests may import both; the pack
 * itself imports no program code.)
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { fitName, nameProblem, nameRules, uniqueSuffixLength, type NameKind } from "../../components/naming";
import { nameProblems, type NameSpec } from "../../policies/deployability/lib/names";
import { awsNameSpecs } from "../../policies/deployability/rules/enforce-aws-name-rules";
import { azureNameSpecs } from "../../policies/deployability/rules/enforce-azure-name-rules";
import { gcpNameSpecs } from "../../policies/deployability/rules/enforce-gcp-name-rules";

/** The cloud specs each program kind names resources for. */
const specsOf: Partial<Record<NameKind, readonly NameSpec[]>> = {
  s3Bucket: [awsNameSpecs.s3],
  awsBudget: [awsNameSpecs.budget],
  azureBudget: [azureNameSpecs.consumptionBudget],
  gcpBudget: [gcpNameSpecs.billingBudget],
  elasticacheId: [
    awsNameSpecs.elasticacheReplicationGroup,
    awsNameSpecs.elasticacheSubnetGroup,
    awsNameSpecs.elasticacheParameterGroup,
  ],
  azureRedis: [azureNameSpecs.managedRedis],
  awsBackupName: [awsNameSpecs.backupVault, awsNameSpecs.backupPlan, awsNameSpecs.backupSelection],
  awsRestoreTestingName: [awsNameSpecs.restoreTestingPlan, awsNameSpecs.restoreTestingSelection],
  azureBackupVault: [azureNameSpecs.backupVault],
  gcpRedisInstance: [gcpNameSpecs.memorystoreInstance],
  gcpFilestoreInstance: [gcpNameSpecs.filestoreInstance],
  rdsIdentifier: [
    awsNameSpecs.rdsInstance,
    awsNameSpecs.rdsSnapshot,
    awsNameSpecs.rdsParameterGroup,
    awsNameSpecs.rdsSubnetGroup,
  ],
  iamRole: [awsNameSpecs.iamRole, awsNameSpecs.iamPolicy],
  azureStorageAccount: [azureNameSpecs.storageAccount],
  azureKeyVault: [azureNameSpecs.keyVault],
  azurePostgresServer: [azureNameSpecs.postgresServer],
  azureLogAnalytics: [azureNameSpecs.logAnalytics],
  azureDataFactory: [azureNameSpecs.dataFactory],
  azureName: [azureNameSpecs.resourceGroup],
  azureActionGroupShortName: [azureNameSpecs.actionGroupShortName],
  gcpName: [
    gcpNameSpecs.network,
    gcpNameSpecs.subnetwork,
    gcpNameSpecs.firewall,
    gcpNameSpecs.router,
    gcpNameSpecs.routerNat,
    gcpNameSpecs.route,
    gcpNameSpecs.globalAddress,
    gcpNameSpecs.dnsZone,
    gcpNameSpecs.backupVault,
    gcpNameSpecs.backupPlan,
    gcpNameSpecs.backupPlanAssociation,
  ],
  gcpSqlInstance: [gcpNameSpecs.cloudSqlInstance],
  gkeName: [gcpNameSpecs.gkeCluster, gcpNameSpecs.gkeNodePool],
  artifactRegistryRepository: [gcpNameSpecs.artifactRegistryRepository],
  gcsBucket: [gcpNameSpecs.gcsBucket],
  gcpKms: [gcpNameSpecs.kmsKeyRing, gcpNameSpecs.kmsKey],
  gcpServiceAccount: [gcpNameSpecs.serviceAccount],
  gcpLogging: [gcpNameSpecs.loggingBucket, gcpNameSpecs.loggingSink],
};

/** Kinds without a deployability spec, and why. */
const unchecked: Partial<Record<NameKind, string>> = {
  awsName:
    "SNS topics, alarms, security groups: limits of 255-256 far above the kind's 128 (CloudTrail trail names, 3-128 with no adjacent '-', are checked by the pack's cloudTrail spec)",
};

const kinds = Object.keys(nameRules) as NameKind[];
const part = fc.string({ unit: fc.constantFrom(..."abcXYZ019-_. ".split("")), minLength: 0, maxLength: 40 });
const suffix = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split("")),
  minLength: uniqueSuffixLength,
  maxLength: uniqueSuffixLength,
});

describe("the program's naming helper agrees with the deployability pack's name rules", () => {
  it("maps every kind of components/naming.ts to the cloud rules it names resources for", () => {
    assert.deepEqual(
      kinds.filter((k) => !specsOf[k] && !unchecked[k]),
      [],
      "a kind of nameRules has no deployability spec: add it to the pack (and here)",
    );
  });

  for (const kind of kinds) {
    const specs = specsOf[kind];
    if (!specs) continue;
    it(`${kind}: the kind's limits sit within the cloud's`, () => {
      for (const spec of specs) {
        assert.ok(
          nameRules[kind].maxLength <= spec.maxLength,
          `${kind} maxLength ${nameRules[kind].maxLength} > ${spec.what} ${spec.maxLength}`,
        );
        assert.ok(nameRules[kind].minLength >= spec.minLength, `${kind} minLength below ${spec.what}`);
      }
    });

    it(`${kind}: every name fitName produces (with and without a random suffix) is accepted by the cloud`, () => {
      fc.assert(
        fc.property(
          fc.array(part, { minLength: 1, maxLength: 4 }),
          fc.option(suffix, { nil: undefined }),
          (parts, tail) => {
            let name: string;
            try {
              name = fitName(kind, parts, tail);
            } catch {
              fc.pre(false);
              return;
            }
            assert.equal(nameProblem(kind, name), undefined);
            for (const spec of specs) {
              if (spec.requiredPrefix !== undefined) continue;
              assert.deepEqual(nameProblems(spec, name), [], `${spec.what}: '${name}'`);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it("the issue's examples: a 16-character environment and 'a--b' give Key Vault names Azure accepts", () => {
    for (const env of ["abcdefghijklmnop", "a--b"]) {
      const name = fitName("azureKeyVault", ["kv", env, "sec"], "x1y2z3");
      assert.deepEqual(nameProblems(azureNameSpecs.keyVault, name), [], name);
    }
    // ...and the pack refuses the names the old helper produced.
    assert.notDeepEqual(nameProblems(azureNameSpecs.keyVault, "kv-abcdefghijklmnop-sec-"), []);
    assert.notDeepEqual(nameProblems(azureNameSpecs.keyVault, "kv-a--b-sec"), []);
  });
});
