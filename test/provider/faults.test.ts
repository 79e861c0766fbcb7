// The fault matrix: every AlertRoute operation (create, adopt, read, update, delete) against every
// fault the API can throw at it, aimed at the operation's write request (POST for create, PUT for
// adopt/update, GET for read, DELETE for delete) and, for adopt and update, at the GET that reads
// the route first. Each cell asserts the outcome ("retried then succeeded", handled at once, or a
// clear error) together with the emulator's final state: no duplicate route, no lost route, no
// silent overwrite of a change made in the UI. One fault is added to the emulator's: a server
// slower than the timeout that acts only after the client gave up.
//
// It prints the matrix (R / E / H / FAIL per cell) and the figure line when it ends;
// FAULTS_VERBOSE=1 prints every cell's error message and retry log.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import type { AlertRouteHandlers } from "../../providers/incident-io/handlers";
import { canonical, fromResponse, sameRoute } from "../../providers/incident-io/model";
import type { AlertRouteResponse } from "../../providers/incident-io/types";
import { IncidentIoEmulator, type AlertRouteV2 } from "../../dev/emulator";
import { minimalRoute } from "../fixtures/routes";
import { faultFor, idsNamedInAmbiguousCreate, UI_EDIT_SUFFIX, type FaultTarget } from "../support/faults";
import {
    assertOutcome,
    atOnce,
    fails,
    LATE,
    LateGate,
    MATRIX_FAULTS,
    MatrixReport,
    retried,
    survives,
    UI_EDIT,
    type Expectation as CellExpectation,
    type MatrixFault,
} from "../support/faultMatrix";
import { handlersFor, TEST_API_KEY } from "../support/handlers";

/** Small timeouts keep the suite fast: the slow answer (1 s) is well past the timeout (0.3 s). */
const CONFIG = { "incident-io:requestTimeoutSeconds": "0.3", "incident-io:maxRetries": "3" };

type Op = "create" | "adopt" | "read" | "update" | "delete";
type Where = "write" | "pre-read GET";
type State =
    | "created" //             exactly one route, holding the spec, recorded under its id
    | "created, UI edit kept" // ditto, and an edit made in the UI right after is not replaced
    | "none" //                no route exists
    | "ambiguous" //           exactly one route exists; the error names its id and adoptId
    | "created late" //        the route appears after the error; doing what the error says leaves exactly one
    | "adopted" //             the live route now holds the spec (version + 1), no POST
    | "untouched" //           the route is exactly as before the operation
    | "UI edit kept" //        the route holds the UI edit, nothing else changed
    | "read" //                read returned the route as the emulator holds it
    | "read shows UI edit" //  ditto, with the UI edit
    | "gone" //                read returned {} (Pulumi drops it); the route was not touched
    | "updated" //             the route holds the new spec at version 2
    | "overwritten" //         onConflict=overwrite: the UI edit was replaced, and the log says so
    | "deleted"; //            the route no longer exists

type Expectation = CellExpectation<State>;

interface Cell extends Expectation {
    op: Op;
    where: Where;
    fault: MatrixFault;
    onConflict?: "fail" | "overwrite";
}

const SCOPES = /"View data" and "Create and manage on-call resources"/;
const VALIDATION = /422 \(request_id req-fault-422\): name: must be at most 255 characters/;

// ------------------------------------------------------------------ the matrix

/** create: the fault hits POST /v2/alert_routes. */
const CREATE: Record<MatrixFault, Expectation> = {
    "429 Retry-After in seconds": retried("created"),
    "429 Retry-After as HTTP date": retried("created"),
    "429 only in the body": retried("created"),
    // A POST is never repeated unless provably unsent: a 5xx may have been applied, so the error
    // must name the route and say how to adopt it if it turns up (here nothing was created).
    "500": fails("none", "name", /\b500\b/, /adoptId/),
    "502": fails("none", "name", /\b502\b/, /adoptId/),
    "503": fails("none", "name", /\b503\b/, /adoptId/),
    // The server created the route and the answer was lost: exactly one route, named with its id.
    "reset after processing": fails("ambiguous", "name", "id", /may have succeeded/, /adoptId/),
    // The connection died before the server acted: nothing exists. The client cannot tell this from
    // a request still in flight, so the error says to look again before re-running.
    "reset before processing": fails("none", "name", /may have succeeded/, /may still be in progress: look again/, /adoptId/),
    "slower than the timeout": fails("ambiguous", "name", "id", /timed out/, /adoptId/),
    // The request was sent and the server may still act on it: the error must not promise that a
    // re-run is safe, and doing what it says must not end with two routes.
    [LATE]: fails("created late", "name", /timed out/, /adoptId/, { not: /again is safe/ }),
    "malformed JSON": fails("ambiguous", "name", "id", /malformed/, /adoptId/),
    "401": fails("none", /POST \/v2\/alert_routes 401/, SCOPES),
    "403": fails("none", /POST \/v2\/alert_routes 403/, SCOPES),
    "404": fails("none", /POST \/v2\/alert_routes 404/),
    "422 validation error": fails("none", /POST \/v2\/alert_routes/, VALIDATION),
    "409 version rejected": fails("none", /POST \/v2\/alert_routes 409/, /version/),
    "422 version rejected": fails("none", /POST \/v2\/alert_routes 422/, /version/),
    // There is no read before a create: the route is edited in the UI right after it is created
    // (before the managed claim). The edit stays, and the next update reports it.
    "UI edit between read and write": atOnce("created, UI edit kept"),
};

