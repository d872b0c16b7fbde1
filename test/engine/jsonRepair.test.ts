import type { IDataObject } from 'n8n-workflow';

import type { RunOptions, StreamChunk } from '../support/engine';
import { runWorkflow } from '../support/engine';
import type { Fault } from '../support/faultServer';
import { completion, questionOf, useFaultServer } from '../support/faultServer';
import { choice, streamEvents } from '../support/fixtures';
import { credentialsFor, messageParams } from '../support/params';

// JSON replies checked against the JSON Schema, repaired locally or by one more turn.
const server = useFaultServer();

const schema = {
	type: 'object',
	properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
	required: ['name', 'age'],
	additionalProperties: false,
};
const inSchema = (options: IDataObject = {}) => ({
	responseFormat: 'jsonSchema',
	jsonSchema: JSON.stringify(schema),
	...options,
});

const reply = (text: string, usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }) =>
	({ kind: 'reply', status: 200, body: completion(text, { usage }) }) as Fault;

async function run(options: IDataObject, extra: Partial<RunOptions> = {}) {
	return await runWorkflow({
		parameters: messageParams('openAi', { options }),
		credentials: credentialsFor('openAi', server.url),
		...extra,
	});
}

const BAD = '{"name": "Ann", "age": "41", "city": "Oslo"}';
const GOOD = '{"name": "Ann", "age": 41}';

describe('a reply that fails the JSON Schema', () => {
	it('gets one repair turn: the bad reply as the assistant turn, the problems as the user turn', async () => {
		server.sequence(
			reply(BAD),
			reply(GOOD, { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 }),
		);
		const { output, error } = await run(inSchema({ temperature: 0.2 }));
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(2);
		const [first, second] = server.seen.map((request) => request.body);
		expect(second.messages.slice(0, -2)).toEqual(first.messages);
		expect(second.messages.at(-2)).toEqual({ role: 'assistant', content: BAD });
		expect(second.messages.at(-1).role).toBe('user');
		expect(second.messages.at(-1).content).toBe(
			[
				'Your reply is not JSON that matches the required JSON Schema. The problems (JSON path: problem):',
				'- $.age: must be integer (got string)',
				'- $.city: is not an allowed property (additionalProperties is false)',
				'Answer again with the corrected JSON only: no explanation, no Markdown code fence.',
			].join('\n'),
		);
		// The same request otherwise: schema, options.
		const { messages: _a, ...firstRest } = first;
		const { messages: _b, ...secondRest } = second;
		expect(secondRest).toEqual(firstRest);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			text: GOOD,
			json: { name: 'Ann', age: 41 },
			repairs: 1,
			finishReason: 'stop',
			usage: { promptTokens: 43, completionTokens: 11, totalTokens: 54 },
		});
	});

	it('still failing after the repair turn: the item fails with the problems listed', async () => {
		server.sequence(reply(BAD), reply('{"name": "Ann"}'));
		const { error, output } = await run(inSchema());
		expect(server.seen).toHaveLength(2);
		expect(output).toEqual([]);
		expect(error?.message).toBe(
			"The model's reply for item 0 does not match the JSON Schema, also after one repair turn: $.age is required but missing",
		);
		expect(error?.description).toBe(
			'- $.age: is required but missing\nReply (start): {"name": "Ann"}',
		);
	});

	it('with Continue On Fail: one output per input, the failed one an error item paired to it', async () => {
		// The second item's question gets a valid reply at once, the first one never does.
		server.decide = (request) =>
			questionOf(request) === 'fine' ? reply(GOOD) : reply('{"name": 1, "age": 2}');
		const result = await run(inSchema(), {
			items: [{ question: 'broken' }, { question: 'fine' }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(server.seen).toHaveLength(3);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.output[0].json).toEqual({
			error:
				"The model's reply for item 0 does not match the JSON Schema, also after one repair turn: $.name must be string (got integer)",
			errorDescription:
				'- $.name: must be string (got integer)\nReply (start): {"name": 1, "age": 2}',
		});
		expect(result.output[1].json).toMatchObject({ json: { name: 'Ann', age: 41 }, repairs: 0 });
	});

	it('a reply cut off by the token limit is not repaired: the error names Maximum Number of Tokens', async () => {
		server.reply(
			200,
			completion('{"name": "An', { choices: [choice({ content: '{"name": "An' }, 'length')] }),
		);
		const { error } = await run(inSchema());
		expect(server.seen).toHaveLength(1);
		expect(error?.message).toBe(
			"The model's reply for item 0 was cut off by the token limit before its JSON was complete",
		);
		expect(error?.description).toMatch(/^Raise "Maximum Number of Tokens" in the options/);
	});

	it('a repair reply cut off by the token limit fails the same way', async () => {
		server.sequence(reply(BAD), {
			kind: 'reply',
			status: 200,
			body: completion('{"na', { choices: [choice({ content: '{"na' }, 'length')] }),
		});
		const { error } = await run(inSchema());
		expect(server.seen).toHaveLength(2);
		expect(error?.description).toMatch(/^Raise "Maximum Number of Tokens"/);
	});
});

