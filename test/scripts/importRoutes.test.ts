// `npm run import-routes`: old backup files and stack exports → route definitions + adoption config.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import * as YAML from "yaml";

import { fromResponse, canonical } from "../../providers/incident-io";
import { validateRoute } from "../../providers/incident-io/validate";
import { keyFromName, readBackups } from "../../scripts/backups";
import { comparison, keyedIds, main, stackFileIds } from "../../scripts/import-routes";
import type { RouteIds } from "../../stack/routes";
import { PROJECT_ROOT } from "../../dev/paths";

const FIXTURES = path.join(__dirname, "..", "fixtures");
const BACKUPS = path.join(FIXTURES, "backups");
const EXPORT = path.join(FIXTURES, "stack-export.production.json");

function run(argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = main(argv, { log: (s) => (stdout += s), error: (s) => (stderr += s) });
    return { code, stdout, stderr };
}

describe("import-routes", () => {
    it("reads wrapped and bare backup files, matches them to the route table, keeps unknown routes apart", () => {
        const { routes, problems } = readBackups(BACKUPS);
        assert.deepEqual(problems, []);
        assert.deepEqual(
            routes.map((r) => [r.key, r.owner, r.id, r.version]),
            [
                ["legacyDatadogOld", undefined, "01J0R0VTE1EGACY00000000000", 1],
                ["productionAlerts", "production", "01J0R0VTEPR0DA1ERTS0000000", 7],
                ["stagingNotifications", "staging", "01J0R0VTESTAG1NG0000000000", 4],
                ["unroutedAlerts", "production", "01J0R0VTEVNR0VTED000000000", 2],
            ],
        );
    });

    it("turns the API's rich responses into valid payloads: no labels, subject/operation as references", () => {
        const { routes } = readBackups(BACKUPS);
        for (const r of routes) {
            assert.deepEqual(validateRoute(r.spec as unknown as Record<string, unknown>), [], r.key);
            const text = JSON.stringify(r.spec);
            for (const responseOnly of ['"label"', '"created_at"', '"updated_at"', '"id"', '"version"'])
                assert.ok(!text.includes(responseOnly), `${r.key} has ${responseOnly}`);
        }
        const alerts = routes.find((r) => r.key === "productionAlerts")!;
        // alert_sources is set-like: canonical order is by alert_source_id, not the backup's order.
        const alertmanager = alerts.spec.alert_sources.find((s) => s.alert_source_id === "01KHSNW67SZJ1KGWEMA9C0GPT7")!;
        assert.deepEqual(alertmanager.condition_groups[0].conditions[0], {
            subject: "alert.attributes.01J0SEVER1TY00000000000000",
            operation: "one_of",
            param_bindings: [{ array_value: [{ literal: "critical" }] }],
        });
        const raw = JSON.parse(fs.readFileSync(path.join(BACKUPS, "production-alerts.json"), "utf8")).alert_route;
        assert.deepEqual(alerts.spec, canonical(fromResponse(raw)), "the provider's model layer does the conversion");
    });

    it("reads a pulumi stack export: routes from outputs, its stack, and skips routes never created", () => {
        const backups = readBackups(EXPORT);
        assert.equal(backups.exportedStack, "production");
        assert.deepEqual(
            backups.routes.map((r) => [r.key, r.id, r.version]),
            [
                ["productionAlerts", "01J0R0VTEPR0DA1ERTS0000000", 7],
                ["unroutedAlerts", "01J0R0VTEVNR0VTED000000000", 2],
            ],
        );
        assert.deepEqual(
            backups.problems.map((p) => p.problem),
            ["no id or route in its outputs (never created, or pending): skipped"],
        );
        // The export and the backup files describe the same live routes identically.
        const fromFiles = readBackups(BACKUPS).routes;
        for (const r of backups.routes) assert.deepEqual(r.spec, fromFiles.find((f) => f.key === r.key)!.spec);
    });

    it("prints adoption commands and YAML per owning stack, and writes definitions", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "import-routes-"));
        try {
            const { code, stdout, stderr } = run([BACKUPS, "--out", out]);
            assert.equal(code, 0, stderr);
            assert.equal(stderr, "");
            assert.match(stdout, /4 route\(s\) in .*backups:/);
            assert.match(
                stdout,
                /Not in stack\/routes\.ts \(add a row to manage one, or leave it unmanaged\):\n {2}01J0R0VTE1EGACY00000000000 {2}v1 {2}"Legacy: Datadog \(old\)"/,
            );
            // Each id of an owned route with its config key; the checkly id is the stack file's, so
            // only email and Grafana Cloud (two unconditioned sources) stay undecided.
            for (const line of [
                "alert source 01KHSNW67SZJ1KGWEMA9C0GPT7 = alert-routing:alertSources.alertmanager",
                "alert source 01HZ7GE7CASMF15RWV1QFCMKTQ = alert-routing:alertSources.checkly",
                "alert source 01J0EMA1SEV000000000000000 = one of alert-routing:alertSources.email, alert-routing:alertSources.grafanaCloud (the route alone cannot tell",
                "alert source 01J0GRAFANA000000000000000 = one of alert-routing:alertSources.email, alert-routing:alertSources.grafanaCloud (the route alone cannot tell",
                "alert attribute 01J0SEVER1TY00000000000000 = alert-routing:alertAttributes.severity",
                "escalation path 01J00NCA110000000000000000 = alert-routing:escalationPaths.engineeringOnCall",
                "slack channel C04ALERTS01 = alert-routing:slackChannels.alerts",
                "alert source 01KH7FNXWPMH6KPCQTYJJY947G = alert-routing:alertSources.alertmanager",
            ])
                assert.ok(stdout.includes(`        ${line}`), line);
            assert.ok(
                stdout.includes(
                    "pulumi config set --stack production --path 'alert-routing:adopt.productionAlerts' 01J0R0VTEPR0DA1ERTS0000000",
                ),
            );
            assert.ok(
                stdout.includes(
                    "pulumi config set --stack staging --path 'alert-routing:adopt.stagingNotifications' 01J0R0VTESTAG1NG0000000000",
                ),
            );
            assert.ok(!stdout.includes("adopt.legacyDatadogOld"), "an unowned route is never adopted");

            assert.deepEqual(fs.readdirSync(out).sort(), [
                "adopt.production.yaml",
                "adopt.staging.yaml",
                "legacyDatadogOld.json",
                "productionAlerts.json",
                "routes.ts",
                "stagingNotifications.json",
                "unroutedAlerts.json",
            ]);
            assert.deepEqual(YAML.parse(fs.readFileSync(path.join(out, "adopt.production.yaml"), "utf8")), {
                config: {
                    "alert-routing:adopt": { productionAlerts: "01J0R0VTEPR0DA1ERTS0000000", unroutedAlerts: "01J0R0VTEVNR0VTED000000000" },
                },
            });
            const spec = JSON.parse(fs.readFileSync(path.join(out, "productionAlerts.json"), "utf8"));
            assert.equal(spec.name, "Production Alerts");
            const module = fs.readFileSync(path.join(out, "routes.ts"), "utf8");
            assert.match(module, /^\/\/ Generated by `npm run import-routes`/);
            assert.match(module, /export const importedRoutes: Record<string, AlertRouteSpec> = \{/);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("reports what it cannot use, keeps the newest copy of a route, and exits 1", () => {
        const { code, stdout, stderr } = run([path.join(FIXTURES, "backups-with-problems")]);
        assert.equal(code, 1);
        assert.match(stdout, /1 route\(s\)/);
        assert.match(stdout, /productionAlerts {2}01J0R0VTEPR0DA1ERTS0000000 {2}v7/);
        assert.match(stderr, /route-list\.json: a route list holds no route configuration/);
        assert.match(stderr, /truncated\.json: not JSON/);
    });

    it("compares each backed-up route with its definition, rendered with the stack's ids", () => {
        const routes = readBackups(BACKUPS).routes;
        const route = (key: string) => routes.find((r) => r.key === key)!;
        const production: RouteIds = {
            alertSources: {
                alertmanager: "01KHSNW67SZJ1KGWEMA9C0GPT7",
                checkly: "01HZ7GE7CASMF15RWV1QFCMKTQ",
                email: "01J0EMA1SEV000000000000000",
                grafanaCloud: "01J0GRAFANA000000000000000",
            },
            escalationPaths: { engineeringOnCall: "01J00NCA110000000000000000" },
            slackChannels: { alerts: "C04ALERTS01" },
            alertAttributes: { severity: "01J0SEVER1TY00000000000000" },
        };
        assert.equal(comparison(route("productionAlerts"), production), "same as stack/routes.ts");
        assert.equal(comparison(route("unroutedAlerts"), production), "same as stack/routes.ts");
        const staging: RouteIds = {
            alertSources: { alertmanager: "01KH7FNXWPMH6KPCQTYJJY947G", checkly: "01KKZJERF1HQFJRE3XWFZ0NV19" },
            escalationPaths: {},
            slackChannels: { alerts: "C04ALERTS01" },
            alertAttributes: {},
        };
        assert.equal(comparison(route("stagingNotifications"), staging), "same as stack/routes.ts");
        assert.equal(
            comparison(route("productionAlerts"), { ...production, escalationPaths: { engineeringOnCall: "01J0ANOTHERPATH00000000000" } }),
            "differs from stack/routes.ts in escalation_config: adopting it will change the live route",
        );
        assert.match(
            comparison(route("productionAlerts"), { ...production, alertAttributes: {} }),
            /^not compared: Pulumi\.production\.yaml lacks alert-routing:alertAttributes\.severity$/,
        );
        assert.equal(comparison(route("legacyDatadogOld"), production), "not compared: not in stack/routes.ts");
    });

    it("reads the ids a stack file sets", () => {
        assert.deepEqual(stackFileIds("staging").alertSources, {
            alertmanager: "01KH7FNXWPMH6KPCQTYJJY947G",
            checkly: "01KKZJERF1HQFJRE3XWFZ0NV19",
        });
    });

    it("says why an empty folder gave nothing, and what to run", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "import-routes-empty-"));
        try {
            const { code, stdout, stderr } = run([empty]);
            assert.equal(code, 1);
            assert.equal(stdout, "");
            assert.match(
                stderr,
                /found no route: the folder is empty\. Back the live routes up into it first: npm run backup-routes -- --out /,
            );
            fs.writeFileSync(path.join(empty, "notes.txt"), "x");
            assert.match(run([empty]).stderr, /the folder holds no \.json file \(1 other file\(s\): notes\.txt\)/);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });

    it("keys every id with the stack file's ids and the other routes of the stack; never guesses", () => {
        const routes = readBackups(BACKUPS).routes;
        const none = { alertSources: {}, escalationPaths: {}, slackChannels: {}, alertAttributes: {} } as RouteIds;
        const keyed = keyedIds(routes, () => none);
        const alerts = keyed.get(routes.find((r) => r.key === "productionAlerts")!)!;
        // Without the stack file, checkly joins the undecided unconditioned sources.
        assert.deepEqual(
            // alert_sources is a set (the model sorts it), so compare in id order.
            alerts
                .filter((f) => f.kind === "alert source")
                .map((f) => [f.id, f.keys.map((k) => k.name).sort()])
                .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
            [
                ["01HZ7GE7CASMF15RWV1QFCMKTQ", ["checkly", "email", "grafanaCloud"]],
                ["01J0EMA1SEV000000000000000", ["checkly", "email", "grafanaCloud"]],
                ["01J0GRAFANA000000000000000", ["checkly", "email", "grafanaCloud"]],
                ["01KHSNW67SZJ1KGWEMA9C0GPT7", ["alertmanager"]],
            ],
        );
        // Knowing two of them settles the third.
        const two = { ...none, alertSources: { checkly: "01HZ7GE7CASMF15RWV1QFCMKTQ", email: "01J0EMA1SEV000000000000000" } } as RouteIds;
        const settled = keyedIds(routes, () => two).get(routes.find((r) => r.key === "productionAlerts")!)!;
        assert.deepEqual(settled.find((f) => f.id === "01J0GRAFANA000000000000000")!.keys, [
            { group: "alertSources", name: "grafanaCloud" },
        ]);
        assert.equal(keyedIds(routes, () => none).has(routes.find((r) => r.key === "legacyDatadogOld")!), false);
    });

    it("explains its usage", () => {
        assert.equal(run([]).code, 2);
        assert.match(run(["--out"]).stderr, /usage: npm run import-routes -- /);
        assert.match(run(["/no/such/dir"]).stderr, /no such file or directory/);
    });

    it("derives keys in the style of stack/routes.ts", () => {
        assert.equal(keyFromName("Production Alerts"), "productionAlerts");
        assert.equal(keyFromName("Legacy: Datadog (old)"), "legacyDatadogOld");
        assert.equal(keyFromName("5xx errors"), "route5xxErrors");
    });

    it("runs as the npm script would run it", () => {
        const result = spawnSync(process.execPath, ["--require", "ts-node/register", "scripts/import-routes.ts", EXPORT], {
            cwd: PROJECT_ROOT,
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
            encoding: "utf8",
            timeout: 120_000,
        });
        assert.equal(result.status, 1, result.stderr); // the export holds one never-created route
        assert.match(result.stdout, /2 route\(s\) in .*stack-export\.production\.json \(stack export of "production"\)/);
        assert.match(result.stderr, /productionWarnings: no id or route in its outputs/);
    });
});
