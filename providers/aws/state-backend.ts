/**
 * AWS half of the Pulumi state backend (components/state-backend.ts): the state store is an S3 bucket
 * (providers/aws/storage.ts) and the secrets provider a dedicated KMS key with its alias.
 *
 * - `pulumi login s3://<bucket>?region=<region>&awssdk=v2`
 * - `--secrets-provider awskms://alias/<alias>?region=<region>&awssdk=v2`
 *   (https://www.pulumi.com/docs/iac/concepts/state-and-backends/,
 *   https://www.pulumi.com/docs/iac/concepts/secrets/#aws-key-management-service-kms)
 *
 * S3 Object Lock (production) works with the backend: the CLI overwrites checkpoints (a new version) and
 * deletes lock files without a version id (a delete marker), neither of which a retention blocks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StateBackendImplementation } from "../../components/state-backend";
import { kmsKey, siteAccountId } from "./keys";
import { kmsAliasName } from "./names";

export const stateBackend: StateBackendImplementation<"aws"> = {
  storageArgs: () => ({}),
  secretsKey(name, ctx, _keys, parent) {
    const opts = { parent };
    const aliasName = kmsAliasName(ctx, "pulumi-secrets");
    const key = kmsKey(
      name,
      {
        description: `${ctx.stack.environment} Pulumi secrets provider key`,
        region: ctx.site.region,
        accountId: siteAccountId(ctx, opts),
        aliasName,
        production: ctx.production,
        cloudWatchLogs: false,
      },
      opts,
    );
    return {
      keyId: key.arn,
      secretsProvider: pulumi.output(`awskms://${aliasName}?region=${ctx.site.region}&awssdk=v2`),
    };
  },
  loginUrl: (ctx, store) => pulumi.interpolate`s3://${store.storeName}?region=${ctx.site.region}&awssdk=v2`,
};
