// import-sources prints a live source that differs from stack/sources.ts as its row of the table.
// The rows' rendering (named table tests), then the first adoption's promise end to end: a source
// edited in the dashboard, backed up, printed as a row, pasted into a copy of stack/sources.ts that
// type-checks, and adopted through the real dynamic-provider host with "writes nothing" and 0 writes.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as ts from "typescript";

import { main as backupRoutes } from "../../scripts/backup-routes";
import { main as importSources } from "../../scripts/import-sources";
import { sourceRowText, typeScriptLiteral } from "../../scripts/sourceRow";
import { ALERT_SOURCE_TYPE, alertSourceProvider } from "../../providers/incident-io/alertSource";
import type { AlertSourceSpec } from "../../providers/incident-io";
import { IncidentIoEmulator } from "../../dev/emulator";
import { type DynamicProviderHost, serializeProvider, urnFor } from "../../dev/host";
import { LIVE_IDS, SOURCE_TOKEN_CANARY, seedWorkspace } from "../../dev/seed/workspace";
import type * as tableModule from "../../stack/sources";
import { sourcesOwnedBy, type SourceRow } from "../../stack/sources";
import { richTextOf } from "../../stack/sourceParts";
import { hostFor } from "../support/handlers";
import { capturingIo } from "../support/scriptIo";

const ROOT = path.resolve(__dirname, "../..");
const API_KEY = "api-key-canary-51d0e2";

/** A row's text evaluated as the table evaluates it, with `need` as stack/sources.ts defines it. */
function evaluateRow(text: string): SourceRow {
    const need = (ids: Record<string, string | undefined>, key: string) => ids[key] ?? assert.fail(`no id for ${key}`);
    const js = ts.transpileModule(`module.exports = ${text.trim().replace(/,$/, "")};`, {
        compilerOptions: { module: ts.ModuleKind.CommonJS },
    }).outputText;
    const module = { exports: {} as SourceRow };
    new Function("module", "need", js)(module, need);
    return module.exports;
}

const SEVERITY_ID = "01J0SEVER1TY00000000000000";

const withBinding = (attributeId: string): AlertSourceSpec => ({
    name: "Alertmanager (Production)",
    source_type: "alertmanager",
    template: {
        title: richTextOf("payload.title", "Title"),
        description: richTextOf("payload.description", "Description"),
        expressions: [],
        attributes: [{ alert_attribute_id: attributeId, binding: { value: { reference: 'expressions["severity"]' } } }],
        is_private: false,
    },
});

