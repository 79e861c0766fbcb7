// Alertmanager's configuration (as prometheus-operator runs it): every alert goes to incident.io,
// whose alert routes decide what pages, posts or is dropped. Pure; checked in the tests against
// the `<incidentio_config>` rules of Alertmanager's configuration reference.
import * as YAML from "yaml";

import { KUBERNETES_TOKEN_SECRET, tokenFilePath } from "./tokenPath";

export const INCIDENT_IO_RECEIVER = "incident-io";
/** Drops what must not page: kube-prometheus-stack's always-firing Watchdog and InfoInhibitor. */
export const NULL_RECEIVER = "null";

/** The Secret holding alertmanager.yaml, named by the Alertmanager resource's `spec.configSecret`. */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-incident-io-config";
/** The key prometheus-operator reads from the config Secret. */
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yaml";

export interface IncidentIoConfig {
    send_resolved: boolean;
    url: string;
    alert_source_token_file: string;
}

export interface AlertmanagerRoute {
    receiver: string;
    matchers?: string[];
    group_by?: string[];
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
    routes?: AlertmanagerRoute[];
}

export interface AlertmanagerConfig {
    route: AlertmanagerRoute;
    inhibit_rules: Array<{ source_matchers?: string[]; target_matchers: string[]; equal?: string[] }>;
    receivers: Array<{ name: string; incidentio_configs?: IncidentIoConfig[] }>;
}

/** An incident.io receiver reading its token from the file prometheus-operator mounts. */
export function alertmanagerReceiver(alertEventsUrl: string): AlertmanagerConfig["receivers"][number] {
    return {
        name: INCIDENT_IO_RECEIVER,
        incidentio_configs: [{ send_resolved: true, url: alertEventsUrl, alert_source_token_file: tokenFilePath() }],
    };
}

/** The whole alertmanager.yaml. Grouping and inhibition are kube-prometheus-stack's defaults. */
export function alertmanagerConfig(alertEventsUrl: string): AlertmanagerConfig {
    return {
        route: {
            receiver: INCIDENT_IO_RECEIVER,
            group_by: ["namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "12h",
            routes: [{ receiver: NULL_RECEIVER, matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] }],
        },
        inhibit_rules: [
            { source_matchers: ["severity = critical"], target_matchers: ["severity =~ warning|info"], equal: ["namespace", "alertname"] },
            { source_matchers: ["severity = warning"], target_matchers: ["severity = info"], equal: ["namespace", "alertname"] },
            { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: ["namespace"] },
        ],
        receivers: [{ name: NULL_RECEIVER }, alertmanagerReceiver(alertEventsUrl)],
    };
}

export function alertmanagerConfigYaml(alertEventsUrl: string): string {
    return YAML.stringify(alertmanagerConfig(alertEventsUrl));
}

/**
 * What this stack sets on the Alertmanager resource (server-side apply): our config Secret and
 * the token Secret mounted at /etc/alertmanager/secrets/<name>/. `spec.secrets` is an atomic
 * list, so the patch owns all of it: list any other Secrets the Alertmanager mounts in `extraSecrets`.
 */
export function alertmanagerSpecPatch(extraSecrets: readonly string[] = []): { configSecret: string; secrets: string[] } {
    return {
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        secrets: [KUBERNETES_TOKEN_SECRET, ...extraSecrets.filter((s) => s !== KUBERNETES_TOKEN_SECRET)],
    };
}
