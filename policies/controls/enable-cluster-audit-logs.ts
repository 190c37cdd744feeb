import { children, finding, ofType } from "../lib/checks";
import { defineControl } from "../lib/define";
import { get, list, lower, peek } from "../lib/props";
import type { Finding } from "../lib/types";

export const enableClusterAuditLogs = defineControl({
  id: "enable-cluster-audit-logs",
  title: "Kubernetes control planes send audit logs to the log service",
  severity: "high",
  category: "kubernetes",
  kind: "security",
  rationale:
    "The Kubernetes audit log records every API call — who read a secret, who exec'd into a pod; without it cluster compromises cannot be investigated (PCI DSS 10.2.1, SOC 2 CC7.2, CIS Kubernetes 3.2).",
  remediation: [
    "AWS EKS: enabledClusterLogTypes including audit, api and authenticator.",
    "Azure AKS: a monitor DiagnosticSetting on the managed cluster with the kube-audit or kube-audit-admin category (or the audit / allLogs category group).",
    "GKE: loggingConfig.enableComponents including APISERVER (system audit logs are always on in Cloud Audit Logs).",
  ],
  frameworks: {
    soc2: ["CC7.2"],
    iso27001: ["A.8.15", "A.8.16"],
    pciDss: ["10.2.1", "10.2.2"],
    gdpr: ["Art. 32(1)(d)", "Art. 33"],
    lfpdppp: ["Art. 19"],
    cis: ["CIS EKS 2.1.1 (control plane logs)", "CIS AKS 2.1.1 / CIS GKE 2.1 (audit logging)"],
  },
  uncertain: ["CIS benchmark ids differ between benchmark versions; the ids given are indicative."],
  resources: {
    aws: {
      "aws:eks/cluster:Cluster": (props) => {
        const types = list(get(props, "enabledClusterLogTypes")).map((t) => lower(t));
        const missing = ["api", "audit", "authenticator"].filter((t) => !types.includes(t));
        return missing.length === 0 ? [] : [`enabledClusterLogTypes lacks ${missing.join(", ")}`];
      },
    },
    gcp: {
      "gcp:container/cluster:Cluster": (props) => {
        if (lower(get(props, "loggingService")) === "none") return ["loggingService is none"];
        const components = list(get(props, "loggingConfig.enableComponents")).map((c) => String(c));
        return components.length === 0 || components.includes("APISERVER")
          ? components.length === 0
            ? ["loggingConfig.enableComponents is unset; include APISERVER"]
            : []
          : ["loggingConfig.enableComponents lacks APISERVER"];
      },
    },
  },
  stack: (subjects) => {
    const out: Finding[] = [];
    for (const cluster of ofType(subjects, ["azure-native:containerservice:ManagedCluster"])) {
      const settings = children(subjects, ["azure-native:monitor:DiagnosticSetting"], "resourceUri", cluster);
      const audits = settings.filter((s) =>
        list(peek(s.props, "logs")).some((l) => {
          const category = lower(peek(l, "category"));
          const group = lower(peek(l, "categoryGroup"));
          return (
            category === "kube-audit" ||
            category === "kube-audit-admin" ||
            group === "audit" ||
            group === "alllogs"
          );
        }),
      );
      if (audits.length === 0)
        out.push(finding(cluster, "no DiagnosticSetting sends kube-audit logs of this cluster"));
    }
    return out;
  },
  stackTypes: {
    azure: ["azure-native:containerservice:ManagedCluster", "azure-native:monitor:DiagnosticSetting"],
  },
});
