// Alertmanager's config and the operator patch (pure), against the rules of Alertmanager's
// configuration reference (dev/reference/alertmanager).
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as YAML from "yaml";

import { alertmanagerConfig, alertmanagerConfigYaml, alertmanagerSpecPatch, INCIDENT_IO_RECEIVER } from "../../stack/alertmanagerConfig";
import { tokenFilePath } from "../../stack/tokenPath";
import { configProblems, incidentioConfigProblems, rules } from "../support/alertmanagerRules";

const URLS = {
    production: "https://api.incident.io/v2/alert_events/alertmanager/01KHSNW67SZJ1KGWEMA9C0GPT7",
    staging: "https://api.incident.io/v2/alert_events/alertmanager/01KH7FNXWPMH6KPCQTYJJY947G",
};
const TOKEN_FILE = "/etc/alertmanager/secrets/alertmanager-incidentio/token";

describe("Alertmanager configuration", () => {
    for (const [environment, url] of Object.entries(URLS)) {
        it(`${environment}: routes every alert to the incident.io receiver, which obeys <incidentio_config>`, () => {
            const config = YAML.parse(alertmanagerConfigYaml(url));
            assert.deepEqual(config, alertmanagerConfig(url), "the YAML round-trips");
            assert.deepEqual(configProblems(config), []);
            assert.equal(config.route.receiver, INCIDENT_IO_RECEIVER);
            const receiver = config.receivers.find((r: { name: string }) => r.name === INCIDENT_IO_RECEIVER)!;
            assert.deepEqual(receiver.incidentio_configs, [{ send_resolved: true, url, alert_source_token_file: TOKEN_FILE }]);
        });
    }

    it("reads the token from the file prometheus-operator mounts for spec.secrets", () => {
        assert.equal(tokenFilePath(), TOKEN_FILE);
        const patch = alertmanagerSpecPatch();
        assert.deepEqual(patch, { configSecret: "alertmanager-incident-io-config", secrets: ["alertmanager-incidentio"] });
        assert.equal(tokenFilePath(patch.secrets[0], "token"), TOKEN_FILE);
    });

    it("keeps other mounted Secrets when listed, since the patch owns all of spec.secrets", () => {
        assert.deepEqual(alertmanagerSpecPatch(["alertmanager-slack", "alertmanager-incidentio"]).secrets, [
            "alertmanager-incidentio",
            "alertmanager-slack",
        ]);
    });

    it("the reference still states the rules checked here", () => {
        const { incidentio_config, receiver } = rules();
        assert.deepEqual(incidentio_config.mutually_exclusive, [
            ["url", "url_file"],
            ["alert_source_token", "alert_source_token_file"],
        ]);
        assert.equal(incidentio_config.fields.alert_source_token_file, "<filepath>");
        assert.equal(receiver.incidentio_configs, "incidentio_config");
        assert.ok(receiver.fields.includes("incidentio_configs"));
    });

    const good = { url: URLS.production, alert_source_token_file: TOKEN_FILE };
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
        ["url and url_file", { ...good, url_file: "/etc/url" }, /exactly one of url and url_file/],
        ["neither url nor url_file", { alert_source_token_file: TOKEN_FILE }, /exactly one of url and url_file/],
        ["token and token file", { ...good, alert_source_token: "x" }, /mutually exclusive/],
        ["token file and http authorization", { ...good, http_config: { authorization: { credentials: "x" } } }, /cannot be combined/],
        ["no credentials", { url: URLS.production }, /no credentials/],
        ["an undocumented field", { ...good, token_file: TOKEN_FILE }, /token_file is not a documented incidentio_config field/],
        ["a relative token file", { ...good, alert_source_token_file: "token" }, /absolute path/],
        ["a bad timeout", { ...good, timeout: "soon" }, /not a <duration>/],
    ];
    for (const [what, config, problem] of cases) {
        it(`the rules catch ${what}`, () => {
            assert.match(incidentioConfigProblems(config).join("\n"), problem);
        });
    }

    it("the rules catch a route to an unknown receiver", () => {
        const config = alertmanagerConfig(URLS.staging);
        config.route.routes = [{ receiver: "pagerduty" }];
        assert.match(configProblems(config).join("\n"), /route\.routes\[0\] sends to unknown receiver pagerduty/);
    });
});
