// The secret-leak suite's search: every place searched is counted by kind, every canary found
// outside Pulumi's secret envelope is a hit, and a canary found inside a secret is tallied apart
// (so a test can show the secret did reach where it belongs, i.e. that the search could fail).
// What counts as "inside a secret" is the stack harness's own rule (test/support/stackHarness.ts).
import { plaintextStrings, secretText } from "./stackHarness";

export interface Canary {
    /** Short name used in reports: "apiKey", "token", ... */
    name: string;
    value: string;
}

export interface Hit {
    canary: string;
    /** Kind of place, e.g. "host log lines". */
    kind: string;
    /** Which place: resource, RPC, file, line number. */
    where: string;
    /** Property path for values, "" for texts. */
    path: string;
    /** The text around the hit, the canary replaced by «name». */
    excerpt: string;
}

export class LeakLedger {
    /** Places searched, by kind, in the order kinds were first seen. */
    readonly places = new Map<string, number>();
    readonly hits: Hit[] = [];
    /** Per canary: places where it was found inside a secret (allowed, and sometimes required). */
    readonly insideSecrets = new Map<string, string[]>();

    constructor(readonly canaries: Canary[]) {
        for (const c of canaries) this.insideSecrets.set(c.name, []);
    }

    get total(): number {
        return [...this.places.values()].reduce((a, b) => a + b, 0);
    }

    /**
     * One serialized value (the wire form the engine stores: secrets are
     * `{[SECRET_SIG_KEY]: SECRET_SIG, value}`). Every string and object key outside a secret is
     * searched; the contents of secrets are tallied in insideSecrets.
     */
    value(kind: string, where: string, value: unknown): void {
        this.count(kind);
        for (const { path, text } of plaintextStrings(value)) this.scan(kind, where, path, text);
        const hidden = secretText(value);
        for (const c of this.canaries) if (hidden.includes(c.value)) this.insideSecrets.get(c.name)!.push(`${kind}: ${where}`);
    }

    /** One text that has no secret envelope (a message, a file, __provider): any canary is a hit. */
    text(kind: string, where: string, text: string): void {
        this.count(kind);
        this.scan(kind, where, "", text);
    }

    /** Log output: each line is one place. */
    lines(kind: string, where: string, lines: readonly string[]): void {
        lines.forEach((line, i) => this.text(kind, `${where} line ${i + 1}`, line));
    }

    /** Hits of one canary, optionally limited to some kinds of place. */
    hitsOf(canary: string, kinds?: string[]): Hit[] {
        return this.hits.filter((h) => h.canary === canary && (!kinds || kinds.includes(h.kind)));
    }

    /** `secret-leak: <N> places searched (<breakdown>), <H> canary hits` */
    figure(): string {
        const breakdown = [...this.places.entries()].map(([kind, n]) => `${n} ${kind}`).join(", ");
        return `secret-leak: ${this.total} places searched (${breakdown}), ${this.hits.length} canary hits`;
    }

    /** The hits, one per line, for failure messages. */
    describeHits(hits: Hit[] = this.hits): string {
        return hits.map((h) => `  [${h.canary}] ${h.kind} — ${h.where}${h.path ? ` at ${h.path}` : ""}: ${h.excerpt}`).join("\n");
    }

    private count(kind: string): void {
        this.places.set(kind, (this.places.get(kind) ?? 0) + 1);
    }

    private scan(kind: string, where: string, path: string, text: string): void {
        for (const c of this.canaries) {
            if (!text.includes(c.value)) continue;
            this.hits.push({ canary: c.name, kind, where, path, excerpt: excerpt(text, this.canaries) });
        }
    }
}

function excerpt(text: string, canaries: Canary[]): string {
    let out = text;
    for (const c of canaries) out = out.split(c.value).join(`«${c.name}»`);
    const at = out.indexOf("«");
    const start = Math.max(0, at - 120);
    return (start > 0 ? "…" : "") + out.slice(start, at + 160) + (at + 160 < out.length ? "…" : "");
}
