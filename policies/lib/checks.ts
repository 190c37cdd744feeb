/** Building blocks shared by controls: key references, links between resources, tags, Kubernetes pod specs. */
import { UNKNOWN, get, isSet, isUnknownValueError, list, lower, peek, raw, record, str } from "./props";
import { byType, memoize, refIndex } from "./stack-index";
import { tagPropertyOf } from "./tags";
import type { Finding, StackContext, Subject } from "./types";

/** Runs `fn`; when it reads a value unknown during preview, records that and returns UNKNOWN. */
export function known<T>(ctx: StackContext, fn: () => T): T | typeof UNKNOWN {
  try {
    return fn();
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    ctx.onUnknown(e);
    return UNKNOWN;
  }
}

export function finding(subject: Subject, message: string): Finding {
  return { urn: subject.urn, name: subject.name, type: subject.type, message };
}

/** A customer-managed AWS KMS key reference: set (or computed) and not an `alias/aws/...` AWS-managed key. */
export function awsCmk(obj: unknown, path: string): boolean {
  if (!isSet(obj, path)) return false;
  const v = peek(obj, path);
  return !(typeof v === "string" && /alias\/aws\//.test(v));
}

/** Identifying values of a resource others may reference it by (known ones only). */
function identities(parent: Subject, keys: readonly string[]): Set<string> {
  const out = new Set<string>([parent.name]);
  for (const k of ["id", "arn", "name", ...keys]) {
    const v = peek(parent.props, k);
    if (typeof v === "string" && v !== "") out.add(v);
  }
  return out;
}

/**
 * True when `child`'s `key` input refers to `parent`: through the engine's property dependencies (how a
 * reference shows during preview, when ids are unknown), or through an equal known value (a name, id or
 * ARN of the parent, or one of the parent's `parentKeys` values).
 */
export function refersTo(
  child: Subject,
  key: string,
  parent: Subject,
  parentKeys: readonly string[] = [],
): boolean {
  const deps = child.propertyDependencies[key];
  if (deps && deps.includes(parent.urn)) return true;
  const v = peek(child.props, key);
  if (typeof v === "string" && v !== "") {
    const ids = identities(parent, parentKeys);
    if (ids.has(v)) return true;
    // ARM ids and ARNs that embed the parent id (e.g. ".../storageAccounts/x/blobServices/default").
    for (const id of ids)
      if (id.length > 8 && (v.startsWith(`${id}/`) || v.startsWith(`${id}:`))) return true;
  }
  if (deps === undefined && v === UNKNOWN && child.dependencies.includes(parent.urn)) return true;
  return false;
}

/** Resources of `types` whose `key` refers to `parent`. */
export function children(
  subjects: readonly Subject[],
  types: readonly string[],
  key: string,
  parent: Subject,
  parentKeys: readonly string[] = [],
): Subject[] {
  // Indexed (linear over a stack check): candidates by URN, value and prefix, then the exact test.
  const candidates = refIndex(subjects, types, key).candidates(parent.urn, identities(parent, parentKeys));
  const out: Subject[] = [];
  for (const i of candidates) {
    const s = subjects[i]!;
    if (refersTo(s, key, parent, parentKeys)) out.push(s);
  }
  return out;
}

export function ofType(subjects: readonly Subject[], types: readonly string[]): Subject[] {
  if (types.length === 1) return [...(byType(subjects).get(types[0]!) ?? [])];
  return subjects.filter((s) => types.includes(s.type));
}

/**
 * Tags (AWS/Azure) or labels (GCP; userLabels on monitoring types, settings.userLabels on Cloud SQL) a
 * resource carries, known values only: the type's tag property from the taggable catalog, else the first
 * of tags, labels and userLabels that is set.
 */
export function tagsOf(subject: Subject): Record<string, unknown> {
  const property = tagPropertyOf(subject.type);
  const keys = property ? [property] : ["tags", "labels", "userLabels"];
  for (const k of keys) {
    const v = peek(subject.props, k);
    if (v !== undefined && v !== UNKNOWN) return record(v);
  }
  return {};
}

/**
 * An Azure premium file storage account (`kind: FileStorage`): it holds file shares only, no blobs, so
 * the object-storage controls (versioning, WORM, HTTPS-only, geo-redundancy) do not apply; the
 * file-system controls judge it (enforce-file-system-tls, disallow-public-file-systems,
 * enable-file-system-backups). Premium file storage offers only LRS and ZRS
 * (https://learn.microsoft.com/azure/storage/common/storage-account-overview#types-of-storage-accounts).
 */
export function isAzureFileStorageAccount(props: Record<string, unknown>): boolean {
  return lower(get(props, "kind")) === "filestorage";
}

export const awsBucketTypes = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;

/** AWS v7 splits bucket settings into resources; each exists under a current and a deprecated V2 token. */
export function awsBucketSetting(kind: string): string[] {
  const cap = kind.charAt(0).toUpperCase() + kind.slice(1);
  return [`aws:s3/bucket${cap}:Bucket${cap}`, `aws:s3/bucket${cap}V2:Bucket${cap}V2`];
}

/** Settings resources of `kind` that configure `bucket`. */
export function bucketSettings(subjects: readonly Subject[], kind: string, bucket: Subject): Subject[] {
  return children(subjects, awsBucketSetting(kind), "bucket", bucket, ["bucket"]);
}

// ---------------------------------------------------------------------------------------------------------
// Kubernetes

export const k8sWorkloadTypes = [
  "kubernetes:core/v1:Pod",
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:apps/v1:ReplicaSet",
  "kubernetes:core/v1:ReplicationController",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:core/v1:PodTemplate",
] as const;

/** The pod spec inside a workload (through the proxy: unknown parts throw). */
export function podSpecOf(type: string, props: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "kubernetes:core/v1:Pod":
      return record(get(props, "spec"));
    case "kubernetes:batch/v1:CronJob":
      return record(get(props, "spec.jobTemplate.spec.template.spec"));
    case "kubernetes:core/v1:PodTemplate":
      return record(get(props, "template.spec"));
    default:
      return record(get(props, "spec.template.spec"));
  }
}

