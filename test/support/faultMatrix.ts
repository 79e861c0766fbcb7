// What every fault matrix shares (test/provider/faults.test.ts for AlertRoute, sourceFaults.test.ts for
// AlertSource and AlertAttribute): the faults of its rows, the expectations a cell states, the check of
// an error message, the "server acts late" gate, and the grid and figure line printed at the end.
import assert from "node:assert/strict";
import { FAULT_NAMES, retriesLogged, TRANSIENT_FAULTS, type FaultName } from "./faults";

/**
 * One more fault beside the emulator's own: the server is slower than the timeout and acts only
 * after the client gave up (the emulator's `delay` acts first, or not at all). Made with the
 * `onBetween` hook holding the request until the operation has returned (lateGate).
 */
export const LATE = "slower than the timeout, server acts late" as const;
export type MatrixFault = FaultName | typeof LATE;
export const MATRIX_FAULTS: MatrixFault[] = [
    ...FAULT_NAMES.slice(0, FAULT_NAMES.indexOf("slower than the timeout") + 1),
    LATE,
    ...FAULT_NAMES.slice(FAULT_NAMES.indexOf("slower than the timeout") + 1),
];
export const UI_EDIT: MatrixFault = "UI edit between read and write";

export type Outcome = "retried then succeeded" | "handled at once" | "clear error";

/** A message check: a pattern, a pattern it must not match, or the resource's quoted name / id that it must contain. */
export type MessageCheck = RegExp | { not: RegExp } | "name" | "id";

export interface Expectation<State extends string> {
    outcome: Outcome;
    state: State;
    message?: MessageCheck[];
}

export const retried = <S extends string>(state: S): Expectation<S> => ({ outcome: "retried then succeeded", state });
export const atOnce = <S extends string>(state: S): Expectation<S> => ({ outcome: "handled at once", state });
export const fails = <S extends string>(state: S, ...message: MessageCheck[]): Expectation<S> => ({
    outcome: "clear error",
    state,
    message,
});

export type Survivable = (typeof TRANSIENT_FAULTS)[number] | typeof LATE;

/** Every transient fault, retried until the request goes through. */
export function survives<S extends string>(state: S): Record<Survivable, Expectation<S>> {
    return Object.fromEntries([...TRANSIENT_FAULTS, LATE].map((f) => [f, retried(state)])) as Record<Survivable, Expectation<S>>;
}

/** The rows of one column: a cell per fault the table names, in the order of MATRIX_FAULTS. */
export function rowsOf<S extends string, Extra extends object>(
    extra: Extra,
    table: Partial<Record<MatrixFault, Expectation<S>>>,
): Array<Extra & Expectation<S> & { fault: MatrixFault }> {
    return MATRIX_FAULTS.filter((f) => table[f] !== undefined).map((fault) => ({ ...extra, fault, ...table[fault]! }));
}

/** Asserts each check against an error message; `noun` words the assertion ("route", "source"). */
export function assertMessage(message: string, checks: readonly MessageCheck[], named: { noun: string; name: string; id?: string }): void {
    for (const check of checks) {
        if (typeof check === "object" && "not" in check) assert.doesNotMatch(message, check.not);
        else if (check === "name")
            assert.ok(message.includes(`"${named.name}"`), `the error names the ${named.noun} "${named.name}": ${message}`);
        else if (check === "id")
            assert.ok(named.id && message.includes(named.id), `the error names the ${named.noun}'s id ${named.id}: ${message}`);
        else assert.match(message, check);
    }
    assert.doesNotMatch(message, /undefined|\[object Object\]|NaN/, "no placeholders leak into the message");
}

/** Asserts a cell's outcome: a clear error (its message checked, the failed request not repeated),
 * or success, retried (a retry logged, the request repeated) or at once (no retry). */