describe("a live source as its row of stack/sources.ts", () => {
    it("a binding to a managed attribute's id is written need(ids, <attribute>, <source>), so the row holds no id", () => {
        const text = sourceRowText({ key: "alertmanager", owner: "production" }, withBinding(SEVERITY_ID), { severity: SEVERITY_ID });
        assert.ok(text.includes(`alert_attribute_id: need(ids, "severity", "alertmanager"),`), text);
        assert.ok(!text.includes(SEVERITY_ID), text);
        assert.match(text, /^ {4}\{\n {8}key: "alertmanager",\n {8}owner: "production",\n {8}spec: \(ids\) => \(\{\n/);
        const row = evaluateRow(text);
        assert.deepEqual(row.spec({ severity: "01OTHERSEVER1TY00000000000" }), withBinding("01OTHERSEVER1TY00000000000"));
    });

    it("an attribute no stack manages keeps its id, marked; a row without bindings takes no ids", () => {
        const text = sourceRowText({ key: "alertmanager", owner: "production" }, withBinding("01J0TEAM000000000000000000"), {
            severity: SEVERITY_ID,
        });
        assert.ok(text.includes(`alert_attribute_id: "01J0TEAM000000000000000000" /* an attribute no stack manages */,`), text);
        assert.ok(text.includes("spec: () => ({"), text);
        assert.deepEqual(evaluateRow(text).spec({}), withBinding("01J0TEAM000000000000000000"));
    });

    it("keys that are not identifiers are quoted; control characters are escaped and read back as the same text", () => {
        const value = { "a-b": 1, "k\u009bey": 2, plain: "x\u001b]52;c;cm0=\u0007y\u009b\u202e", nested: [[], {}] };
        const text = typeScriptLiteral(value);
        assert.ok(text.includes(`"a-b": 1,`), text);
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/.test(text.replace(/\n/g, "")), `a raw control character: ${JSON.stringify(text)}`);
        assert.deepEqual(evaluateRow(`(${text})`), value);
    });
});

describe("import-sources' row, pasted, makes the first adoption write nothing", { timeout: 240_000 }, () => {
    let emulator: IncidentIoEmulator;
    let host: DynamicProviderHost;
    let provider: string;
    let tmp: string;
    const id = LIVE_IDS.production.alertSources.alertmanager;
    const attributeIds = LIVE_IDS.production.alertAttributes;

    before(async () => {
        emulator = await IncidentIoEmulator.start({ apiKey: API_KEY });
        seedWorkspace(emulator, { otherRoutes: 0, otherEscalationPaths: 0 });
        provider = await serializeProvider(alertSourceProvider);
        host = await hostFor(emulator, API_KEY, { "incident-io:requestTimeoutSeconds": "5" });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "source-row-"));
    });
    after(async () => {
        await host?.stop();
        await emulator?.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    const check = async (spec: AlertSourceSpec) => {
        const urn = urnFor("production-alertmanager", ALERT_SOURCE_TYPE);
        const news = { ...spec, adoptId: id, pulumiProject: "alert-routing", pulumiStack: "production", __provider: provider };
        return { urn, ...(await host.check(urn, {}, news)) };
    };

    it("a dashboard edit of the Alertmanager source: the table's row would write; the printed row adopts with 0 writes", async () => {
        // The edit: another description, the source made private, and one more expression.
        emulator.editAlertSourceInUi(id, (source) => {
            source.template.description = richTextOf("payload.summary", "Summary");
            source.template.is_private = true;
            source.template.expressions = [
                ...(source.template.expressions ?? []),
                {
                    label: "Team",
                    reference: "team",
                    root_reference: "payload",
                    operations: [
                        { operation_type: "parse", parse: { source: "$.labels.team", returns: { type: "String", array: false } } },
                    ],
                },
            ];
        });
        const io = capturingIo(tmp, { key: API_KEY });
        assert.equal(await backupRoutes(["--out", "backups", "--base-url", emulator.url], io), 0, io.out().stderr);
        const printed = capturingIo(tmp, { key: API_KEY });
        assert.equal(await importSources(["backups", "--stack", "production"], printed), 0, printed.out().stderr);
        const { stdout } = printed.out();
        assert.match(stdout, new RegExp(`production  source alertmanager "Alertmanager \\(Production\\)": ${id}  differs: template\\n`));
        assert.ok(!stdout.includes(SOURCE_TOKEN_CANARY), "no token in the printed row");
        const rowText = /the first adoption then writes nothing:\n( {4}\{\n[\s\S]*?\n {4}\},)\n/.exec(stdout)?.[1];
        assert.ok(rowText, stdout);
        assert.ok(rowText.includes(`need(ids, "severity", "alertmanager")`), rowText);

        // The row pasted over the table's own, in a copy of stack/sources.ts that must type-check.
        const table = fs.readFileSync(path.join(ROOT, "stack/sources.ts"), "utf8");
        const own = /\n {4}\{\n {8}key: "alertmanager",\n {8}owner: "production",\n[\s\S]*?\n {4}\},\n/.exec(table);
        assert.ok(own, "the production alertmanager row of stack/sources.ts");
        const pasted = table
            .replace(own[0], `\n${rowText}\n`)
            .replace(/from "\.\/(\w+)"/g, (_m, file: string) => `from ${JSON.stringify(path.join(ROOT, "stack", file))}`)
            .replace(/from "\.\.\/([\w/-]+)"/g, (_m, file: string) => `from ${JSON.stringify(path.join(ROOT, file))}`);
        const copy = path.join(tmp, "sources.ts");
        fs.writeFileSync(copy, pasted);
        const config = ts.getParsedCommandLineOfConfigFile(
            path.join(ROOT, "tsconfig.json"),
            {},
            { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
        );
        const program = ts.createProgram([copy], { ...config!.options, noEmit: true });
        const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        assert.deepEqual(problems, [], "the pasted row type-checks against SourceRow");
        const { sourcesOwnedBy: pastedRows } = (await import(copy)) as typeof tableModule;

        // The table's own row: adoption would write the template over the dashboard's edit.
        const ownRow = sourcesOwnedBy("production").find((r) => r.key === "alertmanager")!;
        host.logs.length = 0;
        assert.deepEqual((await check(ownRow.spec(attributeIds))).failures, []);
        assert.match(host.logs.join("\n"), /will write the definition over the live source, changing: template/);

        // The printed row: preview and up write nothing, and the dashboard's edit stays.
        const before = JSON.stringify(emulator.alertSource(id));
        host.logs.length = 0;
        emulator.resetLog();
        const row = pastedRows("production").find((r) => r.key === "alertmanager")!;
        const checked = await check(row.spec(attributeIds));
        assert.deepEqual(checked.failures, []);
        const created = await host.create(checked.urn, checked.inputs);
        assert.equal(created.id, id);
        assert.match(
            host.logs.join("\n"),
            /adopting "Alertmanager \(Production\)" \(\S+\) writes nothing: the live source matches the definition/,
        );
        const writes = emulator.requests.filter((r) => r.method !== "GET" && r.path.startsWith("/v2/alert_sources"));
        assert.deepEqual(
            writes.map((r) => `${r.method} ${r.path}`),
            [],
            "no source written, not even validated",
        );
        assert.equal(JSON.stringify(emulator.alertSource(id)), before, "the dashboard's edit stays");
    });
});
