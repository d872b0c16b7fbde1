import type { IDataObject } from 'n8n-workflow';

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text that stands in for a value nested too deep to keep (see pruneNesting). */
export const TOO_DEEP = '[nested too deep]';

/**
 * Whether a parsed JSON value nests deeper than `limit` arrays and objects. Iterative:
 * JSON.parse accepts any depth, but a recursive walk (or JSON.stringify) of 100,000
 * levels overflows the stack.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 0]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (typeof current !== 'object' || current === null) continue;
		if (depth >= limit) return true;
		for (const entry of Object.values(current)) stack.push([entry, depth + 1]);
	}
	return false;
}

/**
 * Whether JSON text nests deeper than `limit`, read from the text in one pass (brackets
 * outside strings), far cheaper than walking the parsed value: nearly every answer is
 * shallow, and only a deep one is then pruned.
 */
export function jsonTextNestsDeeperThan(text: string, limit: number): boolean {
	if (text.length <= 2 * limit) return false; // each level takes two characters
	let depth = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === 92)
				index++; // a backslash escapes the next character
			else if (code === 34) inString = false;
		} else if (code === 34) inString = true;
		else if (code === 123 || code === 91) {
			if (++depth > limit) return true;
		} else if (code === 125 || code === 93) depth--;
	}
	return false;
}

/** JSON text parsed, with nesting past `limit` pruned (see pruneNesting); throws when not JSON. */
export function parseJsonBounded(text: string, limit: number): unknown {
	const value: unknown = JSON.parse(text);
	return jsonTextNestsDeeperThan(text, limit) ? pruneNesting(value, limit) : value;
}

/**
 * The value with everything nested deeper than `limit` replaced by TOO_DEEP, so a
 * hostile answer cannot overflow the stack of whatever reads it next (redaction,
 * n8n's own serialization); the shallow parts, such as a provider's error message, stay.
 */
export function pruneNesting<T>(value: T, limit: number): T {
	if (!nestsDeeperThan(value, limit)) return value;
	const root: { value: unknown } = { value: undefined };
	const stack: Array<{
		from: unknown;
		into: Record<string | number, unknown>;
		key: string | number;
		depth: number;
	}> = [{ from: value, into: root, key: 'value', depth: 0 }];
	while (stack.length > 0) {
		const { from, into, key, depth } = stack.pop()!;
		if (typeof from !== 'object' || from === null) {
			into[key] = from;
		} else if (depth >= limit) {
			into[key] = TOO_DEEP;
		} else {
			const copy = (Array.isArray(from) ? [] : {}) as Record<string | number, unknown>;
			into[key] = copy;
			for (const [entryKey, entry] of Object.entries(from))
				stack.push({
					from: entry,
					into: copy,
					key: Array.isArray(from) ? Number(entryKey) : entryKey,
					depth: depth + 1,
				});
		}
	}
	return root.value as T;
}
