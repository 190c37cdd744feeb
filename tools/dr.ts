/**
 * `npm run dr -- --stack <name> [--config <Pulumi.<stack>.yaml>] [--out <file>]`
 *
 * Writes the stack's disaster-recovery runbook (markdown) from the same model the program and the
 * config schema use (components/recovery.ts): what is replicated where and how often, the declared and
 * the deliverable RPO/RTO, the promotion steps for this pair of clouds with their CLI commands, how to
 * fail back, and a drill checklist. Default output: `dr/<stack>.md`. Exit 1 on a config problem or a
 * stack without a secondary site, 2 on a usage error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseStackConfig, rawConfigObject } from "../components/config";
import { baseRtoMinutes, recoveryPlan, type RecoveryPlan, type RecoveryStep } from "../components/recovery";
import { fitName } from "../components/naming";
import type { Cloud } from "../components/regions";
import type { SiteRole } from "../components/config";
import type { CrossSiteAccess } from "../components/network";
import { crossSiteAccess } from "../components/cross-site";
import { loadStackConfig } from "./harness";
import { repoRoot } from "./paths";

const cloudName: Record<Cloud, string> = { aws: "AWS", azure: "Azure", gcp: "Google Cloud" };

/** Steps every failover to the secondary takes, whatever replicates: traffic and capacity. */
function trafficSteps(plan: RecoveryPlan): RecoveryStep[] {
  const s = plan.pair.secondary;
  const env = plan.pair.environment;
  const scale: Record<Cloud, string[]> = {
    aws: [
      `aws autoscaling update-auto-scaling-group --region ${s.region} --auto-scaling-group-name <${env}-secondary-app> --min-size <n> --desired-capacity <n>`,
    ],
    azure: [
      `az vmss scale --resource-group <rg-${env}-secondary-${s.region}> --name <${env}-secondary-app> --new-capacity <n>`,
    ],
    gcp: [
      `gcloud compute instance-groups managed resize <${env}-secondary-app> --region ${s.region} --size <n>`,
    ],
  };
  return [
    {
      title:
        "Declare the disaster: record the time (the RTO clock starts) and freeze deployments to the primary",
      commands: [],
    },
    {
      title: `Scale the ${cloudName[s.cloud]} secondary to production capacity`,
      commands: scale[s.cloud],
    },
    {
      title: "Point DNS at the secondary site (records are published with a 60 s TTL)",
      commands: ["<dns-cli> update <service-record> --target <secondary-endpoint> --ttl 60"],
    },
  ];
}

/**
 * The quarterly restore test of one site's vaulted backups. AWS Backup restore testing restores and
 * validates the latest recovery points every week on its own (the drill reads its results); Azure Backup
 * and Backup and DR have no managed restore testing, so the drill restores by hand to a scratch target,
 * verifies, and deletes it. File shares: EFS and Filestore Zonal/Regional/Enterprise are in the vault;
 * Azure NFS shares are not (Azure Backup does not back them up), so their drill is a copy check.
 */
