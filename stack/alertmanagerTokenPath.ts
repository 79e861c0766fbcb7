// The token's path from incident.io to Alertmanager: AWS Secrets Manager → External Secrets →
// a Kubernetes Secret mounted by prometheus-operator → the incident.io receiver's token file.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

import { ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_CONFIG_SECRET, alertmanagerConfigYaml, alertmanagerSpecPatch } from "./alertmanagerConfig";
import { alertmanagerBefore, takeoverProblems, type AlertmanagerBefore } from "./alertmanagerTakeover";
import { externalSecretManifest, type SecretStoreRef } from "./externalSecret";
import { TOKEN_SECRET_NAME, TOKEN_SECRET_PROPERTY } from "./tokenPath";

export interface AlertmanagerTokenPathArgs {
    /** The alert source token; must be a Pulumi secret. */
    token: pulumi.Output<string>;
    /** The Alertmanager source's alert_events_url (from its AlertSource resource). */
    alertEventsUrl: pulumi.Input<string>;
    /** The stack name, for the commands in a refusal. */
    stack: string;
    /** Production: every resource that can be protected is (see the constructor for the one exception). */
    protect: boolean;
    aws: { provider: aws.Provider; adoptSecretArn?: string };
    kubernetes: {
        provider: k8s.Provider;
        namespace: string;
        secretStoreRef: SecretStoreRef;
        alertmanagerName: string;
        alertmanagerExtraSecrets: string[];
        alertmanagerTakeOverConfig: boolean;
    };
}

/**
 * Days AWS keeps a deleted secret restorable. The stack itself never deletes it (retainOnDelete);
 * this applies only if someone removes that option, and the longest window AWS allows leaves the
 * most time to `aws secretsmanager restore-secret`.
 */
export const TOKEN_SECRET_RECOVERY_WINDOW_DAYS = 30;

const ALERTMANAGER_API_VERSION = "monitoring.coreos.com/v1";

export class AlertmanagerTokenPath extends pulumi.ComponentResource {
    readonly secretArn: pulumi.Output<string>;
    /** Non-secret fingerprint of the current token: changes whenever the token does. */
    readonly secretVersionId: pulumi.Output<string>;
    /** The alertmanager.yaml installed; plain text, as it holds no secret. */
    readonly alertmanagerConfig: pulumi.Output<string>;
    /** The live Alertmanager's config Secret and mounts as read before this update patched them. */
    readonly alertmanagerBefore: pulumi.Output<AlertmanagerBefore>;

    constructor(name: string, args: AlertmanagerTokenPathArgs, opts?: pulumi.ComponentResourceOptions) {
        super("alert-routing:index:AlertmanagerTokenPath", name, {}, opts);
        const awsOpts = { parent: this, provider: args.aws.provider };
        const k8sOpts = { parent: this, provider: args.kubernetes.provider, protect: args.protect };

        // The secret may predate this stack; `adoptTokenSecretArn` imports it on the first up.
        // Neither `pulumi destroy` nor a removed line deletes it or its value, in either stack.
        const secret = new aws.secretsmanager.Secret(
            "alertmanager-token",
            { name: TOKEN_SECRET_NAME, recoveryWindowInDays: TOKEN_SECRET_RECOVERY_WINDOW_DAYS },
            { ...awsOpts, import: args.aws.adoptSecretArn, protect: args.protect, retainOnDelete: true },
        );
        // Not protected: a new token is a new version (secret_string is ForceNew in the AWS provider,
        // internal/service/secretsmanager/secret_version.go), and the engine refuses to replace a
        // protected resource ("unable to replace resource ... marked for protection", step_generator.go),
        // which would block every rotation. retainOnDelete keeps each replaced version's value in AWS.
        const version = new aws.secretsmanager.SecretVersion(
            "alertmanager-token",
            {
                secretId: secret.id,
                secretString: pulumi.secret(args.token.apply((token) => JSON.stringify({ [TOKEN_SECRET_PROPERTY]: token }))),
            },
            { ...awsOpts, retainOnDelete: true },
        );

        const { namespace, alertmanagerName } = args.kubernetes;
        const externalSecret = new k8s.apiextensions.CustomResource(
            "alertmanager-token",
            externalSecretManifest({ namespace, secretStoreRef: args.kubernetes.secretStoreRef, forceSync: version.versionId }),
            k8sOpts,
        );

        // Holds no secret (the token is read from a file), but the operator only takes a Secret.
        this.alertmanagerConfig = pulumi.output(args.alertEventsUrl).apply(alertmanagerConfigYaml);
        const config = new k8s.core.v1.Secret(
            "alertmanager-config",
            {
                metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace },
                stringData: { [ALERTMANAGER_CONFIG_KEY]: this.alertmanagerConfig },
            },
            k8sOpts,
        );

        // Read the live Alertmanager before patching it. CustomResource.get passes only apiVersion and
        // kind, and the SDK resolves only the properties a resource was constructed with (@pulumi/pulumi
        // runtime/rpc.js resolveProperties skips the rest), so its `spec` would never arrive. This is the
        // same read (ReadResource with the id namespace/name) asking for `spec` too.
        const live = new k8s.apiextensions.CustomResource(
            "alertmanager-live",
            { apiVersion: ALERTMANAGER_API_VERSION, kind: "Alertmanager", metadata: undefined, spec: undefined },
            { parent: this, provider: args.kubernetes.provider, id: `${namespace}/${alertmanagerName}` },
        ) as k8s.apiextensions.CustomResource & { spec: pulumi.Output<unknown> };
        this.alertmanagerBefore = live.spec.apply((spec) => alertmanagerBefore(alertmanagerName, namespace, spec));
        // The patch's spec waits for this check: when it throws, the patch is never sent.
        const allowedSpec = this.alertmanagerBefore.apply((before) => {
            const problems = takeoverProblems(
                before,
                { extraSecrets: args.kubernetes.alertmanagerExtraSecrets, takeOverConfig: args.kubernetes.alertmanagerTakeOverConfig },
                args.stack,
            );
            if (problems.length > 0) {
                throw new pulumi.ResourceError(
                    `Not patching Alertmanager ${namespace}/${alertmanagerName}: it runs what this stack does not own. ` +
                        `Nothing was changed on the Alertmanager.\n` +
                        problems.map((p) => `\n  - ${p}`).join("") +
                        `\n\nBefore: configSecret "${before.configSecret}", secrets [${before.secrets.join(", ")}].`,
                    live,
                    true,
                );
            }
            return alertmanagerSpecPatch(args.kubernetes.alertmanagerExtraSecrets);
        });

        // Server-side apply of only the fields we own; the Alertmanager itself stays with whoever
        // installed it (e.g. the kube-prometheus-stack Helm release). Forced: these fields are ours.
        // After the ExternalSecret is Ready (its waitFor annotation): a Secret that never syncs must
        // fail the update, not be mounted (a missing mounted Secret keeps new pods from starting).
        new k8s.apiextensions.CustomResourcePatch(
            "alertmanager",
            {
                apiVersion: ALERTMANAGER_API_VERSION,
                kind: "Alertmanager",
                metadata: {
                    name: alertmanagerName,
                    namespace,
                    annotations: { "pulumi.com/patchForce": "true" },
                },
                spec: allowedSpec,
            },
            { ...k8sOpts, dependsOn: [externalSecret, config] },
        );

        this.secretArn = secret.arn;
        this.secretVersionId = version.versionId;
        this.registerOutputs({
            secretArn: this.secretArn,
            secretVersionId: this.secretVersionId,
            alertmanagerBefore: this.alertmanagerBefore,
        });
    }
}
