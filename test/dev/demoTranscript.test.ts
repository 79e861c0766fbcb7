// What `npm run demo` prints around the commands it runs, and the folder it may remove.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import { demoFolder, runDemo } from "../../dev/demo/run";
import { commandLine, pathTemplate, requestSummary } from "../../dev/demo/transcript";
import { PROJECT_ROOT } from "../../dev/paths";
import { BUILD_DIR } from "../../dev/pulumi-cli";

describe("commandLine", () => {
    const cases: Array<{ name: string; words: string[]; stdinFromEnv?: string; want: string }> = [
        {
            name: "plain words stay bare",
            words: ["pulumi", "preview", "--stack", "production"],
            want: "$ pulumi preview --stack production",
        },
        {
            name: "a URL stays bare",
            words: ["npm", "run", "x", "--", "--base-url", "http://127.0.0.1:4000"],
            want: "$ npm run x -- --base-url http://127.0.0.1:4000",
        },
        { name: "a space is quoted", words: ["echo", "two words"], want: "$ echo 'two words'" },
        { name: "a shell metacharacter is quoted", words: ["echo", "a;rm -rf /"], want: "$ echo 'a;rm -rf /'" },
        { name: "a control character is escaped", words: ["echo", "a\nb"], want: "$ echo $'a\\x0ab'" },
        {
            name: "a secret comes from the environment, never the line",
            words: ["pulumi", "config", "set", "--secret", "incident-io:apiKey"],
            stdinFromEnv: "INCIDENT_IO_TOKEN",
            want: "$ printenv INCIDENT_IO_TOKEN | pulumi config set --secret incident-io:apiKey",
        },
    ];
    for (const c of cases) it(c.name, () => assert.equal(commandLine({ words: c.words, stdinFromEnv: c.stdinFromEnv }), c.want));
});

describe("requestSummary", () => {
    const cases: Array<{ name: string; requests: Array<{ method: string; path: string }>; want: string }> = [
        { name: "no request", requests: [], want: "0 request(s); new routes (POST /v2/alert_routes): 0" },
        {
            name: "ids are summed up by endpoint, in the order first seen",
            requests: [
                { method: "GET", path: "/v2/alert_routes/01J0R0VTEPR0DA1ERTS0000000" },
                { method: "PUT", path: "/v2/alert_routes/01J0R0VTEPR0DA1ERTS0000000" },
                { method: "GET", path: "/v2/alert_routes/01J0R0VTEPR0DWARN000000000" },
            ],
            want: "3 request(s): GET /v2/alert_routes/{id} (2), PUT /v2/alert_routes/{id} (1); new routes (POST /v2/alert_routes): 0",
        },
        {
            name: "a new route is counted; a claim (POST /v2/managed_resources) is not one",
            requests: [
                { method: "POST", path: "/v2/alert_routes" },
                { method: "POST", path: "/v2/managed_resources" },
            ],
            want: "2 request(s): POST /v2/alert_routes (1), POST /v2/managed_resources (1); new routes (POST /v2/alert_routes): 1",
        },
    ];
    for (const c of cases) it(c.name, () => assert.equal(requestSummary(c.requests), c.want));

    it("pathTemplate keeps words and replaces ids", () => {
        assert.equal(pathTemplate("/v2/alert_routes/01KHSNW67SZJ1KGWEMA9C0GPT7"), "/v2/alert_routes/{id}");
        assert.equal(pathTemplate("/v1/identity"), "/v1/identity");
    });
});

describe("the demo's folder", () => {
    it("must be inside the checkout and not the checkout itself", () => {
        assert.equal(demoFolder(".demo"), path.join(PROJECT_ROOT, ".demo"));
        for (const dir of [".", "..", "/tmp/demo", "../elsewhere"])
            assert.throws(() => demoFolder(dir), /--dir must be a folder inside the checkout/, dir);
    });

    it("a folder the demo did not make is not removed: exit 2, before any command", async () => {
        fs.mkdirSync(BUILD_DIR, { recursive: true });
        const dir = fs.mkdtempSync(path.join(BUILD_DIR, "not-the-demos-"));
        fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
        let out = "";
        try {
            const code = await runDemo(["--dir", path.relative(PROJECT_ROOT, dir)], { out: (s) => (out += s), err: (s) => (out += s) });
            assert.equal(code, 2, out);
            assert.match(out, /exists and was not made by npm run demo: nothing was removed/);
            assert.equal(fs.readFileSync(path.join(dir, "keep.txt"), "utf8"), "mine");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
