// discover-config and the stacks' AlertSource and AlertAttribute resources (stack/sources.ts): the
// alertSources.* and alertAttributes.* ids it prints and writes are what those resources adopt, so it
// checks each against its row as adoption will (name; a source's type) and never prints or writes an
// id the preview would refuse.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";

import * as YAML from "yaml";

import { IncidentIoEmulator } from "../../dev/emulator";
import { LIVE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import { adoptionProblem, main as discoverConfig, type Adopter } from "../../scripts/discover-config";
import { ENVIRONMENTS } from "../../stack/routes";
import { attributesOwnedBy, sourceIdentity, sourcesOwnedBy } from "../../stack/sources";
import { capturingIo, scratchProject } from "../support/scriptIo";

const API_KEY = "api-key-canary-discover-catalogue";
const FAST_RETRY = { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20 } };

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

describe("discover-config: the ids the stacks' alert sources and attributes adopt", () => {
    let emu: IncidentIoEmulator;
    let tmp: string;

    const discover = async (args: string[]): Promise<Run> => {
        const io = capturingIo(tmp, { key: API_KEY });
        const code = await discoverConfig([...args, "--base-url", emu.url, "--project-dir", tmp], io, FAST_RETRY);
        return { code, ...io.out() };
    };
    const stackFile = (stack: string) => path.join(tmp, `Pulumi.${stack}.yaml`);
    const configOf = (stack: string): Record<string, Record<string, string> | undefined> =>
        YAML.parse(fs.readFileSync(stackFile(stack), "utf8")).config;

    beforeEach(async () => {
        emu = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emu, { otherRoutes: 3, otherEscalationPaths: 2 });
        tmp = scratchProject("discover-catalogue-", ENVIRONMENTS);
    });
    afterEach(async () => {
        await emu.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    for (const stack of ENVIRONMENTS) {
        it(`${stack}: one quoted --stack command per source and attribute the stack manages, naming the resource that adopts it, and --write sets them`, async () => {
            const run = await discover(["--stack", stack, "--write"]);
            assert.equal(run.code, 0, run.stderr);
            const sources = sourcesOwnedBy(stack);
            const attributes = attributesOwnedBy(stack);
            assert.ok(
                run.stdout.includes(
                    `# the alertSources.* and alertAttributes.* ids are what the stack's ${sources.length} AlertSource and ${attributes.length} AlertAttribute resource(s) adopt (stack/sources.ts)\n`,
                ),
                run.stdout,
            );
            const lines = run.stdout.split("\n");
            const expectLine = (group: string, key: string, id: string, resource: string, name: string) => {
                const start = `pulumi config set --stack ${stack} --path 'alert-routing:${group}.${key}' ${id}   # `;
                const line = lines.filter((l) => l.startsWith(start));
                assert.equal(line.length, 1, `${group}.${key}:\n${run.stdout}`);
                assert.ok(line[0].endsWith(`; adopted by the ${resource} "${name}"`), line[0]);
            };
            const ids = LIVE_IDS[stack];
            for (const row of sources) {
                expectLine(
                    "alertSources",
                    row.key,
                    (ids.alertSources as Record<string, string>)[row.key],
                    "AlertSource",
                    sourceIdentity(row).name,
                );
            }
            for (const row of attributes) {
                expectLine(
                    "alertAttributes",
                    row.key,
                    (ids.alertAttributes as Record<string, string>)[row.key],
                    "AlertAttribute",
                    row.spec.name,
                );
            }
            const config = configOf(stack);
            assert.deepEqual(config["alert-routing:alertSources"], ids.alertSources);
            if (attributes.length > 0) assert.deepEqual(config["alert-routing:alertAttributes"], ids.alertAttributes);
            assert.ok(!run.stdout.includes(SOURCE_TOKEN_CANARY) && !run.stderr.includes(SOURCE_TOKEN_CANARY), "no source token printed");
        });
    }

    it("a source renamed in the dashboard is named as a problem: adoption would refuse it, so its id is neither printed nor written", async () => {
        const axiom = LIVE_IDS.production.alertSources.axiom;
        emu.editAlertSourceInUi(axiom, (payload) => (payload.name = "Axiom logs"));
        const run = await discover(["--stack", "production", "--write"]);
        assert.equal(run.code, 1);
        assert.ok(
            run.stderr.includes(
                `alert-routing:alertSources.axiom: ${axiom} "Axiom logs" (http) is not named "Axiom" as the AlertSource "Axiom" (stack/sources.ts) defines it, so adoption would be refused`,
            ),
            run.stderr,
        );
        assert.match(run.stderr, /rename the row to "Axiom logs" \(or the alert source in incident\.io\) and run this again/);
        assert.match(run.stderr, /then: pulumi config set --stack production --path 'alert-routing:alertSources\.axiom' <id>/);
        assert.ok(!run.stdout.includes("alertSources.axiom'"), "no command for it");
        assert.equal(configOf("production")["alert-routing:alertSources"]!.axiom, undefined, "not written");
        // Everything else is still found and written.
        assert.equal(
            configOf("production")["alert-routing:alertSources"]!.statusPageViews,
            LIVE_IDS.production.alertSources.statusPageViews,
        );
    });

    it("a source of another type than its row (found by name) is refused: a source's type never changes", async () => {
        const axiom = LIVE_IDS.production.alertSources.axiom;
        emu.deleteAlertSourceInUi(axiom);
        emu.addAlertSource({ id: axiom, name: "Axiom", source_type: "http_custom" });
        const run = await discover(["--stack", "production", "--write"]);
        assert.equal(run.code, 1);
        assert.ok(
            run.stderr.includes(
                `alert-routing:alertSources.axiom: ${axiom} "Axiom" (http_custom) is of type http_custom, but the AlertSource "Axiom" (stack/sources.ts) is of type http`,
            ),
            run.stderr,
        );
        assert.equal(configOf("production")["alert-routing:alertSources"]!.axiom, undefined, "not written");
    });

    it("with no live route to tell, the source named as in stack/sources.ts is chosen among several of its type", async () => {
        for (const route of emu.routes()) emu.deleteInUi(route.id);
        // Two production-named Alertmanager sources: only one is named as the table defines it.
        emu.addAlertSource({ id: "01J0A1ERTMANAGERPR0D01D000", name: "Alertmanager (Production, old)", source_type: "alertmanager" });
        const doc = YAML.parseDocument(fs.readFileSync(stackFile("production"), "utf8"));
        doc.deleteIn(["config", "alert-routing:alertSources", "alertmanager"]);
        fs.writeFileSync(stackFile("production"), doc.toString());
        const run = await discover(["--stack", "production"]);
        assert.ok(
            run.stdout.includes(
                `--path 'alert-routing:alertSources.alertmanager' ${LIVE_IDS.production.alertSources.alertmanager}   # the only alert source of type alertmanager, named as in stack/sources.ts: "Alertmanager (Production)"; adopted by the AlertSource "Alertmanager (Production)"`,
            ),
            `${run.stdout}\n${run.stderr}`,
        );
        assert.ok(!run.stderr.includes("alert-routing:alertSources.alertmanager:"), run.stderr);
    });
});

describe("adoptionProblem: a live object against the row that adopts it", () => {
    const source: Adopter = { resource: "AlertSource", name: "Alertmanager (Staging)", source_type: "alertmanager" };
    const attribute: Adopter = { resource: "AlertAttribute", name: "severity" };
    const cases: Array<{
        name: string;
        adopter: Adopter;
        live?: { id: string; name: string; source_type?: string };
        expect: RegExp | undefined;
    }> = [
        {
            name: "same name and type",
            adopter: source,
            live: { id: "S1", name: "Alertmanager (Staging)", source_type: "alertmanager" },
            expect: undefined,
        },
        { name: "attribute of the same name", adopter: attribute, live: { id: "A1", name: "severity" }, expect: undefined },
        {
            name: "not listed",
            adopter: source,
            live: undefined,
            expect: /^incident\.io lists no alert source S1, so the AlertSource "Alertmanager \(Staging\)"/,
        },
        {
            name: "another type",
            adopter: source,
            live: { id: "S1", name: "Alertmanager (Staging)", source_type: "http" },
            expect: /is of type http, but the AlertSource .* is of type alertmanager/,
        },
        {
            name: "another name",
            adopter: source,
            live: { id: "S1", name: "AM staging", source_type: "alertmanager" },
            expect: /^S1 "AM staging" \(alertmanager\) is not named "Alertmanager \(Staging\)"/,
        },
        {
            name: "attribute of another name",
            adopter: attribute,
            live: { id: "A1", name: "Severity" },
            expect: /is not named "severity" as the AlertAttribute "severity"/,
        },
        {
            name: "a name with control characters is escaped",
            adopter: attribute,
            live: { id: "A1", name: "sev\u001b]52;c;x\u0007" },
            expect: /"sev\\x1b\]52;c;x\\x07"/,
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const problem = adoptionProblem(c.adopter, c.live?.id ?? "S1", c.live);
            if (c.expect === undefined) assert.equal(problem, undefined);
            else assert.match(problem ?? "", c.expect);
        });
    }
});
