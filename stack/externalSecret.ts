// The ExternalSecret that copies the token from AWS Secrets Manager into the Kubernetes Secret
// Alertmanager mounts. Pure; validated against the External Secrets CRD in the tests.
import {
    EXTERNAL_SECRET_REFRESH_INTERVAL,
    KUBERNETES_TOKEN_KEY,
    KUBERNETES_TOKEN_SECRET,
    TOKEN_SECRET_NAME,
    TOKEN_SECRET_PROPERTY,
} from "./tokenPath";

export interface SecretStoreRef {
    name: string;
    kind: "SecretStore" | "ClusterSecretStore";
}

/** External Secrets re-syncs an ExternalSecret whenever this annotation's value changes. */
export const FORCE_SYNC_ANNOTATION = "force-sync";

/**
 * `forceSync` must be a non-secret fingerprint of the token (the AWS secret version id): a new
 * token changes it, and so the annotation, and ESO fetches the new value at once instead of
 * within `refreshInterval`. Generic so the stack can pass an Output and tests a string.
 */
export function externalSecretManifest<F>(args: { namespace: string; secretStoreRef: SecretStoreRef; forceSync: F }) {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: {
            name: KUBERNETES_TOKEN_SECRET,
            namespace: args.namespace,
            annotations: { [FORCE_SYNC_ANNOTATION]: args.forceSync },
        },
        spec: {
            refreshInterval: EXTERNAL_SECRET_REFRESH_INTERVAL,
            secretStoreRef: { name: args.secretStoreRef.name, kind: args.secretStoreRef.kind },
            target: { name: KUBERNETES_TOKEN_SECRET, creationPolicy: "Owner" },
            data: [
                {
                    secretKey: KUBERNETES_TOKEN_KEY,
                    remoteRef: { key: TOKEN_SECRET_NAME, property: TOKEN_SECRET_PROPERTY },
                },
            ],
        },
    };
}
