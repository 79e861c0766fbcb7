// The Alertmanager source's outputs on their way into the token path (stack/alertSourceToken.ts):
// the URL Alertmanager posts to and the token it presents come only from the AlertSource resource,
// and each is checked before it goes anywhere.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import * as pulumi from "@pulumi/pulumi";

import { alertSourceToken, checkedAlertEventsUrl, checkedToken } from "../../stack/alertSourceToken";

const ID = "01KH7FNXWPMH6KPCQTYJJY947G";
const TOKEN = "canary-alert-source-token-5b2e";
const ANSWER = { id: ID, name: "Alertmanager (Staging)", stack: "staging" };

describe("the Alertmanager source's outputs into the token path", () => {
    const cases: Array<{ name: string; url: string | undefined; ok: boolean }> = [
        {
            name: "incident.io's https endpoint for this source",
            url: `https://api.incident.io/v2/alert_events/alertmanager/${ID}`,
            ok: true,
        },
        {
            name: "another origin, https and ending in the id",
            url: `https://eu.api.incident.io/v2/alert_events/alertmanager/${ID}`,
            ok: true,
        },
        { name: "plain http", url: `http://api.incident.io/v2/alert_events/alertmanager/${ID}`, ok: false },
        { name: "another source's URL", url: "https://api.incident.io/v2/alert_events/alertmanager/01KHSNW67SZJ1KGWEMA9C0GPT7", ok: false },
        { name: "none", url: undefined, ok: false },
        { name: "not a URL", url: "alert events", ok: false },
        { name: "a control character", url: `https://api.incident.io/\u001b[2J/${ID}x`, ok: false },
    ];
    for (const c of cases) {
        it(`URL: ${c.name} is ${c.ok ? "taken as it is" : "refused, naming the source and the command to run"}`, () => {
            if (c.ok) return assert.equal(checkedAlertEventsUrl(c.url, ANSWER), c.url);
            assert.throws(
                () => checkedAlertEventsUrl(c.url, ANSWER),
                (e: Error) => {
                    assert.match(
                        e.message,
                        /alert source "Alertmanager \(Staging\)" \(01KH7FNXWPMH6KPCQTYJJY947G\) with the alert events URL/,
                    );
                    assert.match(
                        e.message,
                        /it was not written into the Alertmanager token path and nothing was changed in AWS or Kubernetes/,
                    );
                    assert.ok(e.message.includes("pulumi refresh --stack staging"), e.message);
                    assert.ok(!e.message.includes("\u001b"), "control characters escaped");
                    return true;
                },
            );
        });
    }

    it("token: the source's secret_token, trimmed", () => {
        assert.equal(checkedToken(` ${TOKEN}\n`, ANSWER), TOKEN);
    });

    for (const token of ["", "  ", undefined]) {
        it(`token: ${JSON.stringify(token ?? null)} is refused before the token path is written, naming the config key to check`, () => {
            assert.throws(
                () => checkedToken(token, ANSWER),
                (e: Error) => {
                    assert.match(e.message, /incident\.io holds no secret_token for the alert source "Alertmanager \(Staging\)"/);
                    assert.match(e.message, /nothing was changed in AWS or Kubernetes/);
                    assert.ok(
                        e.message.includes("pulumi config get --stack staging --path 'alert-routing:alertSources.alertmanager'"),
                        e.message,
                    );
                    return true;
                },
            );
        });
    }

    it("token: a Pulumi secret, even when the output it came from was not", async () => {
        const source = {
            id: pulumi.output(ID),
            name: pulumi.output(ANSWER.name),
            alert_events_url: pulumi.output(undefined),
            secret_token: pulumi.output(TOKEN),
        } as unknown as Parameters<typeof alertSourceToken>[0]["source"];
        assert.equal(await pulumi.isSecret(alertSourceToken({ source, stack: "staging" })), true);
    });
});
