// A seeded soak: 500 routes, twice through create → update → delete, 16 operations at a time,
// with random retryable and ambiguous faults injected into about 10% of the operations. Every
// operation that fails with a clear error is re-run the way a user re-runs `pulumi up`: an
// ambiguous create is followed by adopting the id the error names, a failed claim (the route was
// saved; Pulumi records it with an initialization error) by an update. After each pass the emulator
// must hold exactly the desired routes, and nothing after the deletes.
//
// The seed fixes each operation's fault plan (every operation draws from its own stream, so the
// plan does not depend on scheduling). A POST fault cannot be aimed at one route (every create
// POSTs to the same path), so which concurrent create takes it, and hence the totals, vary a
// little between runs of one seed; the end state may not.
//
//   SOAK_SEED=<n> SOAK_ROUTES=<n> to reproduce or vary a run (the seed is printed).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { AlertRouteInputs, AlertRouteOutputs } from "../../providers/incident-io/alertRoute";
import type { AlertRouteHandlers } from "../../providers/incident-io/handlers";
import { fromResponse, sameRoute } from "../../providers/incident-io/model";
import type { AlertRouteResponse } from "../../providers/incident-io/types";
import { IncidentIoEmulator } from "../../dev/emulator";
import { ALERTMANAGER, minimalRoute, productionAlerts } from "../fixtures/routes";
import { faultFor, idsNamedInAmbiguousCreate, pool, prng, retriesLogged, type FaultName, type FaultTarget } from "../support/faults";
import { handlersFor, TEST_API_KEY } from "../support/handlers";

const SEED = Number(process.env.SOAK_SEED ?? 4_2024_0611);
const ROUTES = Number(process.env.SOAK_ROUTES ?? 500);
const ROUNDS = 2;
const CONCURRENCY = 16;
const FAULT_RATE = 0.1;
const MAX_RETRIES = 3;
/** Share of faults that outlast the client's retries (times = maxRetries + 1), forcing a re-run. */
const EXHAUSTING_SHARE = 0.15;
/** A re-run loop longer than this means the provider cannot converge: the soak fails. */
const MAX_RUNS = 12;

const CONFIG = {
    "incident-io:requestTimeoutSeconds": "1",
    "incident-io:maxRetries": String(MAX_RETRIES),
    "incident-io:requestsPerMinute": "60000",
    "incident-io:maxConcurrency": String(CONCURRENCY),
};
const TIMING = { slowMs: 1_500, retryAfterSeconds: 1 };

/** The retryable and ambiguous faults, with weights. */
const MIX: Array<[FaultName, number]> = [
    ["429 Retry-After in seconds", 1],
    ["429 Retry-After as HTTP date", 1],
    ["429 only in the body", 1],
    ["500", 2],
    ["502", 2],
    ["503", 2],
    ["reset after processing", 3],
    ["reset before processing", 2],
    ["slower than the timeout", 2],
    ["malformed JSON", 2],
];

type Phase = "create" | "update" | "delete";

interface Managed {
    id?: string;
    outs?: AlertRouteOutputs;
    /** Set after an ambiguous create: the user adds `adoptId` to the route's code and keeps it. */
    adoptId?: string;
    /** The route was saved but the call failed (claim): Pulumi recorded it, the next up updates it. */
    initError?: boolean;
}

const stats = {
    operations: 0,
    handlerCalls: 0,
    faultsInjected: 0,
    faultsByName: new Map<string, number>(),
    exhausting: 0,
    reruns: 0,
    adoptions: 0,
    initErrorsRecovered: 0,
    afterCreate: [] as number[],
    afterUpdate: [] as number[],
    final: -1,
};

let emulator: IncidentIoEmulator;
let handlers: AlertRouteHandlers;
/** `pulumi destroy` is a run of its own, so a host process (and handlers) of its own: the handlers leave alone a
 * route they adopted in the same run (a replacement's), which every delete of an adopted route here would be. */
