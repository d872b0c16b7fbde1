import { readJsonText } from '../../nodes/shared/chat/jsonText';

describe('reading the JSON in a reply', () => {
	it.each([
		['{"a": 1}', { a: 1 }],
		['  [1, 2] \n', [1, 2]],
		['```json\n{"a": 1}\n```', { a: 1 }],
		['```\n{"a": 1}\n```', { a: 1 }],
	])('as before, without repairs: %j', (reply, value) => {
		expect(readJsonText(reply, false)).toEqual({ ok: true, value });
		expect(readJsonText(reply, true)).toEqual({ ok: true, value });
	});

	it.each([
		['Here it is:\n```json\n{"a": 1}\n```\nAnything else?', { a: 1 }],
		['Sure! {"a": "}", "b": [1, {"c": "\\"]"}]} Hope this helps.', { a: '}', b: [1, { c: '"]' }] }],
		['The list: [1, 2, 3].', [1, 2, 3]],
		['Note [sic]: {"a": 1}', { a: 1 }],
	])('repairs locally: %j', (reply, value) => {
		expect(readJsonText(reply, true)).toEqual({ ok: true, value });
		expect(readJsonText(reply, false).ok).toBe(false);
	});

	it.each(['no JSON here', '{"a": 1', 'Here: {"a": }'])(
		'gives up on %j with the parse error',
		(reply) => {
			const read = readJsonText(reply, true);
			expect(read.ok).toBe(false);
			expect(read).toEqual(readJsonText(reply, false));
		},
	);

	it('reads a long reply in one pass', () => {
		const reply = `${'x'.repeat(200_000)} {"a": ${'['.repeat(1000)}${']'.repeat(1000)}}`;
		const started = Date.now();
		expect(readJsonText(reply, true).ok).toBe(true);
		expect(Date.now() - started).toBeLessThan(500);
	});
});
