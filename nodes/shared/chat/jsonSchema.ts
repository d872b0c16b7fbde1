// Checks a model's JSON against the user's JSON Schema: the keywords structured-output APIs accept.
import { compilePattern, hasOwn, isObject, resolveRef } from './jsonSchemaSetup';
import type { SchemaObject } from './jsonSchemaSetup';

export { schemaProblem } from './jsonSchemaSetup';

/** One way the data misses the schema; `path` is where, e.g. `$.items[2].name`. */
export interface SchemaError {
	path: string;
	message: string;
}

/**
 * A pattern runs on text the model wrote, with a regex the user wrote: a longer string is
 * refused rather than handed to a regex that might backtrack for minutes.
 */
export const MAX_PATTERN_INPUT = 5_000;
/** Nested anyOf over recursive refs can multiply work; past this the check gives up (fails). */
const MAX_STEPS = 200_000;
/** Deeper nesting than any real answer; the check recurses, so it stops well before the stack. */
const MAX_DEPTH = 500;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function pathOf(parent: string, key: string | number): string {
	if (typeof key === 'number') return `${parent}[${key}]`;
	return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function hasType(value: unknown, type: unknown): boolean {
	const kind = kindOf(value);
	return kind === type || (type === 'number' && kind === 'integer');
}

/** JSON equality: key order does not count, 1 and 1.0 are the same number. */
function equal(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		return a.every((item, index) => equal(item, b[index]));
	}
	if (!isObject(a) || !isObject(b)) return false;
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((key) => hasOwn(b, key) && equal(a[key], b[key]));
}