/** adopt (create with adoptId on a route made in the UI): the fault hits the PUT. */
const ADOPT_PUT: Record<MatrixFault, Expectation> = {
    ...survives("adopted"), // a lost or slow PUT answer is settled by reading the route back
    "401": fails("untouched", /PUT \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /PUT \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": fails("untouched", "name", "id", /no alert route with that id/, /remove adoptId/),
    "422 validation error": fails("untouched", "id", VALIDATION),
    "409 version rejected": fails(
        "untouched",
        "name",
        "id",
        /rejected version 2/,
        /although the route is still at version 1/,
        /Nothing was written/,
    ),
    "422 version rejected": fails(
        "untouched",
        "name",
        "id",
        /rejected version 2/,
        /although the route is still at version 1/,
        /Nothing was written/,
    ),
    "UI edit between read and write": fails(
        "UI edit kept",
        "name",
        "id",
        /changed in incident.io while Pulumi was updating it/,
        /Nothing was overwritten/,
    ),
};

/** adopt: the fault hits the GET that reads the live route first. */
const ADOPT_GET: Partial<Record<MatrixFault, Expectation>> = {
    ...survives("adopted"),
    "401": fails("untouched", /GET \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /GET \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": fails("untouched", "name", "id", /no alert route with that id/, /remove adoptId/),
};

/** read (refresh): the fault hits the GET. */
const READ: Record<MatrixFault, Expectation> = {
    ...survives("read"),
    "401": fails("untouched", /GET \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /GET \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": atOnce("gone"), // gone: Pulumi drops it from the stack; nothing is deleted
    "422 validation error": fails("untouched", "id", VALIDATION),
    "409 version rejected": fails("untouched", "id", / 409 /, /version/),
    "422 version rejected": fails("untouched", "id", / 422 /, /version/),
    "UI edit between read and write": atOnce("read shows UI edit"),
};

/** update: the fault hits the PUT. */
const UPDATE_PUT: Record<MatrixFault, Expectation> = {
    ...survives("updated"),
    "401": fails("untouched", /PUT \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /PUT \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": fails("untouched", "name", "id", /deleted outside Pulumi/, /pulumi refresh/),
    "422 validation error": fails("untouched", "id", VALIDATION),
    "409 version rejected": fails(
        "untouched",
        "name",
        "id",
        /rejected version 2/,
        /although the route is still at version 1/,
        /Nothing was written/,
    ),
    "422 version rejected": fails(
        "untouched",
        "name",
        "id",
        /rejected version 2/,
        /although the route is still at version 1/,
        /Nothing was written/,
    ),
    "UI edit between read and write": fails(
        "UI edit kept",
        "name",
        "id",
        /changed in incident.io while Pulumi was updating it/,
        /Nothing was overwritten/,
    ),
};

/** update: the fault hits the GET that reads the route before writing. */
const UPDATE_GET: Partial<Record<MatrixFault, Expectation>> = {
    ...survives("updated"),
    "401": fails("untouched", /GET \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /GET \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": fails("untouched", "name", "id", /deleted outside Pulumi/, /pulumi refresh/),
    // Edited in the UI since the last up/refresh: the GET sees a newer version.
    "UI edit between read and write": fails("UI edit kept", "name", "id", /changed outside Pulumi/, /changed: name/, /Nothing was written/),
};

/** delete: the fault hits the DELETE. */
const DELETE: Record<MatrixFault, Expectation> = {
    ...survives("deleted"), // a lost answer is settled by the retry's 404
    "401": fails("untouched", /DELETE \/v2\/alert_routes\/\S+ 401/, SCOPES),
    "403": fails("untouched", /DELETE \/v2\/alert_routes\/\S+ 403/, SCOPES),
    "404": atOnce("untouched"), // already gone counts as done (the emulator's route is a fake 404's)
    "422 validation error": fails("untouched", "id", VALIDATION),
    "409 version rejected": fails("untouched", "id", / 409 /, /version/),
    "422 version rejected": fails("untouched", "id", / 422 /, /version/),
    "UI edit between read and write": atOnce("deleted"), // destroy means destroy
};

function rows(op: Op, where: Where, table: Partial<Record<MatrixFault, Expectation>>): Cell[] {
    return MATRIX_FAULTS.filter((f) => table[f] !== undefined).map((fault) => ({ op, where, fault, ...table[fault]! }));
}

const CELLS: Cell[] = [
    ...rows("create", "write", CREATE),
    ...rows("adopt", "write", ADOPT_PUT),
    ...rows("adopt", "pre-read GET", ADOPT_GET),
    ...rows("read", "write", READ),
    ...rows("update", "write", UPDATE_PUT),
    // With onConflict=overwrite, an edit racing the PUT is still not replaced blindly.
    {
        op: "update",
        where: "write",
        fault: UI_EDIT,
        onConflict: "overwrite",
        ...fails("UI edit kept", "name", "id", /changed in incident.io while Pulumi was updating it/),
    },
    ...rows("update", "pre-read GET", UPDATE_GET),
    // With onConflict=overwrite, an edit seen by the GET is replaced, and the log says so.
    { op: "update", where: "pre-read GET", fault: UI_EDIT, onConflict: "overwrite", ...atOnce("overwritten") },
    ...rows("delete", "write", DELETE),
];

// ------------------------------------------------------------------ running a cell

let emulator: IncidentIoEmulator;
const lateGate = new LateGate();
const tally = new MatrixReport();

function cellTitle(c: Cell): string {
    return `${c.op} × ${c.fault} on ${c.where === "write" ? writeMethod(c.op) : "the pre-read GET"}${c.onConflict ? ` (onConflict=${c.onConflict})` : ""}`;
}

function writeMethod(op: Op): FaultTarget["method"] {
    return op === "create" ? "POST" : op === "read" ? "GET" : op === "delete" ? "DELETE" : "PUT";
}

function targetOf(c: Cell, id: string | undefined): FaultTarget {
    if (c.op === "create") return { method: "POST", path: "/v2/alert_routes" };
    const path = `/v2/alert_routes/${id}`;
    return { method: c.where === "pre-read GET" ? "GET" : writeMethod(c.op), path };
}

async function checked(handlers: AlertRouteHandlers, news: Record<string, unknown>): Promise<AlertRouteInputs> {
    const { inputs, failures } = await handlers.check({}, news);
    assert.deepEqual(failures ?? [], []);
    return inputs!;
}

function clearEmulator(): void {
    emulator.clearFaults();
    emulator.onBetween = undefined;
    for (const r of emulator.routes()) emulator.deleteInUi(r.id);
    emulator.resetLog();
}

const spec = (route: AlertRouteV2) => fromResponse(route as unknown as AlertRouteResponse);

async function runCell(c: Cell): Promise<void> {
    clearEmulator();
    const name = `faults: ${cellTitle(c)}`;
    const { handlers, logs } = await handlersFor(emulator, {
        ...CONFIG,
        ...(c.onConflict ? { "incident-io:onConflict": c.onConflict } : {}),
    });
    const inputs = await checked(handlers, minimalRoute(name));

    // Arrange: the route the operation works on, made without faults.
    let id: string | undefined;
    let outs: AlertRouteOutputs | undefined;
    let news: AlertRouteInputs = inputs;
    if (c.op === "adopt") {
        id = emulator.seedRoute({ ...inputs, enabled: false } as never).id; // made in the UI, differs from code
        news = await checked(handlers, { ...minimalRoute(name), adoptId: id });
    } else if (c.op !== "create") {
        const created = await handlers.create(inputs);
        id = created.id;
        outs = created.outs!;
        if (c.op === "update") news = await checked(handlers, { ...minimalRoute(name), enabled: false });
    }
    const before = id === undefined ? undefined : emulator.route(id);
    logs.length = 0;
    emulator.resetLog();

    // The fault.
    const target = targetOf(c, id);
    if (c.op === "create" && c.fault === UI_EDIT) {
        emulator.onBetween = (r) => {
            if (r.method === "POST" && r.path === "/v2/managed_resources") {
                emulator.editInUi((r.body as { resource_id: string }).resource_id, (route) => void (route.name += UI_EDIT_SUFFIX));
            }
        };
    } else if (c.fault === LATE) {
        let held = false;
        emulator.onBetween = async (r) => {
            if (held || r.method !== target.method || r.path !== target.path) return;
            held = true;
            await lateGate.hold(); // released once the operation has returned
        };
    } else {
        emulator.inject(faultFor(c.fault, target));
    }

    // Act.
    let result: unknown;
    let error: Error | undefined;
    try {
        switch (c.op) {
            case "create":
            case "adopt":
                result = await handlers.create(news);
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
        }
    } catch (e) {
        error = e as Error;
    } finally {
        await lateGate.release();
        emulator.onBetween = undefined;
    }
    emulator.clearFaults();
    if (process.env.FAULTS_VERBOSE)
        console.log(`${cellTitle(c)}: ${error ? `error: ${error.message}` : "ok"}${logs.length ? `\n    ${logs.join("\n    ")}` : ""}`);

    // A create whose route appears late: do what the error says, as a user would (adopt the id it
    // names; re-run when it says a re-run is safe; else look the route up by name and adopt it).
    let late: { routesNamed: number; rerunId: string; lateId: string; summary: string } | undefined;
    if (c.state === "created late" && error && emulator.routes().length === 1) {
        const lateId = emulator.routes()[0].id;
        const named = idsNamedInAmbiguousCreate(error.message);
        const adoptId = named === undefined ? lateId : named[0];
        const rerun = await handlers.create(await checked(handlers, { ...minimalRoute(name), ...(adoptId ? { adoptId } : {}) }));
        const withName = emulator.routes().filter((r) => r.name === name);
        late = {
            routesNamed: withName.length,
            rerunId: rerun.id,
            lateId,
            summary: `following the error's guidance (${adoptId ? `adopt ${adoptId}` : "it said re-running `pulumi up` is safe"}) left ${withName.length} routes named "${name}": ${withName.map((r) => r.id).join(", ")}`,
        };
    }

    // The invariants, counted whatever the outcome: no duplicate, nothing lost, no silent overwrite.
    const all = emulator.routes();
    const current = id === undefined ? undefined : emulator.route(id);
    const duplicates = Math.max(0, (late ? late.routesNamed : all.length) - 1); // every cell deals with exactly one route
    const lost = before && !current && !(c.op === "delete" && !error) ? 1 : 0;
    const uiEdited = c.fault === UI_EDIT && c.op !== "delete";
    const editedRoute = c.op === "create" ? all[0] : current;
    const overwriteLogged = logs.some((l) => /overwriting changes made outside Pulumi/.test(l));
    const silentOverwrite =
        uiEdited && editedRoute && !editedRoute.name.endsWith(UI_EDIT_SUFFIX) && !(c.onConflict === "overwrite" && overwriteLogged) ? 1 : 0;
    tally.duplicates += duplicates;
    tally.lost += lost;
    tally.silentOverwrites += silentOverwrite;
    assert.equal(duplicates, 0, late?.summary ?? `duplicate routes: ${all.map((r) => `${r.id} "${r.name}"`).join(", ")}`);
    assert.equal(lost, 0, `route ${id} was lost`);
    assert.equal(silentOverwrite, 0, `the UI edit was replaced silently: ${JSON.stringify(editedRoute?.name)}`);

    // The outcome.
    const targetRequests = emulator.count(target.method, target.path);
    assert.ok(!error?.message.includes(TEST_API_KEY), "the key never appears");
    assertOutcome(c, { error, logs, target, targetRequests }, { noun: "route", name, id: id ?? all[0]?.id });

    // The final state.
    switch (c.state) {
        case "created":
        case "created, UI edit kept": {
            const { id: createdId, outs: createdOuts } = result as { id: string; outs: AlertRouteOutputs };
            assert.equal(all.length, 1);
            assert.equal(createdId, all[0].id, "the stack records the route that exists");
            assert.equal(emulator.count("POST", "/v2/alert_routes"), c.outcome === "retried then succeeded" ? 2 : 1);
            assert.ok(
                emulator.managedResources().some((m) => m.resource_id === createdId),
                "claimed as managed",
            );
            if (c.state === "created") {
                assert.ok(sameRoute(inputs, spec(all[0])), "the route holds the spec");
                assert.equal(createdOuts.version, all[0].version);
            } else {
                assert.equal(all[0].name, name + UI_EDIT_SUFFIX, "the UI edit is kept");
                assert.equal(createdOuts.version, 1);
                assert.equal(all[0].version, 2);
                // The next `pulumi up` does not replace it unseen.
                await assert.rejects(handlers.update(createdId, createdOuts, inputs), /changed outside Pulumi.*changed: name/s);
                assert.equal(emulator.route(createdId)!.name, name + UI_EDIT_SUFFIX);
            }
            break;
        }
        case "none":
            assert.equal(all.length, 0, "no route was created");
            break;
        case "created late":
            assert.equal(late?.routesNamed, 1, late?.summary);
            assert.equal(late?.rerunId, late?.lateId, "the stack ends up managing the route that exists");
            break;
        case "ambiguous":
            assert.equal(all.length, 1, "the POST was applied once and not repeated");
            assert.equal(all[0].name, name);
            assert.ok(error!.message.includes(all[0].id), "the error names the id to adopt");
            break;
        case "adopted": {
            const { id: adoptedId, outs: adoptedOuts } = result as { id: string; outs: AlertRouteOutputs };
            assert.equal(adoptedId, id);
            assert.ok(current && sameRoute(news, spec(current)), "the live route holds the spec");
            assert.equal(current!.version, 2);
            assert.equal(adoptedOuts.version, 2);
            assert.equal(adoptedOuts.adoptId, id);
            assert.equal(emulator.count("POST", "/v2/alert_routes"), 0, "adoption never POSTs");
            break;
        }
        case "untouched":
            assert.deepEqual(current, before, "the route is exactly as before");
            break;
        case "UI edit kept":
            assert.ok(current, "the route still exists");
            assert.equal(current.name, before!.name + UI_EDIT_SUFFIX, "the UI edit is kept");
            assert.equal(current.version, before!.version + 1, "only the UI edit was applied");
            assert.ok(sameRoute({ ...spec(before!), name: current.name }, spec(current)), "nothing else changed");
            break;
        case "read":
        case "read shows UI edit": {
            const read = result as { id: string; props: AlertRouteOutputs };
            assert.equal(read.id, id);
            assert.equal(read.props.version, current!.version);
            assert.deepEqual(read.props.route, canonical(spec(current!)));
            if (c.state === "read shows UI edit") {
                assert.equal(read.props.route.name, name + UI_EDIT_SUFFIX);
                assert.equal(read.props.version, 2);
            } else assert.deepEqual(current, before);
            break;
        }
        case "gone":
            assert.deepEqual(result, {}, "read says gone");
            assert.deepEqual(current, before, "and touched nothing");
            break;
        case "updated":
        case "overwritten": {
            const updated = result as { outs: AlertRouteOutputs };
            assert.ok(current && sameRoute(news, spec(current)), "the route holds the new spec");
            const version = c.state === "updated" ? 2 : 3;
            assert.equal(current!.version, version);
            assert.equal(updated.outs.version, version);
            if (c.state === "overwritten") assert.ok(overwriteLogged, "the overwrite is logged");
            break;
        }
        case "deleted":
            assert.equal(current, undefined, "the route is gone");
            assert.equal(all.length, 0);
            break;
    }
}

// ------------------------------------------------------------------ the suite

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY });
    // Warm up (the emulator compiles its request schemas on first use) with a generous timeout,
    // so the 0.3 s timeout of the cells measures faults, not start-up.
    const { handlers } = await handlersFor(emulator, { "incident-io:requestTimeoutSeconds": "30" });
    const inputs = await checked(handlers, minimalRoute("warm-up"));
    const { id, outs } = await handlers.create(inputs);
    const updated = await handlers.update(id, outs!, { ...inputs, enabled: false });
    await handlers.delete(id, updated.outs!);
});

after(async () => {
    tally.print("faults", [...new Set(CELLS.map(columnOf))], "404 = gone/done, UI edit shown/kept/overwritten as configured");
    await emulator?.close();
});

function columnOf(c: Cell): string {
    return `${c.op}${c.where === "write" ? `:${writeMethod(c.op)}` : ":GET"}${c.onConflict ? `(${c.onConflict})` : ""}`;
}

describe("fault matrix", () => {
    for (const c of CELLS) {
        test(`${cellTitle(c)} → ${c.outcome}, ${c.state}`, async () => {
            await tally.cell(columnOf(c), c.fault, cellTitle(c), c.outcome, () => runCell(c));
        });
    }
});
