import { containerLabel, containersOf } from "../lib/checks";
import { defineControl } from "../lib/define";
import { workloadChecks } from "../lib/k8s-control";
import { UNKNOWN, get, isUnknownValue, jsonDocument, list, peek, raw, record, str } from "../lib/props";

/**
 * A variable name that says it holds a credential (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY,
 * CONNECTION_STRING, ...), unless the name says it holds a reference to one (…_ARN, …_ID, …_NAME, …_URL,
 * …_PATH, …_FILE, …_REF).
 */
const credentialName =
  /(^|[^A-Z])(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?KEY|SIGNING_?KEY|CREDENTIALS?|CONN(ECTION)?_?STR(ING)?|AUTH_?KEY)([^A-Z]|$)/;
const referenceName = /_(ARN|ID|NAME|URL|URI|PATH|FILE|REF|ENDPOINT|VERSION)$/;

/** Values with the shape of a credential, whatever the variable is called. */
const credentialShapes: readonly [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, "a GitHub token"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b(sk|rk)_live_[A-Za-z0-9]{16,}/, "a Stripe live key"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/AccountKey=[^;]{20,}/i, "an Azure storage account key"],
  [/SharedAccessKey=[^;]{20,}/i, "an Azure shared access key"],
  [/(^|;)\s*(Password|Pwd)=[^;]+/i, "a connection string with a password"],
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with embedded credentials"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, "a JSON Web Token"],
];

