// Where the Alertmanager alert source token lives at each hop, from incident.io to the file
// Alertmanager reads. Every name here is fixed by issue #3 or by the tools at each hop.

/** AWS Secrets Manager secret (per environment's AWS account) holding the token as JSON. */
export const TOKEN_SECRET_NAME = "unkey/alertmanager-incident-io";
/** The JSON property of that secret that holds the token. */
export const TOKEN_SECRET_PROPERTY = "alert_source_token";

/** The ExternalSecret and the Kubernetes Secret it writes share this name. */
export const KUBERNETES_TOKEN_SECRET = "alertmanager-incidentio";
/** The key of the token in that Kubernetes Secret, and so the file name in the mount. */
export const KUBERNETES_TOKEN_KEY = "token";
export const DEFAULT_NAMESPACE = "monitoring";
export const EXTERNAL_SECRET_REFRESH_INTERVAL = "1h";

/** prometheus-operator mounts each Secret listed in an Alertmanager's `spec.secrets` here. */
export const OPERATOR_SECRETS_DIR = "/etc/alertmanager/secrets";

export function tokenFilePath(secretName = KUBERNETES_TOKEN_SECRET, key = KUBERNETES_TOKEN_KEY): string {
    return `${OPERATOR_SECRETS_DIR}/${secretName}/${key}`;
}