let destroyer: AlertRouteHandlers;
let logs: string[];
const started = Date.now();

before(async () => {
    emulator = await IncidentIoEmulator.start({ apiKey: TEST_API_KEY, latencyMs: 0 }); // no rate limit
    ({ handlers, logs } = await handlersFor(emulator, CONFIG));
    ({ handlers: destroyer } = await handlersFor(emulator, CONFIG));
    // Warm up the emulator's schema compilation outside the 1 s timeout.
    const warm = await handlersFor(emulator, { ...CONFIG, "incident-io:requestTimeoutSeconds": "30" });
    const { id, outs } = await warm.handlers.create(await checked(warm.handlers, minimalRoute("soak warm-up")));
    await warm.handlers.delete(id, outs!);
    emulator.resetLog();
});

after(async () => {
    const faults = [...stats.faultsByName].map(([n, c]) => `${n} ×${c}`).join(", ");
    console.log(`soak faults: ${faults}`);
    console.log(
        `soak: seed ${SEED}, ${ROUTES} routes × ${ROUNDS} rounds of create → update → delete, ${stats.operations} operations ` +
            `(${stats.handlerCalls} handler calls, concurrency ${CONCURRENCY}), ${stats.faultsInjected} faults injected ` +
            `(${stats.exhausting} outlasting the retries), ${retriesLogged(logs)} retries survived, ${stats.reruns} re-runs ` +
            `(${stats.adoptions} ambiguous creates adopted by id, ${stats.initErrorsRecovered} saved-but-unclaimed routes updated), ` +
            `routes after create ${stats.afterCreate.join("/")}, after update ${stats.afterUpdate.join("/")}, final route count ${stats.final}, ` +
            `${emulator?.requests.length ?? 0} API requests, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await emulator?.close();
});

// ------------------------------------------------------------------ determinism

function hash32(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

/** Each operation draws from its own stream, so the plan does not depend on scheduling. */
const streamFor = (...parts: Array<string | number>) => prng(hash32([SEED, ...parts].join(":")));

/** The desired route i in a round, after create or after update. */
function desired(round: number, i: number, phase: "create" | "update"): Record<string, unknown> {
    const rng = streamFor("spec", round, i);
    const name = `soak r${round} #${String(i).padStart(3, "0")}`;
    const enabled = rng() < 0.8;
    const base: Record<string, unknown> =
        i % 3 === 0
            ? (productionAlerts({ name, enabled }) as unknown as Record<string, unknown>)
            : {
                  ...minimalRoute(name),
                  enabled,
                  ...(rng() < 0.5 ? { alert_sources: [{ alert_source_id: ALERTMANAGER, condition_groups: [] }] } : {}),
              };
    if (phase === "create") return base;
    return { ...base, name: `${name} (updated)`, enabled: !enabled };
}

function targetsFor(phase: Phase, id: string | undefined): Array<[FaultTarget, number]> {
    const claim: FaultTarget = { method: "POST", path: "/v2/managed_resources" };
    const one = `/v2/alert_routes/${id}`;
    switch (phase) {
        case "create":
            return [
                [{ method: "POST", path: "/v2/alert_routes" }, 0.9],
                [claim, 0.1],
            ];
        case "update":
            return [
                [{ method: "GET", path: one }, 0.4],
                [{ method: "PUT", path: one }, 0.5],
                [claim, 0.1],
            ];
        case "delete":
            return [[{ method: "DELETE", path: one }, 1]];
    }
}

function pick<T>(rng: () => number, weighted: Array<[T, number]>): T {
    const total = weighted.reduce((s, [, w]) => s + w, 0);
    let r = rng() * total;
    for (const [value, w] of weighted) if ((r -= w) < 0) return value;
    return weighted[weighted.length - 1][0];
}

/** With probability FAULT_RATE, injects one random fault aimed at this operation's requests. */
function maybeInject(rng: () => number, phase: Phase, id: string | undefined): void {
    if (rng() >= FAULT_RATE) return;
    const name = pick(rng, MIX);
    const target = pick(rng, targetsFor(phase, id));
    const exhausting = rng() < EXHAUSTING_SHARE;
    emulator.inject(faultFor(name, target, exhausting ? MAX_RETRIES + 1 : 1, TIMING));
    stats.faultsInjected++;
    if (exhausting) stats.exhausting++;
    stats.faultsByName.set(name, (stats.faultsByName.get(name) ?? 0) + 1);
}

/** Check as the engine calls it: olds are the stored inputs once the route is in the stack (the
 * outputs carry them), so check reads a route to adopt only for a new resource. */
async function checked(h: AlertRouteHandlers, news: Record<string, unknown>, olds: object = {}): Promise<AlertRouteInputs> {
    const { inputs, failures } = await h.check(olds as Record<string, unknown>, news);
    assert.deepEqual(failures ?? [], [], JSON.stringify(news));
    return inputs!;
}

// ------------------------------------------------------------------ what a user does: re-run until done

async function rerunUntilDone(
    what: string,
    attempt: (run: number) => Promise<void>,
    onError: (e: Error & { id?: string; properties?: AlertRouteOutputs }) => void | Promise<void>,
): Promise<void> {
    stats.operations++;
    let last: Error | undefined;
    for (let run = 0; run < MAX_RUNS; run++) {
        if (run > 0) stats.reruns++;
        stats.handlerCalls++;
        try {
            await attempt(run);
            return;
        } catch (error) {
            last = error as Error;
            await onError(last);
        }
    }
    throw new Error(`${what}: still failing after ${MAX_RUNS} runs: ${last?.message}`);
}

async function createOne(round: number, i: number, rec: Managed): Promise<void> {
    const rng = streamFor("create", round, i);
    const spec = desired(round, i, "create");
    await rerunUntilDone(
        `create ${spec.name}`,
        async () => {
            maybeInject(rng, "create", rec.id);
            const inputs = await checked(
                handlers,
                { ...spec, ...(rec.adoptId ? { adoptId: rec.adoptId } : {}) },
                rec.initError ? rec.outs : {},
            );
            if (rec.initError) {
                // Pulumi holds the route (id + outputs) from the failed call: the next up updates it.
                const { outs } = await handlers.update(rec.id!, rec.outs!, inputs);
                Object.assign(rec, { outs, initError: false });
                stats.initErrorsRecovered++;
                return;
            }
            const created = await handlers.create(inputs);
            Object.assign(rec, { id: created.id, outs: created.outs });
        },
        async (e) => {
            if (e.id && e.properties) return void Object.assign(rec, { id: e.id, outs: e.properties, initError: true });
            const ids = idsNamedInAmbiguousCreate(e.message);
            if (ids && ids.length > 1) throw new Error(`duplicate routes for "${spec.name}": ${e.message}`);
            if (ids && ids.length === 1) {
                // The error's guidance: set adoptId to the route it names and run `pulumi up` again.
                rec.adoptId = ids[0];
                stats.adoptions++;
            }
            if (ids === undefined && /may still be in progress: look again|Look for the route in incident\.io/.test(e.message)) {
                // The error's guidance when it could not name the route (none found yet, or the listing
                // itself failed): look for it in incident.io a minute later (here: once every request
                // already sent has been handled; under load a timed-out POST can still be on its way) and
                // adopt the route if it is there.
                await emulator.settled();
                const found = emulator.routes().filter((r) => r.name === spec.name);
                if (found.length > 1) throw new Error(`duplicate routes for "${spec.name}"`);
                if (found.length === 1) {
                    rec.adoptId = found[0].id;
                    stats.adoptions++;
                }
            }
            // Anything else (nothing was created, or a plain error): run `pulumi up` again.
        },
    );
}

async function updateOne(round: number, i: number, rec: Managed): Promise<void> {
    const rng = streamFor("update", round, i);
    const spec = desired(round, i, "update");
    await rerunUntilDone(
        `update ${spec.name}`,
        async () => {
            maybeInject(rng, "update", rec.id);
            const news = await checked(handlers, { ...spec, ...(rec.adoptId ? { adoptId: rec.adoptId } : {}) }, rec.outs);
            const { outs } = await handlers.update(rec.id!, rec.outs!, news);
            if (rec.initError) stats.initErrorsRecovered++;
            Object.assign(rec, { outs, initError: false });
        },
        (e) => {
            // A failed claim after a saved update: Pulumi records the new outputs.
            if (e.id && e.properties) Object.assign(rec, { outs: e.properties, initError: true });
        },
    );
}

async function deleteOne(round: number, i: number, rec: Managed): Promise<void> {
    const rng = streamFor("delete", round, i);
    await rerunUntilDone(
        `delete ${rec.id}`,
        async () => {
            maybeInject(rng, "delete", rec.id);
            await destroyer.delete(rec.id!, rec.outs!);
            rec.id = undefined;
            rec.outs = undefined;
        },
        () => {},
    );
}

// ------------------------------------------------------------------ checks

const asSpec = (route: unknown) => fromResponse(route as AlertRouteResponse);

/** The emulator holds exactly the desired routes, each recorded in the stack under its id and version. */
async function assertHoldsExactly(round: number, phase: "create" | "update", records: Managed[]): Promise<void> {
    const routes = emulator.routes();
    const byName = new Map<string, number>();
    for (const r of routes) byName.set(r.name, (byName.get(r.name) ?? 0) + 1);
    const duplicates = [...byName].filter(([, n]) => n > 1);
    assert.deepEqual(duplicates, [], "no route name appears twice");
    assert.equal(routes.length, ROUTES, `exactly ${ROUTES} routes after ${phase} (round ${round})`);
    const claimed = new Set(emulator.managedResources().map((m) => m.resource_id));
    for (let i = 0; i < ROUTES; i++) {
        const rec = records[i];
        const want = await checked(handlers, desired(round, i, phase));
        assert.ok(rec.id, `route ${i} is recorded`);
        const route = emulator.route(rec.id);
        assert.ok(route, `route ${i} (${rec.id}) exists`);
        assert.ok(sameRoute(want, asSpec(route)), `route ${i} holds the desired spec: ${route.name}`);
        assert.equal(rec.outs!.version, route.version, `the stack has route ${i}'s version`);
        assert.ok(!rec.initError, `route ${i} has no pending initialization error`);
        assert.ok(claimed.has(rec.id), `route ${i} is claimed as managed`);
    }
}

// ------------------------------------------------------------------ the soak

test(`soak: ${ROUTES} routes, seeded faults, twice through create → update → delete`, async () => {
    console.log(`soak seed: ${SEED} (SOAK_SEED=${SEED} reproduces the fault plan)`);
    const indexes = Array.from({ length: ROUTES }, (_, i) => i);
    for (let round = 1; round <= ROUNDS; round++) {
        const records: Managed[] = indexes.map(() => ({}));

        await pool(indexes, CONCURRENCY, (i) => createOne(round, i, records[i]));
        emulator.clearFaults();
        await assertHoldsExactly(round, "create", records);
        stats.afterCreate.push(emulator.routes().length);

        await pool(indexes, CONCURRENCY, (i) => updateOne(round, i, records[i]));
        emulator.clearFaults();
        await assertHoldsExactly(round, "update", records);
        stats.afterUpdate.push(emulator.routes().length);

        await pool(indexes, CONCURRENCY, (i) => deleteOne(round, i, records[i]));
        emulator.clearFaults();
        assert.equal(emulator.routes().length, 0, `no route left after delete (round ${round})`);
    }
    stats.final = emulator.routes().length;
    assert.equal(stats.final, 0);
    assert.ok(stats.faultsInjected > 0 && retriesLogged(logs) > 0, "faults were injected and survived");
});