export function restoreDrill(cloud: Cloud, env: string, role: string, region: string): RecoveryStep[] {
  switch (cloud) {
    case "aws":
      return [
        {
          title: `${role} (AWS): read the weekly AWS Backup restore testing results (the RDS restore is validated and deleted by AWS); restore the latest EFS recovery point to a new file system, mount it from the private tier, compare a sample, delete it`,
          commands: [
            `aws backup list-restore-testing-plans --region ${region}`,
            `aws backup list-restore-jobs --region ${region} --by-restore-testing-plan-arn <restore-testing-plan-arn of ${fitName("awsRestoreTestingName", [env, role, "restore", "test"])}>`,
            `aws backup list-recovery-points-by-backup-vault --region ${region} --backup-vault-name ${fitName("awsBackupName", [env, role, "vault"])}`,
          ],
        },
      ];
    case "azure": {
      const vault = fitName("azureBackupVault", ["bv", env, role]);
      const rg = `rg-${env}-${role}-${region}`;
      return [
        {
          title: `${role} (Azure): Azure Backup has no managed restore testing: restore the PostgreSQL backup instance's latest vaulted recovery point as files to a scratch container, load it into a scratch server, run the application's checks, delete both; restore the blob backup instance to an alternate container the same way. The NFS share is not in any vault (Azure Backup does not back up NFS shares): check that its soft delete is on and copy a sample out`,
          commands: [
            `az dataprotection recovery-point list --resource-group ${rg} --vault-name ${vault} --backup-instance-name ${fitName("azureName", ["bi", env, role, "postgres"])}`,
            `az dataprotection backup-instance restore initialize-for-data-recovery-as-files --datasource-type AzureDatabaseForPostgreSQLFlexibleServer --restore-location ${region} --source-datastore VaultStore --recovery-point-id <latest> --target-blob-container-url <scratch-container-url> --target-file-name restore-drill > restore.json`,
            `az dataprotection backup-instance restore trigger --resource-group ${rg} --vault-name ${vault} --backup-instance-name ${fitName("azureName", ["bi", env, role, "postgres"])} --restore-request-object restore.json`,
          ],
        },
      ];
    }
    case "gcp": {
      const vault = fitName("gcpName", [env, role, "backup-vault"]);
      return [
        {
          title: `${role} (Google Cloud): Backup and DR has no managed restore testing: restore the Cloud SQL instance's latest vaulted backup to a scratch instance (and, for Zonal/Regional/Enterprise Filestore, the latest file share backup to a new instance), run the application's checks, delete them. Basic tier Filestore instances have no scheduled backup to restore`,
          commands: [
            `gcloud backup-dr data-sources list --backup-vault=${vault} --location=${region}`,
            `gcloud backup-dr backups list --backup-vault=${vault} --data-source=<data-source> --location=${region}`,
          ],
        },
      ];
    }
  }
}

function steps(list: readonly RecoveryStep[], start = 1): string[] {
  const out: string[] = [];
  list.forEach((step, i) => {
    out.push(`${start + i}. ${step.title}`);
    if (step.commands.length > 0) {
      out.push("", "   ```sh", ...step.commands.map((c) => `   ${c}`), "   ```", "");
    }
  });
  return out;
}

/**
 * The PostgreSQL reachability check across the interconnect: each site's database admits the port from the
 * other site's database blocks only (where the replication instance or migration runs; the rules of
 * components/cross-site.ts), so the check runs from a host in those blocks. A timeout means a route,
 * security group/NSG or NACL is missing; a refusal means nothing listens.
 */
export function reachabilityChecks(access: Record<SiteRole, CrossSiteAccess>): string[] {
  return (["primary", "secondary"] as const).flatMap((site) => {
    const peer = site === "primary" ? "secondary" : "primary";
    return access[site].ports.map(
      (port) =>
        `The ${site} database admits ${port} from the ${peer}'s database blocks (${access[site].cidrs.join(", ")}): from a host in one of them (the replication subnet), \`nc -zv -w 5 <${site} database private address> ${port}\` (or \`pg_isready -h <address> -p ${port}\`) connects. A timeout means a route, security group/NSG or NACL is missing; a refusal means nothing listens.`,
    );
  });
}

