import { runWorkflow } from '../support/engine';
import { completion, useFaultServer } from '../support/faultServer';
import { choice } from '../support/fixtures';
import { credentialsFor, messageParams } from '../support/params';

const server = useFaultServer();

const run = async (
	parameters: Record<string, unknown>,
	provider: 'openAi' | 'togetherAi' = 'openAi',
) =>
	await runWorkflow({
		parameters: messageParams(provider, parameters),
		credentials: credentialsFor(provider, server.url),
	});

const fromJson = (history: unknown[], options: Record<string, unknown> = {}) => ({
	messagesInputMode: 'json',
	messagesJson: JSON.stringify(history),
	options,
});

describe('chat history sent back', () => {
	const history = [
		{ role: 'developer', content: 'Answer in French.' },
		{ role: 'user', content: 'Hi' },
		{ role: 'assistant', content: 'Salut', reasoning_content: 'They greet me.', reasoning: 'x' },
		{ role: 'user', content: [{ type: 'text', text: 'And now?' }] },
	];

	it('leaves reasoning out by default, keeps it on request; accepts developer and content parts', async () => {
		expect((await run(fromJson(history))).error).toBeUndefined();
		expect(server.seen[0].body.messages[2]).toEqual({ role: 'assistant', content: 'Salut' });
		expect(server.seen[0].body.messages[0].role).toBe('developer');
		expect((await run(fromJson(history, { keepReasoningInHistory: true }))).error).toBeUndefined();
		expect(server.seen[1].body.messages[2]).toEqual(history[2]);
	});

	it.each([
		[
			[{ role: 'tool', content: '42' }],
			'Messages (JSON) entry 1 has the role "tool" but no "tool_call_id"',
		],
		[
			[{ role: 'user', content: [{ type: 'audio', data: 'x' }] }],
			'Messages (JSON) entry 1, part 1 has an unknown type "audio"',
		],
		[
			[{ role: 'user', content: [{ type: 'image_url', image_url: 'x' }] }],
			'Messages (JSON) entry 1, part 1 is not a valid "image_url" part',
		],
	])('refuses %j before any request', async (bad, message) => {
		const result = await run(fromJson(bad));
		expect(result.error?.message).toBe(message);
		expect(server.seen).toHaveLength(0);
	});
});

describe('options in each dialect', () => {
	it('stop sequences keep whitespace and read \\n escapes; OpenAI takes at most 4', async () => {
		await run({ options: { stop: '\\n\\n\n \nEND' } });
		expect(server.seen[0].body.stop).toEqual(['\n\n', ' ', 'END']);
		const tooMany = await run({ options: { stop: 'a\nb\nc\nd\ne' } });
		expect(tooMany.error?.message).toBe('OpenAI takes at most 4 stop sequences (got 5)');
		expect((await run({ options: { stop: 'a\nb\nc\nd\ne' } }, 'togetherAi')).error).toBeUndefined();
		expect(server.chats).toHaveLength(2);
	});

	it('sends strict JSON schema unless it is turned off', async () => {
		server.reply(200, completion('{"a": 1}'));
		const schema = '{"type": "object"}';
		await run({ options: { responseFormat: 'jsonSchema', jsonSchema: schema } });
		await run({
			options: { responseFormat: 'jsonSchema', jsonSchema: schema, jsonSchemaStrict: false },
		});
		expect(server.seen.map((r) => r.body.response_format.json_schema.strict)).toEqual([
			true,
			false,
		]);
	});
});

describe('replies', () => {
	it('a JSON reply cut off by the token limit names Maximum Number of Tokens', async () => {
		server.reply(
			200,
			completion('{"answer": "Par', {
				choices: [choice({ content: '{"answer": "Par' }, 'length')],
			}),
		);
		const result = await run({ options: { responseFormat: 'jsonObject' } });
		expect(result.error?.message).toBe(
			"The model's reply for item 0 was cut off by the token limit before its JSON was complete",
		);
		expect(result.error?.description).toMatch(/^Raise "Maximum Number of Tokens"/);
	});

	it('a refusal is its own field; array content becomes text', async () => {
		server.reply(
			200,
			completion('', {
				choices: [
					choice({
						content: [
							{ type: 'text', text: 'Sorry, ' },
							{ type: 'text', text: 'no.' },
						],
						refusal: 'I cannot help with that.',
					}),
				],
			}),
		);
		const { output } = await run({});
		expect(output[0].json).toMatchObject({
			text: 'Sorry, no.',
			refusal: 'I cannot help with that.',
		});
	});
});

describe('waits the server asks for', () => {
	it('fails at once, saying how long, when the server asks for more than the node waits', async () => {
		server.reply(429, { error: { message: 'Slow down' } }, { 'retry-after': '90' });
		const result = await run({ options: { maxRetries: 3 } });
		expect(result.error?.message).toBe(
			'OpenAI API error 429: Slow down (the server asked to wait 90 s)',
		);
		expect(result.error?.description).toMatch(/^The server asked to wait 90 s before trying again/);
		expect(server.seen).toHaveLength(1);
	});

	it("waits for OpenAI's x-ratelimit-reset-requests when there is no Retry-After", async () => {
		server.sequence(
			{
				kind: 'reply',
				status: 429,
				body: { error: { message: 'Rate limit' } },
				headers: { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '300ms' },
			},
			{ kind: 'reply', status: 200, body: completion('ok') },
		);
		const result = await run({ options: { maxRetries: 1 } });
		expect(result.error).toBeUndefined();
		expect(server.seen[1].at - server.seen[0].at).toBeGreaterThanOrEqual(950);
	});
});
