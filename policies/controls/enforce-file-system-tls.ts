import { children, finding, isAzureFileStorageAccount, known } from "../lib/checks";
import { defineControl } from "../lib/define";
import { UNKNOWN, get, isFalse, lower } from "../lib/props";
import { deniesWithoutTls } from "../lib/file-systems";
import type { Finding } from "../lib/types";

const efsTypes = ["aws:efs/fileSystem:FileSystem"];
const efsPolicyTypes = ["aws:efs/fileSystemPolicy:FileSystemPolicy"];

export const enforceFileSystemTls = defineControl({
  id: "enforce-file-system-tls",
  title: "Shared file systems refuse clients that do not encrypt in transit",
  severity: "high",
  category: "data-protection",
  kind: "security",
  rationale:
    "NFS sends file contents in clear unless the service enforces TLS; an EFS file system without a policy denying non-TLS requests accepts plain NFS from any client that reaches a mount target (PCI DSS 4.2.1). Where the protocol has no TLS (Azure Files NFS 4.1), the only protection in transit is a private network path, so the account must be closed to public networks.",
  remediation: [
    'AWS: an aws.efs.FileSystemPolicy on every file system with a Deny statement for all principals when Condition Bool aws:SecureTransport is "false"; clients mount with `-o tls` (amazon-efs-utils).',
    'Azure: a FileStorage account serving NFS must turn enableHttpsTrafficOnly off (Azure refuses NFS otherwise), so it must set publicNetworkAccess "Disabled" and networkRuleSet.defaultAction "Deny" and be reached through a private endpoint only; SMB-only accounts keep enableHttpsTrafficOnly true.',
  ],
  frameworks: {
    soc2: ["CC6.7"],
    iso27001: ["A.8.24"],
    pciDss: ["4.2.1"],
    gdpr: ["Art. 32(1)(a)"],
    lfpdppp: ["Art. 18"],
  },
  uncertain: [
    "Azure Files NFS 4.1 carries no TLS of its own (learn.microsoft.com/azure/storage/files/files-nfs-protocol#security-and-networking); the control accepts the private-network path instead. Encryption in transit for NFS through the AZNFS mount helper is client-side and not visible in the account's settings.",
    "GCP Filestore has no in-transit encryption setting for NFS; traffic stays on the VPC's peering with Google's producer network. There is no GCP check (disallow-public-file-systems limits who may mount).",
  ],
  resources: {
    azure: {
      "azure-native:storage:StorageAccount": (props) => {
        if (!isAzureFileStorageAccount(props) || !isFalse(get(props, "enableHttpsTrafficOnly"))) return [];
        const out: string[] = [];
        if (lower(get(props, "publicNetworkAccess")) !== "disabled") {
          out.push(
            "enableHttpsTrafficOnly is false (NFS) but publicNetworkAccess is not Disabled: NFS traffic without TLS could cross public networks",
          );
        }
        if (lower(get(props, "networkRuleSet.defaultAction")) !== "deny") {
          out.push("enableHttpsTrafficOnly is false (NFS) but networkRuleSet.defaultAction is not Deny");
        }
        return out;
      },
    },
  },
  stack: (subjects, ctx) => {
    const out: Finding[] = [];
    for (const fs of subjects.filter((s) => efsTypes.includes(s.type))) {
      const policies = children(subjects, efsPolicyTypes, "fileSystemId", fs, ["creationToken"]);
      let undetermined = false;
      let enforced = false;
      for (const p of policies) {
        const doc = known(ctx, () => get(p.props, "policy"));
        if (doc === UNKNOWN) undetermined = true;
        else if (deniesWithoutTls(doc)) enforced = true;
      }
      if (enforced || undetermined) continue;
      out.push(
        finding(
          fs,
          policies.length === 0
            ? "no aws.efs.FileSystemPolicy: clients may mount without TLS"
            : "the file system policy does not deny requests without TLS (Deny when aws:SecureTransport is false)",
        ),
      );
    }
    return out;
  },
  stackTypes: { aws: [...efsTypes, ...efsPolicyTypes] },
});