/** The runbook, as markdown. */
export function renderRunbook(
  plan: RecoveryPlan,
  stack: string,
  access?: Record<SiteRole, CrossSiteAccess>,
): string {
  const { primary, secondary } = plan.pair;
  const o = plan.objectives;
  const lines: string[] = [
    `# Disaster-recovery runbook: stack \`${stack}\``,
    "",
    `Generated by \`npm run dr -- --stack ${stack}\` from components/recovery.ts (the model the program and the config schema use). Do not edit by hand.`,
    "",
    `- Primary: **${cloudName[primary.cloud]}** (${primary.cloud}) ${primary.region}, ${primary.addressSpace}`,
    `- Secondary: **${cloudName[secondary.cloud]}** (${secondary.cloud}) ${secondary.region}, ${secondary.addressSpace}`,
    "",
    "## Objectives",
    "",
    "| | declared | deliverable |",
    "|---|---|---|",
    `| RPO | ${o ? `${o.rpoMinutes} minutes` : "not declared"} | ${plan.achievableRpoMinutes !== undefined ? `${plan.achievableRpoMinutes} minutes` : "no data mechanism: every row and object written since the last backup copy is lost"} |`,
    `| RTO | ${o ? `${o.rtoMinutes} minutes` : "not declared"} | ${plan.achievableRtoMinutes} minutes (${baseRtoMinutes} to declare and switch DNS, plus each mechanism's switch time) |`,
    "",
    "## What is replicated where",
    "",
    "| mechanism | what | from -> to | services | schedule | RPO | switch time |",
    "|---|---|---|---|---|---|---|",
    ...plan.mechanisms.map((m) => {
      const schedule =
        m.schedule.kind === "interval"
          ? `every ${m.schedule.everyMinutes} min`
          : m.schedule.kind === "continuous"
            ? m.schedule.timeAlarmed
              ? `continuous (lag alarm at ${m.schedule.lagAlarmMinutes} min)`
              : "continuous (no time-based lag alarm; source slot lag alarmed in bytes)"
            : "n/a (path)";
      return `| ${m.title} | ${m.what || "-"} | ${m.from} (${plan.pair[m.from].cloud}) -> ${m.to} (${plan.pair[m.to].cloud}) | ${m.services} | ${schedule} | ${m.rpoMinutes !== undefined ? `${m.rpoMinutes} min` : "-"} | ${m.rtoMinutes} min |`;
    }),
    "",
  ];
  if (!plan.mechanisms.some((m) => m.kind !== "network")) {
    lines.push(
      "> No object or database replication mechanism is registered in components/recovery.ts for this stack: the secondary holds no copy of the primary's data.",
      "",
    );
  }
  lines.push(`## Promotion: ${cloudName[primary.cloud]} -> ${cloudName[secondary.cloud]}`, "");
  const promotion = [
    trafficSteps(plan)[0]!,
    ...plan.mechanisms.flatMap((m) => m.promotion),
    ...trafficSteps(plan).slice(1),
  ];
  lines.push(...steps(promotion), "");
  lines.push(`## Failback: ${cloudName[secondary.cloud]} -> ${cloudName[primary.cloud]}`, "");
  const failback: RecoveryStep[] = [
    {
      title: `Rebuild or recover the ${cloudName[primary.cloud]} primary: \`pulumi up --stack ${stack}\``,
      commands: [`pulumi up --stack ${stack}`],
    },
    ...plan.mechanisms.flatMap((m) => m.failback),
    {
      title:
        "Once the reverse copies have caught up, repeat the promotion steps in the other direction, then restore the original replication direction",
      commands: [],
    },
  ];
  lines.push(...steps(failback), "");
  lines.push("## Drill checklist (quarterly)", "");
  const restores = [
    ...restoreDrill(primary.cloud, plan.pair.environment, "primary", primary.region),
    ...restoreDrill(secondary.cloud, plan.pair.environment, "secondary", secondary.region),
  ];
  const drill = [
    `Run \`npm run dr -- --stack ${stack}\` and review the diff of this runbook.`,
    ...(access ? reachabilityChecks(access) : []),
    ...plan.mechanisms.flatMap((m) => m.drill),
    "Promote the secondary in an isolated copy (restore, do not cut production traffic), time every step and compare with the RTO.",
    "Measure the data lost (last replicated change vs. the primary's newest change) and compare with the RPO.",
    "Record the results and the follow-ups; update the objectives or the mechanisms where a number was missed.",
  ];
  lines.push(...drill.map((d) => `- [ ] ${d}`), "");
  lines.push("### Restore test of each site's vaulted backups", "");
  lines.push(...steps(restores), "");
  const sources = [...new Set(plan.mechanisms.flatMap((m) => m.sources))];
  if (sources.length > 0) lines.push("## Sources", "", ...sources.map((s) => `- ${s}`), "");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; config?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        config: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`dr: ${(err as Error).message}`);
    return 2;
  }
  if (values.help || !values.stack) {
    console.error("usage: npm run dr -- --stack <name> [--config <Pulumi.<stack>.yaml>] [--out <file>]");
    return values.help ? 0 : 2;
  }
  const root = repoRoot();
  let parsed;
  try {
    const loaded = loadStackConfig(
      root,
      values.stack,
      values.config ? path.resolve(values.config) : undefined,
    );
    parsed = parseStackConfig(rawConfigObject(loaded.config));
  } catch (err) {
    console.error(`dr: ${(err as Error).message}`);
    return 1;
  }
  if (!parsed.ok) {
    console.error(new ConfigError(parsed.problems).message);
    return 1;
  }
  const plan = recoveryPlan(parsed.config);
  if (!plan) {
    console.error(`dr: stack '${values.stack}' has no secondary site: there is nothing to fail over to`);
    return 1;
  }
  const out = values.out ?? path.join(root, "dr", `${values.stack}.md`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, renderRunbook(plan, values.stack, crossSiteAccess(parsed.config)));
  console.log(`Runbook for stack '${values.stack}' written to ${out}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
