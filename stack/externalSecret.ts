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
 * `pulumi up` waits until ESO reports the Secret synced (condition Ready=True; external-secrets
 * apis/externalsecrets/v1/externalsecret_types.go: ExternalSecretReady = "Ready", reason SecretSynced),
 * so a wrong store, region or key fails the update with ESO's reason before Alertmanager mounts the
 * Secret. The annotation is honoured by pulumi-kubernetes since v4.18.0 (pulumi/pulumi-kubernetes#3134;
 * precedence fixed in v4.18.4, #3344); this project installs @pulumi/kubernetes 4.34.2.
 */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";
export const WAIT_FOR_READY = "condition=Ready";

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
            annotations: { [FORCE_SYNC_ANNOTATION]: args.forceSync, [WAIT_FOR_ANNOTATION]: WAIT_FOR_READY },
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
