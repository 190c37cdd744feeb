import * as pulumi from "@pulumi/pulumi";
import { LifecyclePolicy } from "@pulumi/aws/ecr/lifecyclePolicy";
import { Repository } from "@pulumi/aws/ecr/repository";
import { RepositoryPolicy } from "@pulumi/aws/ecr/repositoryPolicy";
import type { RegistryBuildInputs, RegistryOutputs } from "../../components/cluster";
import type { SiteContext } from "../../components/context";
import { statefulOptions } from "../../components/context";
import { ecrRepositoryName } from "./names";

/** What pulling an image takes (the actions of `AmazonEC2ContainerRegistryPullOnly` on a repository). */
export const ecrPullActions = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
] as const;

/** Untagged images (layers of superseded pushes) are deleted this many days after they were pushed. */
export const untaggedImageDays = 14;

/**
 * The repository policy: the cluster's node role may pull, and every other principal is denied the two
 * actions that download an image (`BatchGetImage`, `GetDownloadUrlForLayer`). Within one account an Allow
 * in an identity policy is enough to pull, so the Deny is what makes the node role the only puller;
 * `BatchCheckLayerAvailability` stays open because `docker push` uses it too.
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html)
 */
export function ecrPullPolicy(nodeRoleArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ClusterNodesPull",
        Effect: "Allow",
        Principal: { AWS: nodeRoleArn },
        Action: [...ecrPullActions],
      },
      {
        Sid: "NobodyElsePulls",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": nodeRoleArn } },
      },
    ],
  });
}

/** The lifecycle policy: untagged images expire {@link untaggedImageDays} days after push. */
export function ecrLifecyclePolicy(): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedImageDays} days after push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedImageDays,
        },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * Amazon ECR: one private repository per site for the platform's images (`<env>-<role>/apps`):
 *
 * - tags are immutable (`IMMUTABLE`: a pushed tag can never point at another image);
 * - encrypted with the site key (`encryptionType: KMS`; ECR holds a grant on the key and decrypts for
 *   pullers, who need no KMS permission of their own);
 * - basic scanning on push (`scanOnPush`). Enhanced scanning (Amazon Inspector, continuous) is a
 *   registry-level setting (`aws.ecr.RegistryScanningConfiguration`) that applies to every repository of
 *   the account in the region, so two stacks of one account would fight over it: it belongs to the
 *   account's baseline, not to a site. When it is on, it replaces the repository's basic scanning;
 * - untagged images expire after {@link untaggedImageDays} days;
 * - pull for the cluster's node role only ({@link ecrPullPolicy});
 * - `forceDelete` only outside production; in production the repository is `protect`ed.
 *
 * `registryUrl` is `<account>.dkr.ecr.<region>.amazonaws.com/<repository>`.
 */
export function registry(
  name: string,
  ctx: SiteContext<"aws">,
  inputs: RegistryBuildInputs<"aws">,
): RegistryOutputs {
  const { keys, pullIdentity, deletionProtection, parent } = inputs;
  const opts: pulumi.CustomResourceOptions = { parent };
  const repositoryName = ecrRepositoryName(ctx, "apps");

  const repository = new Repository(
    `${name}-ecr`,
    {
      name: repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keys.keyArn }],
      forceDelete: !deletionProtection,
    },
    statefulOptions(ctx, opts),
  );
  new LifecyclePolicy(
    `${name}-ecr-lifecycle`,
    { repository: repository.name, policy: ecrLifecyclePolicy() },
    opts,
  );
  new RepositoryPolicy(
    `${name}-ecr-policy`,
    { repository: repository.name, policy: pullIdentity.apply(ecrPullPolicy) },
    opts,
  );

  return {
    registryId: repository.arn,
    registryUrl: pulumi.interpolate`${ctx.site.accountId}.dkr.ecr.${ctx.site.region}.amazonaws.com/${repository.name}`,
  };
}
