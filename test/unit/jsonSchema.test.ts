import cases from '../fixtures/jsonSchemaCases.json';
import { MAX_PATTERN_INPUT, schemaProblem, validateJson } from '../../nodes/shared/chat/jsonSchema';

// The official JSON Schema Test Suite's cases for the keywords the node checks (see the
// fixture's "source" line for the repository and commit).
type Group = {
	description: string;
	schema: unknown;
	tests: Array<{ description: string; data: unknown; valid: boolean }>;
};
const groups = Object.entries(cases.files as Record<string, Group[]>).flatMap(([file, list]) =>
	list.map((group) => ({ ...group, file })),
);

describe('JSON Schema Test Suite (draft 2020-12)', () => {
	it('has cases for every keyword the node checks', () => {
		expect(Object.keys(cases.files)).toEqual(
			expect.arrayContaining([
				'type',
				'properties',
				'required',
				'additionalProperties',
				'items',
				'enum',
				'const',
				'anyOf',
				'ref',
				'minLength',
				'maxLength',
				'pattern',
				'minimum',
				'maximum',
				'exclusiveMinimum',
				'exclusiveMaximum',
				'multipleOf',
				'minItems',
				'maxItems',
			]),
		);
		expect(cases.source).toMatch(/^json-schema-org\/JSON-Schema-Test-Suite/);
	});

	describe.each(groups.map((g) => [`${g.file}: ${g.description}`, g] as const))(
		'%s',
		(_, group) => {
			it('the schema is usable', () => expect(schemaProblem(group.schema)).toBeUndefined());
			it.each(group.tests.map((t) => [t.description, t] as const))('%s', (_name, test) => {
				const errors = validateJson(group.schema, test.data);
				expect({ valid: errors.length === 0, errors }).toMatchObject({ valid: test.valid });
			});
		},
	);
});

describe('on the shapes the node sees', () => {
	const person = {
		type: 'object',
		properties: {
			name: { type: 'string', minLength: 1, maxLength: 5, pattern: '^[A-Z]' },
			age: { type: ['integer', 'null'], minimum: 0, exclusiveMaximum: 150 },
			price: { type: 'number', multipleOf: 0.01 },
			kind: { enum: ['a', 'b'] },
			version: { const: 2 },
			tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 },
		},
		required: ['name', 'age'],
		additionalProperties: false,
	};

	it('names each problem by its JSON path', () => {
		expect(validateJson(person, { name: 'alice', age: 1.5, extra: 1 })).toEqual([
			{ path: '$.name', message: 'must match the pattern "^[A-Z]"' },
			{ path: '$.age', message: 'must be integer or null (got number)' },
			{ path: '$.extra', message: 'is not an allowed property (additionalProperties is false)' },
		]);
		expect(
			validateJson(person, {
				age: null,
				price: 0.07,
				kind: 'c',
				version: 3,
				tags: ['x', 2, 'y'],
			}),
		).toEqual([
			{ path: '$.name', message: 'is required but missing' },
			{ path: '$.kind', message: 'must be one of ["a","b"] (got "c")' },
			{ path: '$.version', message: 'must be 2 (got 3)' },
			{ path: '$.tags', message: 'must have at most 2 items (has 3)' },
			{ path: '$.tags[1]', message: 'must be string (got integer)' },
		]);
		expect(validateJson(person, { name: 'Bo', age: 150, price: 19.99 })).toEqual([
			{ path: '$.age', message: 'must be less than 150 (got 150)' },
		]);
		expect(validateJson(person, [])).toEqual([
			{ path: '$', message: 'must be object (got array)' },
		]);
	});

	it('writes keys that are not identifiers in brackets, and counts characters as code points', () => {
		const schema = {
			properties: { 'first name': { maxLength: 2 }, items: { items: { required: ['a-b'] } } },
		};
		expect(validateJson(schema, { 'first name': '😀😀', items: [{}, {}, { 'a-b': 1 }] })).toEqual([
			{ path: '$.items[0]["a-b"]', message: 'is required but missing' },
			{ path: '$.items[1]["a-b"]', message: 'is required but missing' },
		]);
	});

	it('follows recursive $ref/$defs without looping, and says where a tree is wrong', () => {
		const tree = {
			$ref: '#/$defs/node',
			$defs: {
				node: {
					type: 'object',
					properties: {
						name: { type: 'string' },
						children: { type: 'array', items: { $ref: '#/$defs/node' } },
					},
					required: ['name'],
				},
				loop: { $ref: '#/$defs/loop' },
			},
		};
		expect(validateJson(tree, { name: 'a', children: [{ name: 'b', children: [{}] }] })).toEqual([
			{ path: '$.children[0].children[0].name', message: 'is required but missing' },
		]);
		expect(validateJson({ $ref: '#/$defs/loop', $defs: tree.$defs }, 1)).toEqual([]);
		expect(validateJson({ $ref: '#' }, 1)).toEqual([]);
	});

	it('stops on data nested too deeply instead of overflowing the stack', () => {
		const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
		const errors = validateJson({ type: 'array', items: { $ref: '#' } }, deep);
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toBe('is nested more than 500 levels deep, too deep to check');
		expect(errors[0].path).toMatch(/^\$(\[0\]){250,}$/);
	});

	it('anyOf names the closest option; unknown keywords are ignored', () => {
		const schema = {
			anyOf: [{ type: 'string' }, { type: 'object', required: ['x'] }],
			format: 'email',
			oneOf: 'not even a list',
		};
		expect(validateJson(schema, 'anything')).toEqual([]);
		expect(validateJson(schema, {})).toEqual([
			{
				path: '$',
				message: 'matches none of the 2 anyOf options; closest: $ must be string (got object)',
			},
		]);
	});

	it('a pattern only runs on strings of at most MAX_PATTERN_INPUT characters', () => {
		// (a+)+$ backtracks exponentially on "aaaa…!": the bound keeps the check short.
		const hostile = { type: 'string', pattern: '^(a+)+$' };
		const started = Date.now();
		expect(validateJson(hostile, `${'a'.repeat(MAX_PATTERN_INPUT + 1)}!`)).toEqual([
			{
				path: '$',
				message: `is longer than ${MAX_PATTERN_INPUT} characters, too long to check against the pattern`,
			},
		]);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(validateJson(hostile, 'aaa')).toEqual([]);
	});

	it('refuses a schema it cannot check: a $ref that does not resolve, a pattern that is no regex', () => {
		expect(schemaProblem({ properties: { a: { $ref: '#/$defs/missing' } } })).toBe(
			'its $ref "#/$defs/missing" does not point to a schema inside it (only local refs such as "#/$defs/name" are supported)',
		);
		expect(schemaProblem({ $ref: 'https://example.com/schema.json' })).toMatch(/^its \$ref/);
		expect(schemaProblem({ items: { pattern: '([a-z' } })).toBe(
			'its pattern "([a-z" is not a valid regular expression',
		);
		expect(
			schemaProblem({ $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/a' } } }),
		).toBeUndefined();
	});
});
