/**
 * One deserialization per resource instead of one per policy.
 *
 * The `@pulumi/policy` server (v1.x) turns a resource's protobuf properties into plain values separately for
 * every policy it runs: `deserializeProperties(req.getProperties(), false)` inside its loop over policies,
 * in Analyze (once per resource and policy) and in AnalyzeStack (once per resource and stack policy). With
 * ~60 controls that conversion was most of the pack's time. The properties Struct is the same object for
 * every policy of one call, so its conversion is memoized per Struct (a WeakMap: it lives as long as the
 * request). Only the read-only form (`proxySecrets` false) is memoized; the remediation path, which may
 * change the values, still converts afresh. Policies only read what they are given (the server wraps it
 * in a proxy per policy), so sharing the converted value between them changes no result.
 *
 * The server calls the function through the module's exports object, so replacing the export reaches it.
 * If the SDK's shape differs (another major version), nothing is patched.
 */
interface DeserializeModule {
  deserializeProperties: (struct: object, proxySecrets: boolean) => Record<string, unknown>;
  __memoized?: boolean;
}

function install(): void {
  let mod: DeserializeModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require("@pulumi/policy/deserialize") as DeserializeModule;
  } catch {
    return;
  }
  if (typeof mod.deserializeProperties !== "function" || mod.__memoized) return;
  const original = mod.deserializeProperties;
  const memo = new WeakMap<object, Record<string, unknown>>();
  try {
    mod.deserializeProperties = (struct: object, proxySecrets: boolean) => {
      if (proxySecrets || struct === null || typeof struct !== "object")
        return original(struct, proxySecrets);
      let hit = memo.get(struct);
      if (hit === undefined) {
        hit = original(struct, false);
        memo.set(struct, hit);
      }
      return hit;
    };
    mod.__memoized = true;
  } catch {
    // read-only exports: leave the SDK as it is
  }
}

install();
