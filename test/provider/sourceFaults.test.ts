// The fault matrix of AlertSource and AlertAttribute (issue 18): every fault of test/support/faults.ts
// against every operation of both kinds, as faults.test.ts does for AlertRoute: create (POST), adopt
// (the pre-read GET, the PUT, and for sources the claim POST /v2/managed_resources), the preview of an
// adoption (check's GET), read (GET), update (the pre-read GET and the PUT), delete (DELETE), and for
// sources the template check incident.io runs during preview (POST /v2/alert_sources/actions/validate).
// One runner, two kind adapters (SOURCE, ATTRIBUTE).
//
// Each cell asserts the outcome (retried then succeeded, handled at once, or a clear error naming the
// source or attribute) and the emulator's final state: no duplicate, nothing lost, no silent overwrite of
// a dashboard edit, and a source never deleted or re-created: after every cell but delete its id,
// alert_events_url and secret_token are the ones it had. The sources hold a canary token that must never
// appear in an error or a log line (only in the secret_token output).
//
// Sources and attributes carry no version (openapi AlertSourceV2, AlertAttributeV2; their update payloads
// have none), so an edit made in the dashboard between the provider's GET and its PUT cannot be told by
// any answer: those cells ("UI edit lost") are counted apart, as races, and printed as such.
//
// FAULTS_VERBOSE=1 prints every cell's error message and log.
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { CheckFailure, ResourceKind } from "../../providers/core";
import { alertAttributeKind, AlertAttributeHandlers } from "../../providers/incident-io/alertAttributeHandlers";
import { alertSourceKind, AlertSourceHandlers } from "../../providers/incident-io/alertSourceHandlers";
import { IncidentIoEmulator, type AlertTemplatePayload } from "../../dev/emulator";
import { faultFor, idsNamedInAmbiguousCreate, UI_EDIT_SUFFIX, type FaultTarget } from "../support/faults";
import {
    assertOutcome,
    atOnce,
    fails,
    LATE,
    LateGate,
    MatrixReport,
    retried,
    rowsOf,
    survives,
    UI_EDIT,
    type Expectation,
    type MatrixFault,
    type MessageCheck,
} from "../support/faultMatrix";
import { configuredHandlers, TEST_API_KEY } from "../support/handlers";

/** Small timeouts keep the suite fast: the slow answer (1 s) is well past the timeout (0.3 s). */
const CONFIG = { "incident-io:requestTimeoutSeconds": "0.3", "incident-io:maxRetries": "3" };
/** Every seeded source's token starts with this: found anywhere but the secret_token output, it leaked. */
const TOKEN_CANARY = `canary-fault-token-${crypto.randomBytes(6).toString("hex")}`;

// ------------------------------------------------------------------ the kinds under test

type Props = Record<string, unknown>;
type Live = Record<string, unknown> & { id: string; name: string };

/** The handlers as the runner calls them (each kind's are typed with its own inputs and outputs). */
interface Handlers {
    check(olds: Props, news: Props): Promise<{ inputs?: Props; failures?: CheckFailure[] }>;
    create(inputs: Props): Promise<{ id: string; outs?: Props }>;
    read(id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }>;
    update(id: string, olds: Props, news: Props): Promise<{ outs?: Props }>;
    delete(id: string, props: Props): Promise<void>;
    configure: AlertSourceHandlers["configure"];
}

