// The ExternalSecret (pure) against External Secrets Operator's v1 CRD schema in dev/reference/.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";

import { externalSecretManifest } from "../../stack/externalSecret";
import { externalSecretProblems } from "../support/externalSecretSchema";

const valid = (kind: "SecretStore" | "ClusterSecretStore") =>
    externalSecretManifest({ namespace: "monitoring", secretStoreRef: { name: "aws-secrets-manager", kind }, forceSync: "5b4e2f4c-6f0a" });

describe("ExternalSecret", () => {
    for (const kind of ["ClusterSecretStore", "SecretStore"] as const) {
        it(`validates against the v1 CRD with a ${kind}`, () => {
            assert.deepEqual(externalSecretProblems(valid(kind)), []);
        });
    }

    it("makes pulumi up wait for ESO's Ready condition (pulumi-kubernetes >= 4.18; installed 4.34.2)", () => {
        const installed = JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")).version as string;
        const [major, minor] = installed.split(".").map(Number);
        assert.ok(major > 4 || (major === 4 && minor >= 18), `@pulumi/kubernetes ${installed} predates pulumi.com/waitFor`);
        assert.equal(valid("SecretStore").metadata.annotations["pulumi.com/waitFor"], "condition=Ready");
    });

    it("copies property alert_source_token of unkey/alertmanager-incident-io to key token of Secret alertmanager-incidentio, hourly", () => {
        const es = valid("ClusterSecretStore");
        assert.deepEqual(es.metadata, {
            name: "alertmanager-incidentio",
            namespace: "monitoring",
            annotations: { "force-sync": "5b4e2f4c-6f0a", "pulumi.com/waitFor": "condition=Ready" },
        });
        assert.deepEqual(es.spec, {
            refreshInterval: "1h",
            secretStoreRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
            target: { name: "alertmanager-incidentio", creationPolicy: "Owner" },
            data: [{ secretKey: "token", remoteRef: { key: "unkey/alertmanager-incident-io", property: "alert_source_token" } }],
        });
    });

    // The schema check is only worth something if it catches mistakes.
    // Values the manifest's type forbids go in through Object.assign / Reflect.deleteProperty.
    const broken: Array<[string, (es: ReturnType<typeof valid>) => void, RegExp]> = [
        [
            "a misspelt field",
            (es) => Object.assign(es.spec, { refreshIntervall: "1h" }),
            /must NOT have additional properties.*refreshIntervall/,
        ],
        [
            "an unknown store kind",
            (es) => Object.assign(es.spec.secretStoreRef, { kind: "VaultStore" }),
            /secretStoreRef\/kind must be equal to one of the allowed values/,
        ],
        ["a remote ref without key", (es) => Reflect.deleteProperty(es.spec.data[0].remoteRef, "key"), /must have required property 'key'/],
        ["a bad store name", (es) => (es.spec.secretStoreRef.name = "AWS Store"), /secretStoreRef\/name must match pattern/],
        ["the old API version", (es) => (es.apiVersion = "external-secrets.io/v1beta1"), /apiVersion is external-secrets.io\/v1beta1/],
        ["an invalid name", (es) => (es.metadata.name = "Alertmanager_IncidentIO"), /metadata.name .* is not a DNS-1123 label/],
    ];
    for (const [what, breakIt, problem] of broken) {
        it(`the check catches ${what}`, () => {
            const es = structuredClone(valid("ClusterSecretStore"));
            breakIt(es);
            assert.match(externalSecretProblems(es).join("\n"), problem);
        });
    }
});