/** Characters as JSON Schema counts them: code points, so an emoji is one. */
function codePoints(text: string): number {
	return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

const show = (value: unknown) => {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

class Checker {
	private steps = 0;
	private depth = 0;
	/** Set once the step budget is spent: every further check returns at once. */
	stopped = false;
	private readonly patterns = new Map<string, RegExp | undefined>();

	constructor(private readonly root: unknown) {}

	/** `viaRefs`: refs followed at this data location, so a ref cycle ends instead of looping. */
	check(schema: unknown, data: Json, path: string, viaRefs: Set<unknown>): SchemaError[] {
		if (this.stopped || ++this.steps > MAX_STEPS) {
			this.stopped = true;
			return [];
		}
		if (this.depth >= MAX_DEPTH)
			return [{ path, message: `is nested more than ${MAX_DEPTH} levels deep, too deep to check` }];
		this.depth++;
		try {
			return this.checkHere(schema, data, path, viaRefs);
		} finally {
			this.depth--;
		}
	}

	private checkHere(schema: unknown, data: Json, path: string, viaRefs: Set<unknown>) {
		if (schema === false) return [{ path, message: 'is not allowed here' }];
		if (!isObject(schema)) return [];
		const errors: SchemaError[] = [];
		const fail = (message: string, at = path) => errors.push({ path: at, message });

		if (typeof schema.$ref === 'string') {
			const target = resolveRef(this.root, schema.$ref);
			if (target !== undefined && !viaRefs.has(target))
				errors.push(...this.check(target, data, path, new Set(viaRefs).add(target)));
		}
		if (schema.type !== undefined) {
			const types = Array.isArray(schema.type) ? schema.type : [schema.type];
			// A value of the wrong type: the other keywords would only repeat it.
			if (!types.some((type) => hasType(data, type))) {
				fail(`must be ${types.join(' or ')} (got ${kindOf(data)})`);
				return errors;
			}
		}
		if (Array.isArray(schema.enum) && !schema.enum.some((option) => equal(option, data)))
			fail(`must be one of ${show(schema.enum)} (got ${show(data)})`);
		if (hasOwn(schema, 'const') && !equal(schema.const, data))
			fail(`must be ${show(schema.const)} (got ${show(data)})`);
		if (Array.isArray(schema.anyOf)) errors.push(...this.anyOf(schema.anyOf, data, path, viaRefs));

		if (typeof data === 'string') this.string(schema, data, fail);
		else if (typeof data === 'number') this.number(schema, data, fail);
		else if (Array.isArray(data)) {
			if (typeof schema.minItems === 'number' && data.length < schema.minItems)
				fail(`must have at least ${schema.minItems} items (has ${data.length})`);
			if (typeof schema.maxItems === 'number' && data.length > schema.maxItems)
				fail(`must have at most ${schema.maxItems} items (has ${data.length})`);
			if (schema.items !== undefined)
				data.forEach((item, index) =>
					errors.push(...this.check(schema.items, item, pathOf(path, index), new Set())),
				);
		} else if (isObject(data)) errors.push(...this.object(schema, data, path));
		return errors;
	}

	private anyOf(options: unknown[], data: Json, path: string, viaRefs: Set<unknown>) {
		const failures: SchemaError[][] = [];
		for (const option of options) {
			const errors = this.check(option, data, path, viaRefs);
			if (errors.length === 0) return [];
			failures.push(errors);
		}
		// The option that came closest says most about what to fix.
		const closest = failures.reduce<SchemaError[] | undefined>(
			(best, next) => (best === undefined || next.length < best.length ? next : best),
			undefined,
		);
		const hint = closest ? `; closest: ${closest[0].path} ${closest[0].message}` : '';
		return [{ path, message: `matches none of the ${options.length} anyOf options${hint}` }];
	}

	private string(schema: SchemaObject, data: string, fail: (message: string) => void) {
		const needsLength =
			typeof schema.minLength === 'number' || typeof schema.maxLength === 'number';
		const length = needsLength ? codePoints(data) : 0;
		if (typeof schema.minLength === 'number' && length < schema.minLength)
			fail(`must be at least ${schema.minLength} characters long (is ${length})`);
		if (typeof schema.maxLength === 'number' && length > schema.maxLength)
			fail(`must be at most ${schema.maxLength} characters long (is ${length})`);
		if (typeof schema.pattern !== 'string') return;
		if (data.length > MAX_PATTERN_INPUT) {
			fail(`is longer than ${MAX_PATTERN_INPUT} characters, too long to check against the pattern`);
			return;
		}
		if (!this.patterns.has(schema.pattern))
			this.patterns.set(schema.pattern, compilePattern(schema.pattern));
		const regex = this.patterns.get(schema.pattern);
		if (regex && !regex.test(data)) fail(`must match the pattern ${show(schema.pattern)}`);
	}

	private number(schema: SchemaObject, data: number, fail: (message: string) => void) {
		const bound = (name: string) =>
			typeof schema[name] === 'number' ? (schema[name] as number) : undefined;
		const [min, max] = [bound('minimum'), bound('maximum')];
		const [above, below] = [bound('exclusiveMinimum'), bound('exclusiveMaximum')];
		if (min !== undefined && data < min) fail(`must be at least ${min} (got ${data})`);
		if (max !== undefined && data > max) fail(`must be at most ${max} (got ${data})`);
		if (above !== undefined && data <= above) fail(`must be greater than ${above} (got ${data})`);
		if (below !== undefined && data >= below) fail(`must be less than ${below} (got ${data})`);
		const step = bound('multipleOf');
		if (step !== undefined && step > 0) {
			// Decimal steps such as 0.01 do not divide exactly in binary floating point.
			const quotient = data / step;
			if (!Number.isFinite(quotient) || Math.abs(quotient - Math.round(quotient)) > 1e-9)
				fail(`must be a multiple of ${step} (got ${data})`);
		}
	}

	private object(schema: SchemaObject, data: { [key: string]: Json }, path: string) {
		const errors: SchemaError[] = [];
		if (Array.isArray(schema.required)) {
			for (const name of schema.required) {
				if (typeof name === 'string' && !hasOwn(data, name))
					errors.push({ path: pathOf(path, name), message: 'is required but missing' });
			}
		}
		const properties = isObject(schema.properties) ? schema.properties : {};
		for (const key of Object.keys(data)) {
			const at = pathOf(path, key);
			if (hasOwn(properties, key)) {
				errors.push(...this.check(properties[key], data[key], at, new Set()));
			} else if (schema.additionalProperties === false) {
				errors.push({
					path: at,
					message: 'is not an allowed property (additionalProperties is false)',
				});
			} else if (schema.additionalProperties !== undefined) {
				errors.push(...this.check(schema.additionalProperties, data[key], at, new Set()));
			}
		}
		return errors;
	}
}

/**
 * Every way `data` misses `schema` (none: it matches). Keywords outside the supported set
 * are ignored, as a provider that does not enforce them would.
 */
export function validateJson(schema: unknown, data: unknown): SchemaError[] {
	const checker = new Checker(schema);
	const errors = checker.check(schema, data as Json, '$', new Set([schema]));
	if (!checker.stopped) return errors;
	return [{ path: '$', message: `could not be checked: the schema took over ${MAX_STEPS} steps` }];
}