interface KindUnderTest {
    /** "source", "attribute": the column prefix and the word of assertions. */
    short: string;
    noun: string;
    collection: string;
    handlers(log: (line: string) => void): Handlers;
    /** The definition of a resource named `name`; `changed` is the one an update writes. */
    definition(name: string, changed?: boolean): Props;
    /** A resource made in the dashboard with the definition's name (`differs`: not what the definition says). */
    seed(name: string, differs: boolean): string;
    all(): Live[];
    live(id: string): Live | undefined;
    rename(id: string): void;
    remove(id: string): void;
    /** Whether the live resource holds the definition (the provider's own comparison, as faults.test.ts uses sameRoute). */
    holds(definition: Props, live: Live): boolean;
    /** What must never change short of a delete: a source's id, URL and token. */
    fixed(live: Live): Props;
    /** Claimed as managed on create and adoption (a source is; the managed-resource API takes no attribute). */
    claimed: boolean;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const newId = () => `01K${Array.from(crypto.randomBytes(23), (b) => CROCKFORD[b % 32]).join("")}`;
const doc = (text: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
const holdsWith =
    <S extends { name: string }, R extends { id: string; name: string }>(kind: ResourceKind<S, R, unknown>) =>
    (definition: Props, live: Live): boolean =>
        kind.same(kind.pickSpec(definition), kind.fromResponse(live as unknown as R, kind.pickSpec(definition)));

let emulator: IncidentIoEmulator;

const SOURCE: KindUnderTest = {
    short: "source",
    noun: "alert source",
    collection: "/v2/alert_sources",
    handlers: (log) => new AlertSourceHandlers(log) as unknown as Handlers,
    definition: (name, changed = false) => ({
        name,
        source_type: "http",
        template: {
            title: { literal: doc(changed ? "Changed in code" : "Alert from HTTP") },
            description: { literal: doc("") },
            attributes: [],
            expressions: [],
        },
    }),
    seed: (name, differs) => {
        const id = newId();
        const template = SOURCE.definition(name).template as AlertTemplatePayload;
        emulator.addAlertSource({
            id,
            name,
            source_type: "http",
            template: { ...template, ...(differs ? { title: { literal: doc("Made in the dashboard") } } : {}) },
            secret_token: `${TOKEN_CANARY}-${id}`,
        });
        return id;
    },
    all: () => emulator.alertSources() as unknown as Live[],
    live: (id) => emulator.alertSource(id) as unknown as Live | undefined,
    rename: (id) => void emulator.editAlertSourceInUi(id, (p) => void (p.name += UI_EDIT_SUFFIX)),
    remove: (id) => emulator.deleteAlertSourceInUi(id),
    holds: holdsWith(alertSourceKind as unknown as ResourceKind<{ name: string }, Live, unknown>),
    fixed: (live) => ({ id: live.id, alert_events_url: live.alert_events_url, secret_token: live.secret_token }),
    claimed: true,
};

const ATTRIBUTE: KindUnderTest = {
    short: "attribute",
    noun: "alert attribute",
    collection: "/v2/alert_attributes",
    handlers: (log) => new AlertAttributeHandlers(log) as unknown as Handlers,
    definition: (name, changed = false) => ({ name, type: "String", array: false, required: !changed }),
    seed: (name, differs) => {
        const id = newId();
        emulator.addAlertAttribute({ id, name, type: "String", array: false, required: !differs });
        return id;
    },
    all: () => emulator.alertAttributes() as Live[],
    live: (id) => emulator.alertAttribute(id) as Live | undefined,
    rename: (id) => void emulator.editAlertAttributeInUi(id, (a) => void (a.name += UI_EDIT_SUFFIX)),
    remove: (id) => emulator.deleteAlertAttributeInUi(id),
    holds: holdsWith(alertAttributeKind as unknown as ResourceKind<{ name: string }, Live, unknown>),
    fixed: (live) => ({ id: live.id }),
    claimed: false,
};

// ------------------------------------------------------------------ the matrix

type Op = "create" | "adopt" | "read" | "update" | "delete" | "check" | "preview";
type Where = "write" | "pre-read GET" | "claim POST";
type State =
    | "created" //             exactly one, holding the definition, recorded under its id (and claimed, for sources)
    | "created, UI edit kept" // ditto, and an edit made in the dashboard right after is not replaced
    | "none" //                nothing was created
    | "ambiguous" //           exactly one exists; the error names its id and adoptId
    | "created late" //        it appears after the error; doing what the error says leaves exactly one
    | "adopted" //             the live one now holds the definition, no POST
    | "adopted, claim failed" // ditto, unclaimed; the error carries the id and outputs (Pulumi records it), so the next up claims
    | "untouched" //           exactly as before the operation
    | "UI edit kept" //        holds the dashboard edit, nothing else changed
    | "UI edit lost" //        the race no request can detect (no version): the PUT replaced an edit made after its GET
    | "read" //                read returned it as the emulator holds it
    | "read shows UI edit" //  ditto, with the dashboard edit
    | "gone" //                read returned {} (Pulumi drops it); nothing was touched
    | "updated" //             it holds the new definition
    | "overwritten" //         onConflict=overwrite: the dashboard edit was replaced, and the log says so
    | "deleted" //             it no longer exists
    | "checked" //             check passed, no warning (preview: it said what adoption writes)
    | "warned"; //             check passed with a warning naming it: the template (preview: the live one) was not read

interface Cell extends Expectation<State> {
    op: Op;
    where: Where;
    fault: MatrixFault;
    onConflict?: "fail" | "overwrite";
}

const SCOPES = /"View data" and "Create and manage on-call resources"/;
const VALIDATION = /422 \(request_id req-fault-422\): name: must be at most 255 characters/;

/** The cells of one kind. `path` is its collection, as the client's messages print it. */
function cellsOf(kind: KindUnderTest): Cell[] {
    const path = kind.collection.replace(/\//g, "\\/");
    const status = (method: string, code: number) => new RegExp(`${method} ${path}${method === "POST" ? "" : "\\/\\S+"} ${code}`);
    const noSuch = new RegExp(`no ${kind.noun} with that id`);
    // The faults' 409/422 bodies name a version, which these kinds do not have: the API's own words, passed on.
    const strayVersion = (code: number) => fails<State>("untouched", "id", new RegExp(` ${code} `), /version/);
    const rows = (op: Op, where: Where, table: Partial<Record<MatrixFault, Expectation<State>>>): Cell[] => rowsOf({ op, where }, table);

    /** create: the fault hits POST (as AlertRoute's: a POST is never repeated unless provably unsent). */
    const CREATE: Record<MatrixFault, Expectation<State>> = {
        "429 Retry-After in seconds": retried("created"),
        "429 Retry-After as HTTP date": retried("created"),
        "429 only in the body": retried("created"),
        "500": fails("none", "name", /\b500\b/, /adoptId/),
        "502": fails("none", "name", /\b502\b/, /adoptId/),
        "503": fails("none", "name", /\b503\b/, /adoptId/),
        "reset after processing": fails("ambiguous", "name", "id", /may have succeeded/, /adoptId/),
        "reset before processing": fails("none", "name", /may have succeeded/, /may still be in progress: look again/, /adoptId/),
        "slower than the timeout": fails("ambiguous", "name", "id", /timed out/, /adoptId/),
        [LATE]: fails("created late", "name", /timed out/, /adoptId/, { not: /again is safe/ }),
        "malformed JSON": fails("ambiguous", "name", "id", /malformed/, /adoptId/),
        "401": fails("none", status("POST", 401), SCOPES),
        "403": fails("none", status("POST", 403), SCOPES),
        "404": fails("none", status("POST", 404)),
        "422 validation error": fails("none", status("POST", 422), VALIDATION),
        "409 version rejected": fails("none", status("POST", 409), /version/),
        "422 version rejected": fails("none", status("POST", 422), /version/),
        // Edited in the dashboard right after the create: the edit stays, and the next update reports it.
        "UI edit between read and write": atOnce("created, UI edit kept"),
    };

    /** adopt (create with adoptId of one made in the dashboard): the fault hits the PUT. */
    const ADOPT_PUT: Record<MatrixFault, Expectation<State>> = {
        ...survives("adopted"), // a PUT of the same payload is safe to repeat; a lost answer is settled by reading back
        "401": fails("untouched", status("PUT", 401), SCOPES),
        "403": fails("untouched", status("PUT", 403), SCOPES),
        "404": fails("untouched", "name", "id", noSuch, /remove adoptId/),
        "422 validation error": fails("untouched", "id", VALIDATION),
        "409 version rejected": strayVersion(409),
        "422 version rejected": strayVersion(422),
        "UI edit between read and write": atOnce("UI edit lost"),
    };

    /** adopt (sources): the fault hits the claim, POST /v2/managed_resources. A POST is not repeated unless provably
     * unsent, although a claim is an upsert: the source is saved and recorded, and the next `up` claims it. */
    const unclaimed = (...message: MessageCheck[]) =>
        fails<State>("adopted, claim failed", "name", "id", /claiming it as managed by code failed/, /pulumi up/, ...message);
    const ADOPT_CLAIM: Record<MatrixFault, Expectation<State>> = {
        "429 Retry-After in seconds": retried("adopted"),
        "429 Retry-After as HTTP date": retried("adopted"),
        "429 only in the body": retried("adopted"),
        "500": unclaimed(/\b500\b/, /claimManaged/),
        "502": unclaimed(/\b502\b/, /claimManaged/),
        "503": unclaimed(/\b503\b/, /claimManaged/),
        "reset after processing": unclaimed(/network error/),
        "reset before processing": unclaimed(/network error/),
        "slower than the timeout": unclaimed(/timed out/),
        [LATE]: unclaimed(/timed out/),
        "malformed JSON": unclaimed(/malformed/),
        "401": unclaimed(/POST \/v2\/managed_resources 401/, SCOPES),
        "403": unclaimed(/POST \/v2\/managed_resources 403/, SCOPES),
        "404": unclaimed(/POST \/v2\/managed_resources 404/),
        "422 validation error": unclaimed(VALIDATION),
        "409 version rejected": unclaimed(/ 409 /),
        "422 version rejected": unclaimed(/ 422 /),
        "UI edit between read and write": atOnce("adopted"), // the path names no source: nothing to edit
    };

    /** adopt: the fault hits the GET that reads the live one first. */
    const ADOPT_GET: Partial<Record<MatrixFault, Expectation<State>>> = {
        ...survives("adopted"),
        "401": fails("untouched", status("GET", 401), SCOPES),
        "403": fails("untouched", status("GET", 403), SCOPES),
        "404": fails("untouched", "name", "id", noSuch, /remove adoptId/),
        // Renamed in the dashboard just before adoption reads it: the name check refuses to take it.
        "UI edit between read and write": fails("UI edit kept", "name", "id", /adoptRenaming/),
    };

    /** read (refresh): the fault hits the GET. */
    const READ: Record<MatrixFault, Expectation<State>> = {
        ...survives("read"),
        "401": fails("untouched", status("GET", 401), SCOPES),
        "403": fails("untouched", status("GET", 403), SCOPES),
        "404": atOnce("gone"), // only the API's own 404 means gone: Pulumi drops it; nothing is deleted
        "422 validation error": fails("untouched", "id", VALIDATION),
        "409 version rejected": strayVersion(409),
        "422 version rejected": strayVersion(422),
        "UI edit between read and write": atOnce("read shows UI edit"),
    };

    /** update: the fault hits the PUT. */
    const UPDATE_PUT: Record<MatrixFault, Expectation<State>> = {
        ...survives("updated"),
        "401": fails("untouched", status("PUT", 401), SCOPES),
        "403": fails("untouched", status("PUT", 403), SCOPES),
        "404": fails("untouched", "name", "id", /deleted outside Pulumi/, /pulumi refresh/),
        "422 validation error": fails("untouched", "id", VALIDATION),
        "409 version rejected": strayVersion(409),
        "422 version rejected": strayVersion(422),
        "UI edit between read and write": atOnce("UI edit lost"),
    };

    /** update: the fault hits the GET that reads it before writing. */
    const UPDATE_GET: Partial<Record<MatrixFault, Expectation<State>>> = {
        ...survives("updated"),
        "401": fails("untouched", status("GET", 401), SCOPES),
        "403": fails("untouched", status("GET", 403), SCOPES),
        "404": fails("untouched", "name", "id", /deleted outside Pulumi/, /pulumi refresh/),
        // Edited in the dashboard since the last up/refresh: the GET no longer holds what the stack last saw.
        "UI edit between read and write": fails(
            "UI edit kept",
            "name",
            "id",
            /changed outside Pulumi/,
            /changed: name/,
            /Nothing was written/,
        ),
    };

    /** delete: the fault hits the DELETE. */
    const DELETE: Record<MatrixFault, Expectation<State>> = {
        ...survives("deleted"), // a lost answer is settled by the retry's 404
        "401": fails("untouched", status("DELETE", 401), SCOPES),
        "403": fails("untouched", status("DELETE", 403), SCOPES),
        "404": atOnce("untouched"), // already gone counts as done (the emulator's is a fake 404)
        "422 validation error": fails("untouched", "id", VALIDATION),
        "409 version rejected": strayVersion(409),
        "422 version rejected": strayVersion(422),
        "UI edit between read and write": atOnce("deleted"), // destroy means destroy
    };

    /** preview of the first adoption (check of a new resource with adoptId): the fault hits the GET that reads
     * the live one to refuse a wrong id early and say what adoption changes. Only the API's own 404 fails
     * the preview; an unreadable one is left to `up`, which reads it again (resourceHandlers.ts previewAdoption). */
    const PREVIEW: Record<MatrixFault, Expectation<State>> = {
        ...survives("checked"),
        "401": atOnce("warned"),
        "403": atOnce("warned"),
        "404": fails("untouched", "name", "id", noSuch, /remove adoptId/),
        "422 validation error": atOnce("warned"),
        "409 version rejected": atOnce("warned"),
        "422 version rejected": atOnce("warned"),
        "UI edit between read and write": fails("UI edit kept", "name", "id", /adoptRenaming/),
    };

    /** check of a template change (sources): the fault hits POST /v2/alert_sources/actions/validate.
     * Issue 18: "a 422 fails the preview, anything else warns" (terraform-provider-incident v6.1.2, #452). */
    const CHECK: Record<MatrixFault, Expectation<State>> = {
        "429 Retry-After in seconds": retried("checked"), // a 429 is provably unprocessed: the client repeats it
        "429 Retry-After as HTTP date": retried("checked"),
        "429 only in the body": retried("checked"),
        "500": atOnce("warned"), // a POST is not repeated (the client cannot know it is side-effect free)
        "502": atOnce("warned"),
        "503": atOnce("warned"),
        "reset after processing": atOnce("warned"),
        "reset before processing": atOnce("warned"),
        "slower than the timeout": atOnce("warned"),
        [LATE]: atOnce("warned"),
        "malformed JSON": atOnce("warned"),
        "401": atOnce("warned"),
        "403": atOnce("warned"),
        "404": atOnce("warned"),
        "422 validation error": fails(
            "untouched",
            "name",
            /refuses the template/,
            /name: must be at most 255 characters/,
            /fix the template/,
        ),
        "409 version rejected": atOnce("warned"),
        "422 version rejected": fails("untouched", "name", /refuses the template/, /version/, /fix the template/), // a 422 is a 422
        "UI edit between read and write": atOnce("checked"), // the path names no source: nothing to edit
    };

    return [
        ...rows("create", "write", CREATE),
        ...rows("adopt", "write", ADOPT_PUT),
        ...rows("adopt", "pre-read GET", ADOPT_GET),
        ...(kind.claimed ? rows("adopt", "claim POST", ADOPT_CLAIM) : []),
        ...rows("read", "write", READ),
        ...rows("update", "write", UPDATE_PUT),
        ...rows("update", "pre-read GET", UPDATE_GET),
        // With onConflict=overwrite, an edit seen by the GET is replaced, and the log says so.
        { op: "update", where: "pre-read GET", fault: UI_EDIT, onConflict: "overwrite", ...atOnce("overwritten") },
        ...rows("delete", "write", DELETE),
        ...rows("preview", "pre-read GET", PREVIEW),
        ...(kind === SOURCE ? rows("check", "write", CHECK) : []),
    ];
}

// ------------------------------------------------------------------ running a cell

const lateGate = new LateGate();
const reports = new Map<KindUnderTest, MatrixReport>();
/** Cells whose dashboard edit a PUT replaced with no way to know (no version): counted, never hidden. */
const races = new Map<KindUnderTest, number>();

function cellTitle(c: Cell): string {
    const on = c.op === "check" ? "the validate POST" : c.where === "write" ? writeMethod(c.op) : `the ${c.where}`;
    return `${c.op} × ${c.fault} on ${on}${c.onConflict ? ` (onConflict=${c.onConflict})` : ""}`;
}

function writeMethod(op: Op): FaultTarget["method"] {
    return op === "create" || op === "check" ? "POST" : op === "read" ? "GET" : op === "delete" ? "DELETE" : "PUT";
}

function columnOf(c: Cell): string {
    const where = c.where === "write" ? writeMethod(c.op) : c.where === "claim POST" ? "claim" : "GET";
    return `${c.op}:${where}${c.onConflict ? `(${c.onConflict})` : ""}`;
}

function targetOf(kind: KindUnderTest, c: Cell, id: string | undefined): FaultTarget {
    if (c.op === "create") return { method: "POST", path: kind.collection };
    if (c.op === "check") return { method: "POST", path: `${kind.collection}/actions/validate` };
    if (c.where === "claim POST") return { method: "POST", path: "/v2/managed_resources" };
    return { method: c.where === "pre-read GET" ? "GET" : writeMethod(c.op), path: `${kind.collection}/${id}` };
}

async function checked(handlers: Handlers, news: Props, olds: Props = {}): Promise<Props> {
    const { inputs, failures } = await handlers.check(olds, news);
    assert.deepEqual(failures ?? [], []);
    return inputs!;
}

function clearEmulator(): void {
    emulator.clearFaults();
    emulator.onBetween = undefined;
    for (const kind of [SOURCE, ATTRIBUTE]) for (const r of kind.all()) kind.remove(r.id);
    emulator.resetLog();
}

/** POSTs that create one (not the validate action). */
const creates = (kind: KindUnderTest) => emulator.requests.filter((r) => r.method === "POST" && r.path === kind.collection).length;

const withoutToken = (value: unknown): string => {
    const { secret_token: _token, ...rest } = (value ?? {}) as Props;
    return JSON.stringify(rest);
};

async function runCell(kind: KindUnderTest, c: Cell): Promise<void> {
    clearEmulator();
    const report = reports.get(kind)!;
    const name = `faults: ${kind.short} ${cellTitle(c)}`;
    const { handlers, logs } = await configuredHandlers(emulator, kind.handlers, {
        ...CONFIG,
        ...(c.onConflict ? { "incident-io:onConflict": c.onConflict } : {}),
    });

    // Arrange, without faults: adoption of one made in the dashboard (sources are adopted, never
    // created to take them over), which the other operations then work on.
    let id: string | undefined;
    let outs: Props | undefined;
    /** Log lines of the arrangement: the canary is looked for in them too. */
    const arrangeLogs: string[] = [];
    let news: Props = await checked(handlers, kind.definition(name));
    if (c.op === "preview") {
        id = kind.seed(name, false);
        news = { ...kind.definition(name), adoptId: id };
    } else if (c.op === "adopt") {
        id = kind.seed(name, true); // differs from code: adoption writes
        news = await checked(handlers, { ...kind.definition(name), adoptId: id });
    } else if (c.op !== "create") {
        id = kind.seed(name, false);
        // Adopted by an earlier `pulumi up` (another host process: one that adopted an id in this run
        // refuses to delete it, resourceHandlers.ts adoptedInThisRun).
        const { handlers: earlier, logs: earlierLogs } = await configuredHandlers(emulator, kind.handlers, CONFIG);
        const adopted = await earlier.create(await checked(earlier, { ...kind.definition(name), adoptId: id }));
        arrangeLogs.push(...earlierLogs);
        outs = adopted.outs!;
        if (c.op === "update" || c.op === "check") news = { ...kind.definition(name, true), adoptId: id };
        if (c.op === "update") news = await checked(handlers, news, outs);
    }
    const before = id === undefined ? undefined : kind.live(id);
    arrangeLogs.push(...logs.splice(0));
    emulator.resetLog();

    // The fault.
    const target = targetOf(kind, c, id);
    if (c.op === "create" && c.fault === UI_EDIT) {
        // There is no read before a create: the dashboard edit comes right after it, at the claim for
        // a source, after the create returned for an attribute (never claimed).
        if (kind.claimed)
            emulator.onBetween = (r) => {
                if (r.method === "POST" && r.path === "/v2/managed_resources") kind.rename((r.body as { resource_id: string }).resource_id);
            };
    } else if (c.fault === LATE) {
        let held = false;
        emulator.onBetween = async (r) => {
            if (held || r.method !== target.method || r.path !== target.path) return;
            held = true;
            await lateGate.hold(); // released once the operation has returned
        };
    } else {
        emulator.inject(faultFor(c.fault as Exclude<MatrixFault, typeof LATE>, target));
    }

    // Act.
    let result: unknown;
    let error: Error | undefined;
    try {
        switch (c.op) {
            case "create":
            case "adopt":
                result = await handlers.create(news);
                if (c.op === "create" && c.fault === UI_EDIT && !kind.claimed) kind.rename((result as { id: string }).id);
                break;
            case "read":
                result = await handlers.read(id!, outs!);
                break;
            case "update":
                result = await handlers.update(id!, outs!, news);
                break;
            case "delete":
                result = await handlers.delete(id!, outs!);
                break;
            case "check":
            case "preview": {
                // check: a template change of a source in the stack runs incident.io's template check.
                // preview: a new resource with adoptId reads the live one.
                const checkResult = await handlers.check(outs ?? {}, news);
                result = checkResult;
                if (checkResult.failures?.length)
                    error = new Error(checkResult.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
                break;
            }
        }
    } catch (e) {
        error = e as Error;
    } finally {
        await lateGate.release();
        emulator.onBetween = undefined;
    }
    emulator.clearFaults();
    if (process.env.FAULTS_VERBOSE)
        console.log(
            `${kind.short} ${cellTitle(c)}: ${error ? `error: ${error.message}` : "ok"}${logs.length ? `\n    ${logs.join("\n    ")}` : ""}`,
        );

    // A create that appears late: do what the error says, as a user would (adopt the id it names, or
    // look it up by name once the request has settled and adopt that).
    let late: { named: number; rerunId: string; lateId: string; summary: string } | undefined;
    if (c.state === "created late" && error) {
        await emulator.settled();
        const lateId = kind.all()[0]?.id;
        const adoptId = idsNamedInAmbiguousCreate(error.message)?.[0] ?? lateId;
        const rerun = await handlers.create(await checked(handlers, { ...kind.definition(name), ...(adoptId ? { adoptId } : {}) }));
        const withName = kind.all().filter((r) => r.name === name);
        late = {
            named: withName.length,
            rerunId: rerun.id,
            lateId,
            summary: `following the error's guidance (${adoptId ? `adopt ${adoptId}` : "re-run"}) left ${withName.length} ${kind.short}s named "${name}"`,
        };
    }

    // The invariants, counted whatever the outcome: no duplicate, nothing lost, no silent overwrite.
    const all = kind.all();
    const current = id === undefined ? undefined : kind.live(id);
    const duplicates = Math.max(0, (late ? late.named : all.length) - 1); // every cell deals with exactly one
    const lost = before && !current && !(c.op === "delete" && !error) ? 1 : 0;
    const edited = c.op === "create" ? all[0] : current;
    const overwriteLogged = logs.some((l) => /overwriting changes made outside Pulumi/.test(l));
    // The dashboard edit happens where the fault's path names the resource (not the validate or claim path).
    const uiEdited = c.fault === UI_EDIT && c.op !== "delete" && (c.op === "create" || target.path === `${kind.collection}/${id}`);
    const editLost = uiEdited && edited !== undefined && !edited.name.endsWith(UI_EDIT_SUFFIX);
    const raced = editLost && c.state === "UI edit lost" ? 1 : 0;
    const silentOverwrite = editLost && !raced && !(c.onConflict === "overwrite" && overwriteLogged) ? 1 : 0;
    report.duplicates += duplicates;
    report.lost += lost;
    report.silentOverwrites += silentOverwrite;
    races.set(kind, (races.get(kind) ?? 0) + raced);
    assert.equal(duplicates, 0, late?.summary ?? `duplicate ${kind.short}s: ${all.map((r) => `${r.id} "${r.name}"`).join(", ")}`);
    assert.equal(lost, 0, `${kind.short} ${id} was lost`);
    assert.equal(silentOverwrite, 0, `the dashboard edit was replaced silently: ${JSON.stringify(edited?.name)}`);

    // Never deleted or re-created: short of a delete, what it had stays (a source's id, URL and token).
    if (c.op !== "delete" && before) assert.deepEqual(current && kind.fixed(current), kind.fixed(before), "id, URL and token unchanged");
    if (c.op !== "delete") assert.equal(emulator.count("DELETE", kind.collection), 0, "nothing was deleted");
    if (c.op !== "create") assert.equal(creates(kind), 0, "nothing was re-created");

    // The token canary: in no error and no log line; in the outputs, only as secret_token.
    const tokens = [TOKEN_CANARY, ...all.map((r) => r.secret_token).filter((t): t is string => typeof t === "string")];
    for (const token of tokens) {
        assert.ok(!(error?.message ?? "").includes(token), `a source token is in the error: ${error?.message}`);
        assert.ok(![...arrangeLogs, ...logs].some((l) => l.includes(token)), "a source token is in a log line");
        for (const value of [result, late, error]) {
            const outputs = (value as { outs?: unknown; props?: unknown; inputs?: unknown; properties?: unknown } | undefined) ?? {};
            for (const part of [outputs.outs, outputs.props, outputs.inputs, outputs.properties])
                assert.ok(!withoutToken(part).includes(token), "a source token is in an output other than secret_token");
        }
    }
    assert.ok(!(error?.message ?? "").includes(TEST_API_KEY), "the key never appears");

    // The outcome.
    const targetRequests = emulator.requests.filter((r) => r.method === target.method && r.path === target.path).length;
    assertOutcome(c, { error, logs, target, targetRequests }, { noun: kind.short, name, id: id ?? all[0]?.id });

    // The final state.
    const claimedIds = () => emulator.managedResources().map((m) => m.resource_id);
    switch (c.state) {
        case "created":
        case "created, UI edit kept": {
            const created = result as { id: string; outs: Props };
            assert.equal(all.length, 1);
            assert.equal(created.id, all[0].id, "the stack records the one that exists");
            assert.equal(creates(kind), c.outcome === "retried then succeeded" ? 2 : 1);
            assert.equal(claimedIds().includes(created.id), kind.claimed, kind.claimed ? "claimed as managed" : "never claimed");
            if (kind === SOURCE) assert.equal(created.outs.secret_token, all[0].secret_token, "the token is the secret output");
            if (c.state === "created") assert.ok(kind.holds(news, all[0]), "it holds the definition");
            else {
                assert.equal(all[0].name, name + UI_EDIT_SUFFIX, "the dashboard edit is kept");
                // The next `pulumi up` does not replace it unseen.
                await assert.rejects(handlers.update(created.id, created.outs, news), /changed outside Pulumi.*changed: name/s);
                assert.equal(kind.live(created.id)!.name, name + UI_EDIT_SUFFIX);
            }
            break;
        }
        case "none":
            assert.equal(all.length, 0, "nothing was created");
            break;
        case "created late":
            assert.equal(late?.named, 1, late?.summary);
            assert.equal(late?.rerunId, late?.lateId, "the stack ends up managing the one that exists");
            break;
        case "ambiguous":
            assert.equal(all.length, 1, "the POST was applied once and not repeated");
            assert.equal(all[0].name, name);
            assert.ok(error!.message.includes(all[0].id), "the error names the id to adopt");
            break;
        case "adopted": {
            const adopted = result as { id: string; outs: Props };
            assert.equal(adopted.id, id);
            assert.ok(current && kind.holds(news, current), "the live one holds the definition");
            assert.ok(!kind.holds(news, before!), "and did not before: adoption wrote");
            assert.equal(adopted.outs.adoptId, id);
            assert.equal(claimedIds().includes(id!), kind.claimed);
            if (kind === SOURCE) assert.equal(adopted.outs.secret_token, `${TOKEN_CANARY}-${id}`, "the token is the secret output");
            break;
        }
        case "adopted, claim failed": {
            // The core's partial-failure shape: the engine records the id and these outputs (no claim), so nothing is lost.
            const saved = error as Error & { id?: string; properties?: Props };
            assert.equal(saved.id, id);
            assert.ok(current && kind.holds(news, current) && kind.holds(saved.properties!, current), "written, and recorded as written");
            assert.equal(saved.properties!.claimed, undefined, "recorded unclaimed: the next up claims it");
            assert.equal(saved.properties!.secret_token, `${TOKEN_CANARY}-${id}`, "the token only as the secret output");
            break;
        }
        case "untouched":
        case "checked":
        case "warned":
            assert.deepEqual(current, before, "exactly as before");
            if (c.op === "check" || c.op === "preview") {
                assert.equal(emulator.count("PUT") + emulator.count("DELETE") + creates(kind), 0, "check writes nothing");
                const warning = logs.find((l) =>
                    c.op === "check"
                        ? l.includes(`could not check the template of alert source "${name}"`) && /pulumi up/.test(l)
                        : l.includes(`could not read the ${kind.short} to adopt (${id}) for "${name}" during check`),
                );
                if (c.state === "warned") assert.ok(warning, `a warning names it: ${JSON.stringify(logs)}`);
                else assert.equal(warning, undefined, "no warning");
                if (c.op === "preview" && c.state === "checked")
                    assert.ok(
                        logs.some((l) => l.includes(`adopting "${name}" (${id}) writes nothing`)),
                        `the preview says what adoption writes: ${JSON.stringify(logs)}`,
                    );
            }
            break;
        case "UI edit kept":
            assert.ok(current, "it still exists");
            assert.equal(current.name, before!.name + UI_EDIT_SUFFIX, "the dashboard edit is kept");
            assert.deepEqual({ ...current, name: before!.name }, before, "nothing else changed");
            break;
        case "UI edit lost":
            // No version and no answer tells that the dashboard renamed it between our GET and our PUT.
            assert.ok(current && kind.holds(news, current), "the PUT wrote the definition");
            assert.equal(raced, 1, "the dashboard edit was replaced");
            break;
        case "read":
        case "read shows UI edit": {
            const read = result as { id: string; props: Props };
            assert.equal(read.id, id);
            assert.ok(kind.holds(read.props, current!), "read returns it as it is");
            if (kind === SOURCE) assert.equal(read.props.secret_token, `${TOKEN_CANARY}-${id}`, "the token is the secret output");
            if (c.state === "read shows UI edit") {
                assert.equal(read.props.name, name + UI_EDIT_SUFFIX);
                // The dashboard allows an edit only once the claim is removed: the outputs drop it, `up` claims again.
                if (kind.claimed) assert.equal(read.props.claimed, undefined, "a dashboard edit drops the claim");
            } else assert.deepEqual(current, before);
            break;
        }
        case "gone":
            assert.deepEqual(result, {}, "read says gone");
            assert.deepEqual(current, before, "and touched nothing");
            break;
        case "updated":
        case "overwritten": {
            const updated = result as { outs: Props };
            assert.ok(current && kind.holds(news, current), "it holds the new definition");
            assert.ok(kind.holds(updated.outs, current), "the outputs say what it holds");
            if (kind === SOURCE) assert.equal(updated.outs.secret_token, `${TOKEN_CANARY}-${id}`, "the token is the secret output");
            if (c.state === "overwritten") assert.ok(overwriteLogged, "the overwrite is logged");
            break;
        }
        case "deleted":
            assert.equal(current, undefined, "it is gone");
            assert.equal(all.length, 0);
            break;
    }
}

// ------------------------------------------------------------------ the suite

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY });
    // Warm up (the emulator compiles its request schemas on first use) with a generous timeout,
    // so the 0.3 s timeout of the cells measures faults, not start-up.
    for (const kind of [SOURCE, ATTRIBUTE]) {
        const { handlers } = await configuredHandlers(emulator, kind.handlers, { "incident-io:requestTimeoutSeconds": "30" });
        const inputs = await checked(handlers, kind.definition("warm-up"));
        const { id, outs } = await handlers.create(inputs);
        const changed = await checked(handlers, kind.definition("warm-up", true), outs!);
        const updated = await handlers.update(id, outs!, changed);
        await handlers.delete(id, updated.outs!);
    }
});

after(async () => {
    for (const [kind, report] of reports) {
        const raced = races.get(kind) ?? 0;
        report.print(
            `${kind.short} faults`,
            [...new Set(cellsOf(kind).map(columnOf))],
            `404 = gone/done, UI edit shown/kept/overwritten as configured, unreadable ${kind === SOURCE ? "template check or " : ""}adoption preview warns`,
            `; ${raced} dashboard edits between GET and PUT lost (H*: no version to detect them)`,
        );
    }
    await emulator?.close();
});

for (const kind of [SOURCE, ATTRIBUTE]) {
    reports.set(kind, new MatrixReport());
    describe(`${kind.noun} fault matrix`, () => {
        for (const c of cellsOf(kind)) {
            test(`${cellTitle(c)} → ${c.outcome}, ${c.state}`, async () => {
                const race = c.state === "UI edit lost" ? "*" : "";
                await reports
                    .get(kind)!
                    .cell(columnOf(c), c.fault, `${kind.short} ${cellTitle(c)}`, c.outcome, () => runCell(kind, c), race);
            });
        }
    });
}
