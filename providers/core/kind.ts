// What the shared core needs to know about one kind of resource and about the API it lives in.
// A resource file describes its kind (how to read, compare, build payloads, claim); the API's
// package describes its backend once (settings, client, which failures mean what).
import type * as pulumi from "@pulumi/pulumi";

export type CheckFailure = pulumi.dynamic.CheckFailure;

/** The settings the core acts on; an API's settings may carry more. */
export interface CoreSettings {
    /** What `update` does when the resource changed outside Pulumi since the last up or refresh. */
    onConflict: "fail" | "overwrite";
    /** Claim resources as managed by code on create and adoption (kinds without a claim ignore it). */
    claimManaged: boolean;
}

/** What a failed request says, as far as the core's decisions go. */
export interface ApiFailure {
    /** The API itself says the resource does not exist (its own 404, never a proxy's). */
    notFound: boolean;
    /** The API refused the version sent (versioned kinds only). */
    versionRejected: boolean;
    /** The write may have been applied although no usable answer came back. */
    maybeApplied: boolean;
    requestId?: string;
}

/** One API (incident.io, Checkly): described once, shared by every kind of resource in it. */
export interface Backend<Settings extends CoreSettings, Client> {
    /** The product's name in messages and log lines ("incident.io"). */
    product: string;
    /** The config keys messages tell the operator to set. */
    configKeys: { onConflict: string; claimManaged: string };
    /** Reads the provider's settings; throws one error naming every bad key, its fix naming `stack`. */
    readSettings(get: (key: string) => string | undefined, stack?: string): Settings;
    /** The API client for these settings: the key read at call time, never held in state. Its
     * messages name `stack` in the commands they print. */
    createClient(settings: Settings, log: (line: string) => void, stack?: string): Client;
    /** An error that is an answer (or a lost answer) of the API; undefined for anything else. */
    failure(error: unknown): ApiFailure | undefined;
    /** The API key's check, asked of the API once per process; absent: the key is not checked. */
    keyCheck?: KeyCheck<Settings, Client>;
}

/** What the key may do, found out before the first write rather than by a 403 half-way through `up`. */
export interface KeyCheck<Settings, Client> {
    /** Throws (nothing written) when the key cannot write; `stack` names the stack in the fix. */
    beforeWrite(client: Client, settings: Settings, stack: string | undefined): Promise<void>;
    /** During a preview: once per process, the line saying that `up` will be refused; else undefined. Never throws. */
    previewNote(client: Client, settings: Settings): Promise<string | undefined>;
}

/** The words a kind's messages use. */
export interface KindWords {
    /** "alert route" */
    noun: string;
    /** "route" */
    short: string;
    /** Where an operator finds it in the product's dashboard ("Alerts → Routes"). */
    dashboard: string;
    /** The command that lists the ids ("`npm run import-routes`"). */
    listIds: string;
    /** Where adoption ids are set in stack config ("`alert-routing:adopt`"). */
    adoptConfig: string;
    /** The stack setting that makes a create beside a live one of the same name a warning or an error (sameName.ts). */
    sameNameSetting?: string;
}

/**
 * One kind of resource. `Spec` is its create payload (defaults filled), `Remote` the API's answer.
 * Everything else (adoption, claim, conflicts, read-back after a lost answer, 404s) is the core's.
 */
export interface ResourceKind<Spec extends { name: string }, Remote extends { id: string; name: string }, Client> {
    words: KindWords;
    /** Accepts the richer shapes operators paste (an API answer, an old backup): → a payload. */
    parse(raw: Record<string, unknown>): Record<string, unknown>;
    /** Every problem in a payload, before any API call; Pulumi's unknowns are accepted. `warn` takes
     * what passes but should be said (a value the API may have added since: an enum, an id format). */
    validate(payload: Record<string, unknown>, adoptId: unknown, warn: (property: string, reason: string) => void): CheckFailure[];
    /** Inputs refused by check go back to the engine as given, except these fields (a pasted secret). */
    secretInputs?: readonly string[];
    /** A valid payload with its defaults filled. */
    complete(payload: Record<string, unknown>): Spec;
    /** The spec part of inputs or outputs. */
    pickSpec(value: object): Spec;
    /** The API's answer (or a spec) in the canonical payload shape; `planned` keeps our spelling of aliases. */
    fromResponse(remote: Remote | Spec, planned?: Spec): Spec;
    same(a: Spec, b: Spec): boolean;
    changedFields(a: Spec, b: Spec): string[];
    /** The output holding the resource as the API holds it (canonical): `route`, `source`, … */
    liveField: string;
    /** Outputs beside the live form: the version, read-only values (a token: list it in additionalSecretOutputs). */
    extraOutputs?(remote: Remote): Record<string, unknown>;
    /** Versioned kinds: PUT carries version + 1 and a version the stack did not see is a conflict. */
    version?(remote: Remote): number;
    get(client: Client, id: string): Promise<Remote>;
    create(client: Client, spec: Spec): Promise<Remote>;
    /** `version` is the current version + 1 for versioned kinds. `current`: the live resource the
     * core just read, for what the definition leaves to the API (Checkly's subscriptions are sent back). */
    update(client: Client, id: string, spec: Spec, version: number | undefined, current: Remote): Promise<Remote>;
    remove(client: Client, id: string): Promise<void>;
    /** Every live resource's id and name: check lists them once per run (cached) to find a create
     * that would duplicate a live one by name (sameName.ts). Absent: not looked for. */
    listLive?(client: Client): Promise<Array<{ id: string; name: string }>>;
    /** Ids of live resources with this name (after a create whose answer was lost). */
    idsNamed(client: Client, name: string): Promise<string[]>;
    /** Marks the resource as managed by code; absent: the kind is never claimed. */
    claim?(client: Client, id: string, annotations: Record<string, string>): Promise<void>;
    /**
     * After each read of the live resource (refresh, update, adoption and its preview): a further look
     * (another view of it, e.g. incident.io's v3 settings) recorded for `extraOutputs`, and the reason
     * a write must not happen, if any. `write`: a write follows unless this refuses it; `stored`: the
     * outputs the stack holds. Update and adoption stop with the reason; the preview logs it.
     */
    inspect?(args: {
        client: Client;
        remote: Remote;
        stored: Record<string, unknown> | undefined;
        write: boolean;
        stack: string | undefined;
        log: (line: string) => void;
    }): Promise<string | undefined>;
    /** A live resource adoption must never take, whatever the definition (a field no update can change). */
    adoptionProblem?(spec: Spec, live: Remote): CheckFailure | undefined;
    /**
     * Check's own look at a change beyond the spec (a field that may never change, a server-side
     * validation): failures stop the preview. `olds`: the stored outputs, when the resource is in the
     * state; `live`: the resource about to be adopted, as check's adoption preview just read it.
     * `client` makes a request, so call it only when needed.
     */
    checkChange?(args: {
        olds: Record<string, unknown> | undefined;
        live: Remote | undefined;
        spec: Spec;
        client: () => Client;
        log: (line: string) => void;
    }): Promise<CheckFailure[]>;
}
