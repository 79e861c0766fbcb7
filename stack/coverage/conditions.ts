// What a route condition means for one class of alerts, for the operations whose meaning is
// certain. Any other operation, a value taken from a reference, or a subject that is not a field of
// the alert makes the condition "not evaluated here": the analysis says so and never guesses.
import { OPERATION_ALIASES, type Condition, type ParamBinding } from "../../providers/incident-io";

/** The meanings the analysis evaluates; every certain operation name maps to one of them. */
export type Meaning = "one_of" | "not_one_of" | "is_set" | "is_not_set";

/**
 * Operation names with a certain meaning, as written in a route.
 * - `is`/`is_not` take one value, `one_of`/`not_one_of` a list: the same test.
 * - `is_blank`/`is_not_blank`: an alert holds no empty attribute value, so blank is "not set". Evidence:
 *   Alertmanager labels are Prometheus labels, and "labels with an empty label value are considered
 *   equivalent to labels that do not exist" (prometheus.io/docs/concepts/data_model).
 */
const CERTAIN: Readonly<Record<string, Meaning>> = {
    one_of: "one_of",
    is: "one_of",
    not_one_of: "not_one_of",
    is_not: "not_one_of",
    is_set: "is_set",
    is_not_set: "is_not_set",
    is_blank: "is_not_set",
    is_not_blank: "is_set",
};

/**
 * The meaning of an operation name, or undefined when it is not certain. The names the API answers
 * with for our operations (OPERATION_ALIASES in the provider's model: `one_of` reads back as
 * `contains_one_of` on text attributes) mean what the operation they alias means; a backup of a
 * live route holds those names.
 */
export function meaningOf(operation: string): Meaning | undefined {
    if (Object.hasOwn(CERTAIN, operation)) return CERTAIN[operation];
    const aliased = Object.entries(OPERATION_ALIASES).find(([, answered]) => answered === operation)?.[0];
    return aliased !== undefined && Object.hasOwn(CERTAIN, aliased) ? CERTAIN[aliased] : undefined;
}

/** A condition the analysis evaluates: one subject, one meaning, the literal values it names. */
export interface CertainCondition {
    subject: string;
    /** As written, for the report. */
    operation: string;
    meaning: Meaning;
    values: string[];
}

/** A condition it does not evaluate, and why, in words for the report. */
export interface UncertainCondition {
    subject: string;
    why: string;
}

export type ParsedCondition = CertainCondition | UncertainCondition;

export function isCertain(condition: ParsedCondition): condition is CertainCondition {
    return "meaning" in condition;
}

/** Conditions test alert fields (`alert.attributes.<id>`, `alert.title`); anything else is computed by an expression. */
const ALERT_FIELD = /^alert\.[A-Za-z0-9_.-]+$/;

export function parseCondition(condition: Condition): ParsedCondition {
    const subject = typeof condition.subject === "string" ? condition.subject : String(condition.subject);
    const operation = typeof condition.operation === "string" ? condition.operation : String(condition.operation);
    if (!ALERT_FIELD.test(subject)) return { subject, why: `${subject} is not a field of the alert (an expression's result)` };
    const meaning = meaningOf(operation);
    if (meaning === undefined) return { subject, why: `operation "${operation}" is not one this analysis evaluates` };
    const bindings: ParamBinding[] = Array.isArray(condition.param_bindings) ? condition.param_bindings : [];
    const slots = bindings.flatMap((b) => [...(b.value ? [b.value] : []), ...(b.array_value ?? [])]);
    if (slots.some((v) => typeof v.literal !== "string"))
        return { subject, why: `"${operation}" compares with a value known only when the alert arrives (a reference)` };
    const values = slots.map((v) => v.literal as string);
    const takesValues = meaning === "one_of" || meaning === "not_one_of";
    if (takesValues && values.length === 0) return { subject, why: `"${operation}" names no value` };
    return { subject, operation, meaning, values: takesValues ? [...new Set(values)] : [] };
}

/** true, false, or not known here. */
export type Truth = boolean | "unknown";

/** A class's cell for one subject: one of the named values, any other value, or not set. */
export type Cell = { value: string } | "other" | "notSet";

/**
 * Whether a certain condition holds for alerts whose subject is in `cell`. "other" stands for values
 * no condition names, so `one_of` is false there. Whether a negation holds for an alert without the
 * field is not documented, so that one case is not evaluated.
 */
export function holds(condition: CertainCondition, cell: Cell): Truth {
    switch (condition.meaning) {
        case "is_set":
            return cell !== "notSet";
        case "is_not_set":
            return cell === "notSet";
        case "one_of":
            return typeof cell === "object" && condition.values.includes(cell.value);
        case "not_one_of":
            if (cell === "notSet") return "unknown";
            return cell === "other" || !condition.values.includes(cell.value);
    }
}
