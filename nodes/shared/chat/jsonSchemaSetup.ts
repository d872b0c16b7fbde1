// What the schema checker needs before any reply: local refs resolved, patterns compiled.

export type SchemaObject = Record<string, unknown>;

export const hasOwn = (object: object, key: string) =>
	Object.prototype.hasOwnProperty.call(object, key);
export const isObject = (value: unknown): value is SchemaObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema a local `$ref` ("#", "#/$defs/a", "#/properties/x~1y") points to, or undefined. */
export function resolveRef(root: unknown, ref: string): unknown {
	if (!ref.startsWith('#')) return undefined;
	let fragment: string;
	try {
		fragment = decodeURIComponent(ref.slice(1));
	} catch {
		return undefined;
	}
	if (fragment === '') return root;
	if (!fragment.startsWith('/')) return undefined; // $anchor names are not supported
	let node: unknown = root;
	for (const raw of fragment.slice(1).split('/')) {
		const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) node = node[Number(token)];
		else if (isObject(node) && hasOwn(node, token)) node = node[token];
		else return undefined;
	}
	return typeof node === 'boolean' || isObject(node) ? node : undefined;
}

export function compilePattern(pattern: string): RegExp | undefined {
	for (const flags of ['u', '']) {
		try {
			return new RegExp(pattern, flags);
		} catch {
			// Not valid with this flag; JSON Schema patterns are ECMA-262, some need no `u`.
		}
	}
	return undefined;
}

/** Subschemas of one schema object, in the keywords this checker applies. */
function subschemas(schema: SchemaObject): unknown[] {
	const found: unknown[] = [];
	for (const map of ['properties', '$defs', 'definitions']) {
		if (isObject(schema[map])) found.push(...Object.values(schema[map] as SchemaObject));
	}
	if (Array.isArray(schema.anyOf)) found.push(...schema.anyOf);
	found.push(schema.items, schema.additionalProperties);
	return found.filter((sub) => typeof sub === 'boolean' || isObject(sub));
}

/**
 * Why this schema cannot be checked against, or undefined: a `$ref` that does not resolve
 * locally, or a `pattern` that is not a regular expression. Said before any request.
 */
export function schemaProblem(root: unknown): string | undefined {
	const seen = new Set<unknown>();
	const queue: unknown[] = [root];
	while (queue.length > 0) {
		const schema = queue.pop();
		if (!isObject(schema) || seen.has(schema)) continue;
		seen.add(schema);
		if (typeof schema.$ref === 'string') {
			const target = resolveRef(root, schema.$ref);
			if (target === undefined)
				return `its $ref "${schema.$ref}" does not point to a schema inside it (only local refs such as "#/$defs/name" are supported)`;
			queue.push(target);
		}
		if (typeof schema.pattern === 'string' && !compilePattern(schema.pattern))
			return `its pattern "${schema.pattern}" is not a valid regular expression`;
		queue.push(...subschemas(schema));
	}
	return undefined;
}