/** A value that points at a secret store instead of holding the secret. */
const secretReference =
  /^(arn:aws[a-z-]*:(secretsmanager|ssm):|@Microsoft\.KeyVault\(|projects\/[^/]+\/secrets\/|\{\{resolve:(secretsmanager|ssm-secure):|\$\([A-Za-z_][A-Za-z0-9_]*\)$)/;

/** Findings for one variable (`where` names it in the message). */
export function checkVariable(where: string, name: string, value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  const text = value === UNKNOWN ? undefined : typeof value === "string" ? value : JSON.stringify(value);
  if (text !== undefined && secretReference.test(text)) return [];
  if (text !== undefined) {
    const shape = credentialShapes.find(([re]) => re.test(text));
    if (shape) return [`${where} ${name} holds ${shape[1]} in clear`];
  }
  const upper = name.toUpperCase();
  if (credentialName.test(upper) && !referenceName.test(upper)) {
    return [
      `${where} ${name} looks like a credential set as a literal value; reference a secret store instead`,
    ];
  }
  return [];
}

/** A `{ NAME: value }` map of variables. */
function variableMap(where: string, value: unknown): string[] {
  return Object.entries(record(raw(value))).flatMap(([k, v]) =>
    checkVariable(where, k, isUnknownValue(v) ? UNKNOWN : raw(v)),
  );
}

/** A `[{ name, value }]` list of variables (other keys, e.g. secretRef or valueFrom, are references). */
function variableList(where: string, value: unknown, nameKey = "name", valueKey = "value"): string[] {
  return list(value).flatMap((e) => {
    const name = str(get(e, nameKey));
    return name === undefined ? [] : checkVariable(where, name, peek(e, valueKey));
  });
}

/** ECS / Batch container definitions (a JSON document): `environment` is clear, `secrets` are references. */
function containerDefinitions(doc: unknown): string[] {
  return list(jsonDocument(doc)).flatMap((c) =>
    variableList(`container "${str(get(c, "name")) ?? "?"}" environment`, get(c, "environment")),
  );
}

export const disallowPlaintextSecretsInEnvironment = defineControl({
  id: "disallow-plaintext-secrets-in-environment",
  title: "No secrets as literal environment variables of functions, containers or workloads",
  severity: "high",
  category: "identity",
  kind: "security",
  rationale:
    "An environment variable is stored in clear in the function or service configuration, shown in consoles and APIs (GetFunctionConfiguration, task definitions, revision specs, pod specs), copied into state files and logs, and readable by anyone with read access to the service; a secret there is disclosed to every reader and never rotated (PCI DSS 3.5.1, 8.3.2; SOC 2 CC6.1; ISO 27001 A.5.17, A.8.24). Secret stores (Secrets Manager, Parameter Store SecureString, Key Vault, Secret Manager, Kubernetes Secrets) keep the value encrypted, access-controlled and audited.",
  remediation: [
    "AWS: Lambda environment.variables, ECS/Batch container `environment`, App Runner runtimeEnvironmentVariables, Synthetics runConfig.environmentVariables: keep only non-secret settings; reference Secrets Manager or SSM SecureString (ECS `secrets` valueFrom, App Runner runtimeEnvironmentSecrets, the secret's ARN read at run time).",
    "Azure: Container Apps / Jobs env `secretRef` (Key Vault-backed secrets), Container Instances `secureValue`, App Service app settings as Key Vault references (@Microsoft.KeyVault(...)).",
    "GCP: Cloud Run envs `valueSource.secretKeyRef` / `valueFrom.secretKeyRef`, Cloud Functions secretEnvironmentVariables (Secret Manager).",
    "Kubernetes: env `valueFrom.secretKeyRef` or `envFrom.secretRef`, never `value`.",
  ],
  frameworks: {
    soc2: ["CC6.1", "CC6.7"],
    iso27001: ["A.5.17", "A.8.24"],
    pciDss: ["3.5.1", "8.3.2", "8.6.2"],
    gdpr: ["Art. 32(1)(b)"],
    lfpdppp: ["Art. 19"],
    cis: ["CIS Kubernetes 5.4.1 (prefer secrets as files over secrets as environment variables)"],
  },
  uncertain: [
    "Names and value shapes are heuristics: a credential under an innocent name with no recognisable shape passes, and a non-secret under a credential-like name (e.g. TOKEN_TTL) is rejected until renamed or moved.",
  ],
  resources: {
    aws: {
      "aws:lambda/function:Function": (props) =>
        variableMap("environment variable", get(props, "environment.variables")),
      "aws:ecs/taskDefinition:TaskDefinition": (props) =>
        containerDefinitions(get(props, "containerDefinitions")),
      "aws:batch/jobDefinition:JobDefinition": (props) =>
        containerDefinitions(`[${JSON.stringify(jsonDocument(get(props, "containerProperties")) ?? null)}]`),
      "aws:synthetics/canary:Canary": (props) =>
        variableMap("canary environment variable", get(props, "runConfig.environmentVariables")),
      "aws:apprunner/service:Service": (props) => [
        ...variableMap(
          "runtime environment variable",
          get(props, "sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables"),
        ),
        ...variableMap(
          "runtime environment variable",
          get(
            props,
            "sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.runtimeEnvironmentVariables",
          ),
        ),
      ],
    },
    azure: {
      "azure-native:app:ContainerApp": (props) =>
        list(get(props, "template.containers")).flatMap((c) =>
          variableList(`container "${str(get(c, "name")) ?? "?"}" env`, get(c, "env")),
        ),
      "azure-native:app:Job": (props) =>
        list(get(props, "template.containers")).flatMap((c) =>
          variableList(`container "${str(get(c, "name")) ?? "?"}" env`, get(c, "env")),
        ),
      "azure-native:containerinstance:ContainerGroup": (props) =>
        list(get(props, "containers")).flatMap((c) =>
          variableList(
            `container "${str(get(c, "name")) ?? "?"}" environment variable`,
            get(c, "environmentVariables"),
          ),
        ),
      "azure-native:web:WebApp": (props) => variableList("app setting", get(props, "siteConfig.appSettings")),
      "azure-native:web:WebAppSlot": (props) =>
        variableList("app setting", get(props, "siteConfig.appSettings")),
      "azure-native:web:WebAppApplicationSettings": (props) =>
        variableMap("app setting", get(props, "properties")),
      "azure-native:web:WebAppApplicationSettingsSlot": (props) =>
        variableMap("app setting", get(props, "properties")),
    },
    gcp: {
      "gcp:cloudrunv2/service:Service": (props) =>
        list(get(props, "template.containers")).flatMap((c) =>
          variableList(`container "${str(get(c, "name")) ?? "?"}" env`, get(c, "envs")),
        ),
      "gcp:cloudrunv2/job:Job": (props) =>
        list(get(props, "template.template.containers")).flatMap((c) =>
          variableList(`container "${str(get(c, "name")) ?? "?"}" env`, get(c, "envs")),
        ),
      "gcp:cloudrun/service:Service": (props) =>
        list(get(props, "template.spec.containers")).flatMap((c, i) =>
          variableList(`container #${i} env`, get(c, "envs")),
        ),
      "gcp:cloudfunctionsv2/function:Function": (props) => [
        ...variableMap("environment variable", get(props, "serviceConfig.environmentVariables")),
        ...variableMap("build environment variable", get(props, "buildConfig.environmentVariables")),
      ],
      "gcp:cloudfunctions/function:Function": (props) => [
        ...variableMap("environment variable", get(props, "environmentVariables")),
        ...variableMap("build environment variable", get(props, "buildEnvironmentVariables")),
      ],
    },
    kubernetes: workloadChecks((pod) =>
      containersOf(pod).flatMap((c) => variableList(`${containerLabel(c)} env`, get(c.spec, "env"))),
    ),
  },
});
