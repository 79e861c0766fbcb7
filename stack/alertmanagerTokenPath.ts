// The token's path from incident.io to Alertmanager: AWS Secrets Manager → External Secrets →
// a Kubernetes Secret mounted by prometheus-operator → the incident.io receiver's token file.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

import { ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_CONFIG_SECRET, alertmanagerConfigYaml, alertmanagerSpecPatch } from "./alertmanagerConfig";
import { externalSecretManifest, type SecretStoreRef } from "./externalSecret";
import { TOKEN_SECRET_NAME, TOKEN_SECRET_PROPERTY } from "./tokenPath";

export interface AlertmanagerTokenPathArgs {
    /** The alert source token; must be a Pulumi secret. */
    token: pulumi.Output<string>;
    alertEventsUrl: string;
    aws: { provider: aws.Provider; adoptSecretArn?: string };
    kubernetes: {
        provider: k8s.Provider;
        namespace: string;
        secretStoreRef: SecretStoreRef;
        alertmanagerName: string;
        alertmanagerExtraSecrets: string[];
    };
}

export class AlertmanagerTokenPath extends pulumi.ComponentResource {
    readonly secretArn: pulumi.Output<string>;
    /** Non-secret fingerprint of the current token: changes whenever the token does. */
    readonly secretVersionId: pulumi.Output<string>;
    /** The alertmanager.yaml installed; plain text, as it holds no secret. */
    readonly alertmanagerConfig: string;

    constructor(name: string, args: AlertmanagerTokenPathArgs, opts?: pulumi.ComponentResourceOptions) {
        super("alert-routing:index:AlertmanagerTokenPath", name, {}, opts);
        const awsOpts = { parent: this, provider: args.aws.provider };
        const k8sOpts = { parent: this, provider: args.kubernetes.provider };

        // The secret may predate this stack; `adoptTokenSecretArn` imports it on the first up.
        const secret = new aws.secretsmanager.Secret(
            "alertmanager-token",
            { name: TOKEN_SECRET_NAME },
            { ...awsOpts, import: args.aws.adoptSecretArn },
        );
        const version = new aws.secretsmanager.SecretVersion(
            "alertmanager-token",
            {
                secretId: secret.id,
                secretString: pulumi.secret(args.token.apply((token) => JSON.stringify({ [TOKEN_SECRET_PROPERTY]: token }))),
            },
            awsOpts,
        );

        const { namespace } = args.kubernetes;
        const externalSecret = new k8s.apiextensions.CustomResource(
            "alertmanager-token",
            externalSecretManifest({ namespace, secretStoreRef: args.kubernetes.secretStoreRef, forceSync: version.versionId }),
            k8sOpts,
        );

        // Holds no secret (the token is read from a file), but the operator only takes a Secret.
        this.alertmanagerConfig = alertmanagerConfigYaml(args.alertEventsUrl);
        const config = new k8s.core.v1.Secret(
            "alertmanager-config",
            {
                metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace },
                stringData: { [ALERTMANAGER_CONFIG_KEY]: this.alertmanagerConfig },
            },
            k8sOpts,
        );

        // Server-side apply of only the fields we own; the Alertmanager itself stays with whoever
        // installed it (e.g. the kube-prometheus-stack Helm release). Forced: these fields are ours.
        new k8s.apiextensions.CustomResourcePatch(
            "alertmanager",
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "Alertmanager",
                metadata: {
                    name: args.kubernetes.alertmanagerName,
                    namespace,
                    annotations: { "pulumi.com/patchForce": "true" },
                },
                spec: alertmanagerSpecPatch(args.kubernetes.alertmanagerExtraSecrets),
            },
            { ...k8sOpts, dependsOn: [externalSecret, config] },
        );

        this.secretArn = secret.arn;
        this.secretVersionId = version.versionId;
        this.registerOutputs({ secretArn: this.secretArn, secretVersionId: this.secretVersionId });
    }
}
