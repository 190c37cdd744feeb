import { isAzureFileStorageAccount } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, list, lower, str } from "../lib/props";
import { isPrivateIpv4Range, publicAllows, publicNfsRule } from "../lib/file-systems";

export const disallowPublicFileSystems = defineControl({
  id: "disallow-public-file-systems",
  title: "Shared file systems are reachable only from private networks and named principals",
  severity: "critical",
  category: "exposure",
  kind: "security",
  rationale:
    "An NFS export open to the internet or to every principal exposes whole directory trees with no further authentication; file systems must be reachable only from the private tier and, where the service has a resource policy, only by the account's principals (PCI DSS 1.3.1, 7.2.1).",
  remediation: [
    'AWS: no aws.efs.FileSystemPolicy Allow statement for Principal "*" without a Condition; security group rules of mount targets admit 2049 from the private tier\'s security group, never 0.0.0.0/0 or ::/0.',
    'Azure: a FileStorage account sets publicNetworkAccess "Disabled" and networkRuleSet.defaultAction "Deny"; clients reach it through a private endpoint.',
    "GCP: every Filestore fileShares.nfsExportOptions entry lists ipRanges inside private address space (RFC 1918, RFC 6598), never 0.0.0.0/0; an instance without export options admits every address of its network.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.6"],
    iso27001: ["A.8.20", "A.8.22"],
    pciDss: ["1.3.1", "7.2.1"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
  },
  uncertain: [
    "The AWS rule check reads each security group rule on its own: an NFS rule from 0.0.0.0/0 is refused wherever it is attached, whether or not a mount target uses the group.",
  ],
  resources: {
    aws: {
      "aws:efs/fileSystemPolicy:FileSystemPolicy": (props) =>
        publicAllows(get(props, "policy")).map(
          (s) =>
            `policy statement ${str(s["Sid"]) ?? "(no Sid)"} allows Principal "*" with no Condition (anonymous or any account)`,
        ),
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (props) => {
        const p = publicNfsRule(props);
        return p ? [`security group rule ${p}`] : [];
      },
      "aws:ec2/securityGroupRule:SecurityGroupRule": (props) => {
        if (lower(get(props, "type")) !== "ingress") return [];
        const p = publicNfsRule(props);
        return p ? [`security group rule ${p}`] : [];
      },
      "aws:ec2/securityGroup:SecurityGroup": (props) =>
        list(get(props, "ingress"))
          .map((rule, i) => {
            const p = publicNfsRule(rule);
            return p ? `ingress[${i}] ${p}` : undefined;
          })
          .filter((m): m is string => m !== undefined),
    },
    azure: {
      "azure-native:storage:StorageAccount": (props) => {
        if (!isAzureFileStorageAccount(props)) return [];
        const out: string[] = [];
        if (lower(get(props, "publicNetworkAccess")) !== "disabled") {
          out.push(
            `publicNetworkAccess is ${str(get(props, "publicNetworkAccess")) ?? "unset (Enabled)"}; file storage must be private (Disabled)`,
          );
        }
        if (lower(get(props, "networkRuleSet.defaultAction")) !== "deny") {
          out.push("networkRuleSet.defaultAction is not Deny");
        }
        return out;
      },
    },
    gcp: {
      "gcp:filestore/instance:Instance": (props) => {
        const shares = list(get(props, "fileShares"));
        const all = shares.length > 0 ? shares : [get(props, "fileShares")];
        const out: string[] = [];
        for (const share of all) {
          const options = list(get(share, "nfsExportOptions"));
          if (options.length === 0) {
            out.push("fileShares has no nfsExportOptions: every address of the network may mount the share");
            continue;
          }
          options.forEach((o, i) => {
            const ranges = list(get(o, "ipRanges")).map((v) => String(v));
            if (ranges.length === 0)
              out.push(`nfsExportOptions[${i}] lists no ipRanges (every address may mount)`);
            for (const range of ranges.filter((r) => !isPrivateIpv4Range(r))) {
              out.push(`nfsExportOptions[${i}] admits ${range}, outside private address space`);
            }
          });
        }
        return out;
      },
    },
  },
});