export interface NamedContainer {
  readonly kind: "container" | "initContainer" | "ephemeralContainer";
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

export function containersOf(pod: Record<string, unknown>): NamedContainer[] {
  const out: NamedContainer[] = [];
  const kinds = [
    ["containers", "container"],
    ["initContainers", "initContainer"],
    ["ephemeralContainers", "ephemeralContainer"],
  ] as const;
  for (const [key, kind] of kinds) {
    list(get(pod, key)).forEach((c, i) => {
      const spec = record(c);
      out.push({ kind, name: str(get(spec, "name")) ?? `#${i}`, spec });
    });
  }
  return out;
}

/** Label a finding names a container by. */
export function containerLabel(c: NamedContainer): string {
  return `${c.kind} "${c.name}"`;
}

/** A workload's namespace (metadata.namespace, "default" when unset); UNKNOWN when computed. */
export function namespaceOf(subject: Subject): string | typeof UNKNOWN {
  const v = peek(subject.props, "metadata.namespace");
  if (v === UNKNOWN) return UNKNOWN;
  return typeof v === "string" && v !== "" ? v : "default";
}

export { raw };

const awsLoadBalancerTypes = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

/** Buckets that name another bucket as their inline logging target, by target name and by dependency. */
function inlineLogTargets(subjects: readonly Subject[]) {
  return memoize(subjects, "awsInlineLogTargets", () => {
    const byName = new Map<string, Subject[]>();
    const byUrn = new Map<string, Subject[]>();
    const lbByName = new Map<string, Subject[]>();
    const add = (m: Map<string, Subject[]>, k: unknown, s: Subject) => {
      if (typeof k !== "string") return;
      const list = m.get(k);
      if (!list) m.set(k, [s]);
      else if (list[list.length - 1] !== s) list.push(s);
    };
    for (const s of subjects) {
      if ((awsBucketTypes as readonly string[]).includes(s.type)) {
        add(byName, peek(s.props, "logging.targetBucket"), s);
        for (const l of list(peek(s.props, "loggings"))) add(byName, peek(l, "targetBucket"), s);
        for (const u of s.propertyDependencies["logging"] ?? s.propertyDependencies["loggings"] ?? [])
          add(byUrn, u, s);
      } else if (awsLoadBalancerTypes.includes(s.type)) {
        add(lbByName, peek(s.props, "accessLogs.bucket"), s);
      }
    }
    return { byName, byUrn, lbByName };
  });
}

/**
 * True when the bucket receives S3 server access logs or load balancer access logs: AWS delivers those
 * only to buckets with SSE-S3 default encryption and without Object Lock default retention.
 */
/** A bucket a CloudTrail trail of the stack delivers its log files to (`s3BucketName`). */
export function isAwsAuditTrailTarget(subjects: readonly Subject[], bucket: Subject): boolean {
  return children(subjects, ["aws:cloudtrail/trail:Trail"], "s3BucketName", bucket, ["bucket"]).length > 0;
}

export function isAwsAccessLogTarget(subjects: readonly Subject[], bucket: Subject): boolean {
  const name = str(peek(bucket.props, "bucket"));
  if (children(subjects, awsBucketSetting("logging"), "targetBucket", bucket, ["bucket"]).length > 0)
    return true;
  const targets = inlineLogTargets(subjects);
  const other = (list: readonly Subject[] | undefined) => (list ?? []).some((s) => s.urn !== bucket.urn);
  if (name !== undefined && other(targets.byName.get(name))) return true;
  if (other(targets.byUrn.get(bucket.urn))) return true;
  if (children(subjects, awsLoadBalancerTypes, "accessLogs", bucket, ["bucket"]).length > 0) return true;
  return name !== undefined && (targets.lbByName.get(name) ?? []).length > 0;
}