describe('local repairs', () => {
	it.each([
		[
			'a Markdown fence inside other text',
			`Here you go:\n\`\`\`json\n${GOOD}\n\`\`\`\nAnything else?`,
		],
		['text before and after the object', `Sure! ${GOOD} Hope this helps.`],
	])('%s: no second request, repairs 0', async (_name, text) => {
		server.sequence(reply(text));
		const { output, error } = await run(inSchema());
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(1);
		expect(output[0].json).toMatchObject({ text, json: { name: 'Ann', age: 41 }, repairs: 0 });
		expect(output[0].json.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5 });
	});

	it('JSON Object mode: local repairs and the parse check, a repair turn when it is not JSON', async () => {
		server.sequence(reply('The answer is yes.'), reply('{"answer": "yes"}'));
		const { output, error } = await run({ responseFormat: 'jsonObject' });
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(2);
		expect(server.seen[1].body.messages.at(-1).content).toMatch(
			/^Your reply is not valid JSON:\n- \$: is not valid JSON \(Unexpected token/,
		);
		// No schema: any JSON passes.
		expect(output[0].json).toMatchObject({ json: { answer: 'yes' }, repairs: 1 });
	});
});

describe('Repair Invalid JSON off: checked as before, never repaired', () => {
	it('text around the JSON is not valid JSON (today\'s error), a valid reply has no "repairs"', async () => {
		server.sequence(reply(`Sure! ${GOOD}`));
		const off = inSchema({ repairInvalidJson: false });
		const failed = await run(off);
		expect(failed.error?.message).toMatch(/^The model's reply for item 0 is not valid JSON: /);
		expect(server.seen).toHaveLength(1);
		server.sequence(reply(`\`\`\`json\n${GOOD}\n\`\`\``));
		const { output } = await run(off);
		expect(output[0].json.json).toEqual({ name: 'Ann', age: 41 });
		expect(output[0].json).not.toHaveProperty('repairs');
		expect(server.seen).toHaveLength(2);
	});

	it('a reply that misses the schema fails at once, naming the option that would repair it', async () => {
		server.sequence(reply(BAD));
		const { error } = await run(inSchema({ repairInvalidJson: false }));
		expect(server.seen).toHaveLength(1);
		expect(error?.message).toBe(
			"The model's reply for item 0 does not match the JSON Schema: $.age must be integer (got string); $.city is not an allowed property (additionalProperties is false)",
		);
		expect(error?.description).toMatch(
			/\nTurn on "Repair Invalid JSON" to have the model correct it once\.\n/,
		);
	});

	it('Simplify Output off: the raw response, unchecked', async () => {
		server.sequence(reply(BAD));
		const { output, error } = await run(inSchema(), {
			parameters: messageParams('openAi', { options: inSchema(), simplify: false }),
		});
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(1);
		expect(output[0].json).toEqual(completion(BAD));
	});
});

describe('several completions', () => {
	it('each one is checked; a failing one fails the item without a repair turn', async () => {
		const two = (second: string) =>
			({
				kind: 'reply',
				status: 200,
				body: completion(GOOD, {
					choices: [choice({ content: GOOD }), choice({ content: second }, 'stop', 1)],
				}),
			}) as Fault;
		server.sequence(two(GOOD));
		const ok = await run(inSchema({ n: 2 }));
		expect(ok.output[0].json).toMatchObject({
			json: { name: 'Ann', age: 41 },
			completions: [{ json: { name: 'Ann', age: 41 } }, { json: { name: 'Ann', age: 41 } }],
		});
		server.sequence(two(BAD));
		const failed = await run(inSchema({ n: 2 }));
		expect(server.seen).toHaveLength(2);
		expect(failed.error?.message).toMatch(
			/^The model's reply for item 0 does not match the JSON Schema \(completion 2\): \$\.age must be integer/,
		);
	});
});

describe('streamed into a chat', () => {
	it('the first reply is streamed, the repair turn is not; the output holds the corrected JSON', async () => {
		server.sequence({ kind: 'stream', pieces: streamEvents(completion(BAD), 8) }, reply(GOOD));
		const chunks: StreamChunk[] = [];
		const { output, error } = await run(inSchema(), { onChunk: (chunk) => chunks.push(chunk) });
		expect(error).toBeUndefined();
		expect(server.seen.map((request) => request.body.stream)).toEqual([true, undefined]);
		expect(server.seen[1].body).not.toHaveProperty('stream_options');
		expect(server.seen[1].body.messages.at(-2)).toEqual({ role: 'assistant', content: BAD });
		const text = chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		expect(text).toBe(BAD);
		expect(chunks.map((c) => c.type).filter((type) => type !== 'item')).toEqual(['begin', 'end']);
		expect(output[0].json).toMatchObject({ json: { name: 'Ann', age: 41 }, repairs: 1 });
	});
});

describe('a JSON Schema the node cannot check is refused before any request', () => {
	it.each([
		[
			{ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } },
			'JSON Schema cannot be used: its $ref "#/$defs/missing" does not point to a schema inside it (only local refs such as "#/$defs/name" are supported) [item 1]',
		],
		[
			{ type: 'object', properties: { a: { type: 'string', pattern: '(' } } },
			'JSON Schema cannot be used: its pattern "(" is not a valid regular expression [item 1]',
		],
	])('%j', async (bad, message) => {
		server.reply(200, completion(GOOD));
		const result = await run(
			{ responseFormat: 'jsonSchema', jsonSchema: '={{ $json.schema }}' },
			{ items: [{ schema: JSON.stringify(schema) }, { schema: JSON.stringify(bad) }] },
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(message);
		expect(result.error?.context?.itemIndex).toBe(1);
	});

	it('a schema that is not an object names the field, the item in its context', async () => {
		const result = await run(
			{ responseFormat: 'jsonSchema', jsonSchema: '={{ $json.schema }}' },
			{ items: [{ schema: '[1]' }] },
		);
		expect(result.error?.message).toMatch(/^JSON Schema must be a JSON object/);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(server.seen).toHaveLength(0);
	});
});
