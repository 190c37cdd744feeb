/**
 * Azure creates NFS file shares only on premium FileStorage accounts whose "secure transfer required"
 * setting is off: an NFS share on a StorageV2 account, a standard SKU or an HTTPS-only account fails when
 * `pulumi up` creates (or mounts) it.
 */
import { children, finding } from "../../lib/checks";
import { get, lower, str } from "../../lib/props";
import type { Finding, Rule, Source, Subject } from "../lib/rule";

const source: Source = {
  url: "https://learn.microsoft.com/azure/storage/files/files-nfs-protocol",
  quote:
    "NFS Azure file shares are only offered on premium file shares (FileStorage storage accounts). Secure transfer required must be disabled on the storage account: NFS Azure file shares don't support encryption in transit at the protocol level and rely on network-level security (private endpoints or service endpoints).",
};

function azureNfsShares(subjects: readonly Subject[]): Finding[] {
  const out: Finding[] = [];
  const accounts = subjects.filter((s) => s.type === "azure-native:storage:StorageAccount");
  for (const account of accounts) {
    const shares = children(subjects, ["azure-native:storage:FileShare"], "accountName", account, [
      "accountName",
    ]);
    const nfs = shares.filter((s) => lower(get(s.props, "enabledProtocols")) === "nfs");
    if (nfs.length === 0) continue;
    const problems: string[] = [];
    if (lower(get(account.props, "kind")) !== "filestorage")
      problems.push(`kind is ${str(get(account.props, "kind")) ?? "unset"}, not FileStorage`);
    const sku = str(get(account.props, "sku.name")) ?? "";
    if (!/^premium_/i.test(sku))
      problems.push(`sku.name is ${sku || "unset"}, not Premium_LRS or Premium_ZRS`);
    if (get(account.props, "enableHttpsTrafficOnly") !== false)
      problems.push("enableHttpsTrafficOnly is not false (secure transfer required blocks NFS mounts)");
    if (problems.length > 0)
      out.push(
        finding(
          account,
          `NFS share ${nfs.map((s) => s.name).join(", ")} needs a premium FileStorage account with secure transfer off: ${problems.join("; ")}. Source: ${source.url}`,
        ),
      );
  }
  return out;
}

export const requireNfsShareOnPremiumFileStorage: Rule = {
  id: "require-nfs-share-on-premium-file-storage",
  title: "Azure NFS shares live on premium FileStorage accounts with secure transfer off",
  category: "topology",
  severity: "critical",
  refuses:
    "Azure refuses NFS file shares on accounts that are not premium FileStorage (kind FileStorage, Premium_LRS or Premium_ZRS), and NFS clients cannot mount shares of an account that requires secure transfer.",
  remediation:
    "Create NFS shares on an account with kind FileStorage, sku Premium_LRS or Premium_ZRS and enableHttpsTrafficOnly false; close it to public networks and reach it through a private endpoint (the file-system controls require that).",
  sources: [source],
  stack: (subjects) => azureNfsShares(subjects),
  stackTypes: { azure: ["azure-native:storage:StorageAccount", "azure-native:storage:FileShare"] },
};
