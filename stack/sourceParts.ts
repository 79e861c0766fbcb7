// The pieces an alert source's template is built from, named for what they mean, so the source
// table in sources.ts never spells out rich text or expressions by hand.
import type { AlertTemplate, AlertTemplateAttribute, Expression } from "../providers/incident-io";

/** A rich-text document (the dashboard's editor) showing one value of the alert's payload, as the
 * API stores a title or description literal: a JSON document in a string. */
export function richTextOf(reference: string, label: string): { literal: string } {
    const variable = { type: "varSpec", attrs: { name: reference, label, missing: false } };
    return { literal: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [variable] }] }) };
}

/** An expression that reads one field of the payload (a JSON path) as a string. */
export function payloadField(reference: string, label: string, jsonPath: string): Expression {
    return {
        label,
        reference,
        root_reference: "payload",
        operations: [{ operation_type: "parse", parse: { source: jsonPath, returns: { type: "String", array: false } } }],
    };
}

/** Sets an alert attribute from one of the template's expressions; the first value an alert carries wins. */
export function attributeFrom(attributeId: string, expressionReference: string): AlertTemplateAttribute {
    return {
        alert_attribute_id: attributeId,
        binding: { value: { reference: `expressions["${expressionReference}"]` }, merge_strategy: "first_wins" },
    };
}

/** A template: title and description from the payload, the expressions the bindings use, the attributes set. */
export function template(
    title: [reference: string, label: string],
    description: [reference: string, label: string],
    expressions: Expression[] = [],
    attributes: AlertTemplateAttribute[] = [],
): AlertTemplate {
    return { title: richTextOf(...title), description: richTextOf(...description), expressions, attributes, is_private: false };
}