export function assertOutcome(
    expected: Expectation<string>,
    seen: { error: Error | undefined; logs: readonly string[]; target: { method: string; path: string }; targetRequests: number },
    named: { noun: string; name: string; id?: string },
): void {
    const { error, logs, target, targetRequests } = seen;
    const retries = retriesLogged(logs);
    if (expected.outcome === "clear error") {
        assert.ok(error, `expected a clear error, but it ${retries > 0 ? "retried and " : ""}succeeded`);
        assertMessage(error.message, expected.message ?? [], named);
        assert.equal(
            targetRequests,
            1,
            `a request that failed for good is not repeated (${target.method} ${target.path} ×${targetRequests})`,
        );
    } else {
        assert.ok(!error, `expected success, got: ${error?.message}`);
        if (expected.outcome === "retried then succeeded") {
            assert.ok(retries >= 1, `a retry was logged: ${JSON.stringify(logs)}`);
            assert.ok(targetRequests >= 2, `${target.method} ${target.path} was repeated (×${targetRequests})`);
        } else {
            assert.equal(retries, 0, `no retry needed: ${JSON.stringify(logs)}`);
        }
    }
}

/** The LATE fault's gate: `hold` keeps a request until `release`, which the runner calls once the operation returned. */
export class LateGate {
    private open: () => void = () => {};
    private gate = new Promise<void>((resolve) => (this.open = resolve));

    hold(): Promise<void> {
        return this.gate;
    }

    /** Lets the held request go on and waits a macrotask (it is handled in microtasks), then re-arms. */
    async release(): Promise<void> {
        this.open();
        await new Promise((resolve) => setImmediate(resolve));
        this.gate = new Promise<void>((resolve) => (this.open = resolve));
    }
}

/** The figures and the grid of one matrix, printed when it ends. */
export class MatrixReport {
    cells = 0;
    retried = 0;
    atOnce = 0;
    clearErrors = 0;
    duplicates = 0;
    lost = 0;
    silentOverwrites = 0;
    readonly unexpected: string[] = [];
    private readonly grid = new Map<string, string>();

    /** Runs one cell: counts it, and marks the grid with its outcome (`suffix` appended: a footnote), or FAIL (rethrown). */
    async cell(column: string, fault: MatrixFault, title: string, outcome: Outcome, run: () => Promise<void>, suffix = ""): Promise<void> {
        this.cells++;
        const key = `${column}|${fault}`;
        try {
            await run();
        } catch (e) {
            this.unexpected.push(`${title}: ${(e as Error).message.split("\n")[0]}`);
            this.mark(key, "FAIL");
            throw e;
        }
        if (outcome === "retried then succeeded") this.retried++;
        else if (outcome === "clear error") this.clearErrors++;
        else this.atOnce++;
        this.mark(key, (outcome === "retried then succeeded" ? "R" : outcome === "clear error" ? "E" : "H") + suffix);
    }

    private mark(key: string, mark: string): void {
        this.grid.set(key, this.grid.has(key) ? `${this.grid.get(key)},${mark}` : mark);
    }

    /** The grid (faults × columns) and the figure line; `label` starts the line ("faults"), `handled` says what "at once" means. */
    print(label: string, columns: readonly string[], handled: string, extra = ""): void {
        const line =
            `${label}: ${this.cells} cells, ${this.retried} retried then succeeded, ${this.clearErrors} clear errors, ` +
            `${this.duplicates} duplicates, ${this.lost} lost, ${this.silentOverwrites} silent overwrites` +
            ` (+ ${this.atOnce} handled at once: ${handled}` +
            `${this.unexpected.length ? `; ${this.unexpected.length} cells NOT as expected` : ""})${extra}`;
        const table = [
            ["fault", ...columns].join(" | "),
            ...MATRIX_FAULTS.map((fault) => [fault, ...columns.map((col) => this.grid.get(`${col}|${fault}`) ?? "-")].join(" | ")),
        ];
        console.log(`\n${table.join("\n")}\n  R = retried then succeeded, E = clear error, H = handled at once, FAIL = not as expected\n`);
        if (this.unexpected.length) console.log(`cells not as expected:\n  - ${this.unexpected.join("\n  - ")}`);
        console.log(line);
    }
}
