import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_JSON_DEPTH } from '../defaults';
import { nestsDeeperThan } from '../json';

/** Refuses bad input: throws a NodeOperationError naming the field, for one item. */
export type Fail = (message: string, description?: string) => never;

export function failFor(node: INode, itemIndex: number): Fail {
	return (message, description) => {
		throw new NodeOperationError(node, message, { itemIndex, description });
	};
}

/** A number option within bounds, or undefined when it was not set. */
export function readNumber(
	value: unknown,
	label: string,
	bounds: { min: number; max: number; integer?: boolean },
	fail: Fail,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value))
		return fail(`${label} must be a number (got ${JSON.stringify(value)})`);
	if (value < bounds.min || value > bounds.max)
		fail(`${label} must be between ${bounds.min} and ${bounds.max} (got ${value})`);
	if (bounds.integer && !Number.isInteger(value))
		fail(`${label} must be a whole number (got ${value})`);
	return value;
}

/** A JSON option: n8n hands it over as text, or already parsed when it came from an expression. */
export function parseJsonOption(value: unknown, label: string, fail: Fail): unknown {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return fail(`${label} is not valid JSON: ${(error as Error).message}`);
		}
	}
	// Deeper than any API takes, and it could not even be sent (serializing it overflows the stack).
	if (nestsDeeperThan(parsed, MAX_JSON_DEPTH))
		fail(`${label} nests deeper than ${MAX_JSON_DEPTH} levels`);
	return parsed;
}
