// What the live Alertmanager runs before this stack patches it, and whether the patch would take
// something over silently. Pure; the stack reads the live resource and refuses before patching.
//
// prometheus-operator (pkg/alertmanager/statefulset.go, makeStatefulSetSpec) mounts every
// `spec.secrets` entry as a Secret volume at /etc/alertmanager/secrets/<name>, without `optional`,
// so a listed Secret that does not exist keeps new pods from starting; and
// `defaultConfigSecretName` reads the configuration from `spec.configSecret`, or from
// `alertmanager-<name>` when it is empty. When `spec.alertmanagerConfiguration` is set, the
// configuration comes from that AlertmanagerConfig and `configSecret` is not read at all
// (pkg/alertmanager/operator.go, provisionAlertmanagerConfiguration).
import { configSetCommand, escapeControl } from "../providers/incident-io";
import { ALERTMANAGER_CONFIG_SECRET } from "./alertmanagerConfig";
import { KUBERNETES_TOKEN_SECRET } from "./tokenPath";

/** The live Alertmanager's fields this stack replaces: exported as it was before the patch. */
export interface AlertmanagerBefore {
    name: string;
    namespace: string;
    /** `spec.configSecret` as set; empty when unset. */
    configSecret: string;
    /** The Secret the operator actually reads the configuration from. */
    effectiveConfigSecret: string;
    /** `spec.secrets`: every Secret mounted into the pods. */
    secrets: string[];
    /** `spec.alertmanagerConfiguration.name`, when the configuration comes from an AlertmanagerConfig. */
    alertmanagerConfiguration?: string;
}

export function alertmanagerBefore(name: string, namespace: string, spec: unknown): AlertmanagerBefore {
    const s = (spec && typeof spec === "object" ? spec : {}) as Record<string, unknown>;
    const configSecret = typeof s.configSecret === "string" ? s.configSecret : "";
    const secrets = Array.isArray(s.secrets) ? s.secrets.filter((x): x is string => typeof x === "string") : [];
    const configuration = s.alertmanagerConfiguration as { name?: unknown } | undefined;
    return {
        name,
        namespace,
        configSecret,
        effectiveConfigSecret: configSecret || `alertmanager-${name}`,
        secrets,
        ...(configuration && typeof configuration.name === "string" ? { alertmanagerConfiguration: configuration.name } : {}),
    };
}

export interface TakeoverSettings {
    extraSecrets: readonly string[];
    takeOverConfig: boolean;
}

/** What the patch would take over that config does not allow: each line says what and how to allow it. */
export function takeoverProblems(before: AlertmanagerBefore, settings: TakeoverSettings, stack: string): string[] {
    const problems: string[] = [];
    const where = `Alertmanager ${before.namespace}/${before.name}`;
    // The operator ignores configSecret then: the patch would change nothing Alertmanager runs.
    if (before.alertmanagerConfiguration) {
        problems.push(
            `${where} takes its configuration from AlertmanagerConfig "${before.alertmanagerConfiguration}" ` +
                `(spec.alertmanagerConfiguration), so the incident.io configuration would never be read. ` +
                `Remove spec.alertmanagerConfiguration where the Alertmanager is installed (e.g. its Helm values), then run preview again.`,
        );
    }
    if (settings.takeOverConfig) return problems;
    const ours = new Set([KUBERNETES_TOKEN_SECRET, ...settings.extraSecrets]);
    const unlisted = before.secrets.filter((s) => !ours.has(s));
    if (unlisted.length > 0) {
        problems.push(
            `${where} mounts Secret(s) ${unlisted.map((s) => `"${escapeControl(s)}"`).join(", ")} (spec.secrets), which the patch would unmount: ` +
                `list each to keep it: ${unlisted
                    .map((s, i) =>
                        configSetCommand({
                            stack,
                            key: `alert-routing:alertmanager.extraSecrets[${settings.extraSecrets.length + i}]`,
                            value: s,
                            path: true,
                        }),
                    )
                    .join(" ; ")}`,
        );
    }
    if (before.effectiveConfigSecret !== ALERTMANAGER_CONFIG_SECRET) {
        problems.push(
            `${where} reads its configuration from Secret "${before.effectiveConfigSecret}"` +
                `${before.configSecret ? "" : " (spec.configSecret is unset: the operator's default)"}, which the patch would replace with ` +
                `"${ALERTMANAGER_CONFIG_SECRET}" (every alert to incident.io). If that is intended: ` +
                configSetCommand({ stack, key: "alert-routing:alertmanager.takeOverConfig", value: "true", path: true }),
        );
    }
    return problems;
}
