import type { IDataObject } from 'n8n-workflow';

import { dialectFor } from '../../nodes/shared/providers';
import type { Fault } from '../support/faultServer';
import { completion, useFaultServer } from '../support/faultServer';
import { choice, streamEvents } from '../support/fixtures';
import type { Scenario } from '../support/modelEngine';
import { runWorkflow } from '../support/engine';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialsFor, KEY, messageParams, PROVIDER_IDS, PROVIDERS } from '../support/params';
import type { ProviderId } from '../support/params';
import { deepSerialize } from '../support/secrets';

const server = useFaultServer();

/** Each dialect the sub-node speaks: the three credentials, Hugging Face in both server kinds. */
const TARGETS: Array<{ name: string; provider: ProviderId; credential: Record<string, string> }> = [
	...PROVIDER_IDS.map((provider) => ({ name: provider, provider, credential: {} })),
	{
		name: 'huggingFaceTgi (self-hosted)',
		provider: 'huggingFaceTgi',
		credential: { serverKind: 'selfHosted' },
	},
];

async function run(
	target: (typeof TARGETS)[number],
	scenario: Scenario,
	options: IDataObject = {},
	items: IDataObject[] = [{ question: 'What is the weather in Paris?' }],
) {
	return await runModelWorkflow({
		parameters: {
			provider: target.provider,
			model: { __rl: true, mode: 'id', value: 'test-model' },
			options,
		},
		credentials: credentialsFor(target.provider, server.url, target.credential),
		scenario,
		items,
	});
}

const toolCallReply = completion('', {
	choices: [
		choice(
			{
				content: '',
				tool_calls: [
					{
						id: 'call_7',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
					},
				],
			},
			'tool_calls',
		),
	],
});
const finalReply = completion('It is 21 degrees in Paris.', {
	usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 },
});

/** As a provider answers an agent: first a tool call, then text; streamed when asked. */
function toolThenText(): (request: { body: any }, n: number) => Fault {
	return (request, n) => {
		const reply = n === 1 ? toolCallReply : finalReply;
		return request.body?.stream === true
			? { kind: 'stream', pieces: streamEvents(reply, 4) }
			: { kind: 'reply', status: 200, body: reply };
	};
}

/** The weather tool as the agent's zod schema becomes JSON Schema, in the dialect's form. */
function expectedTool(target: (typeof TARGETS)[number]) {
	const dialect = dialectFor(PROVIDERS[target.provider], target.credential);
	return dialect.adaptTool({
		type: 'function',
		function: {
			name: 'get_weather',
			description: 'The current weather in a city',
			parameters: expect.objectContaining({
				type: 'object',
				properties: { city: { type: 'string', description: 'The city' } },
				required: ['city'],
			}),
		},
	});
}

describe.each(TARGETS)('LLM Chat Model, $name', (target) => {
	it('answers a chain: the text, the finish reason and the token usage n8n shows', async () => {
		const { output, modelRuns, error } = await run(target, 'chat');
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({
			text: 'echo: What is the weather in Paris?',
			finishReason: 'stop',
			usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
		});
		expect(modelRuns).toHaveLength(1);
		expect(modelRuns[0].data?.ai_languageModel?.[0]?.[0].json.tokenUsage).toEqual({
			promptTokens: 3,
			completionTokens: 2,
			totalTokens: 5,
		});
		expect(server.seen[0].body.messages).toEqual([
			{ role: 'system', content: 'Answer briefly.' },
			{ role: 'user', content: 'What is the weather in Paris?' },
		]);
	});

	it('runs an agent tool loop: tools in the dialect, the call and its result round-trip', async () => {
		server.decide = toolThenText();
		const { output, error } = await run(target, 'agent');
		expect(error).toBeUndefined();
		const json = output[0].json as IDataObject;
		expect(json.text).toBe('It is 21 degrees in Paris.');
		const rounds = json.rounds as IDataObject[];
		expect(rounds[0].toolCalls).toEqual([
			expect.objectContaining({ id: 'call_7', name: 'get_weather', args: { city: 'Paris' } }),
		]);
		expect(rounds[0].finishReason).toBe('tool_calls');
		expect(server.seen).toHaveLength(2);
		for (const request of server.seen) expect(request.body.tools).toEqual([expectedTool(target)]);
		const dialect = dialectFor(PROVIDERS[target.provider], target.credential);
		expect(server.seen[1].body.messages.slice(2)).toEqual([
			dialect.adaptMessage({
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_7',
						type: 'function',
						function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
					},
				],
			}),
			{ role: 'tool', tool_call_id: 'call_7', content: '{"city":"Paris","temperature":21}' },
		]);
	});

	it('streams: several text chunks whose concatenation is the answer, then the usage', async () => {
		server.decide = () => ({ kind: 'stream', pieces: streamEvents(finalReply, 4) });
		const { output, error } = await run(target, 'stream');
		expect(error).toBeUndefined();
		const json = output[0].json as IDataObject;
		const chunks = (json.rounds as IDataObject[])[0].chunks as string[];
		expect(chunks.length).toBeGreaterThan(3);
		expect(chunks.join('')).toBe('It is 21 degrees in Paris.');
		expect(json.text).toBe('It is 21 degrees in Paris.');
		expect(json.usage).toMatchObject({ input_tokens: 40, output_tokens: 9, total_tokens: 49 });
		expect(server.seen[0].body.stream).toBe(true);
		const streamOptions = dialectFor(PROVIDERS[target.provider], target.credential).streamOptions;
		expect(server.seen[0].body.stream_options).toEqual(streamOptions);
	});

	it('streams an agent tool loop: the tool call arrives whole, with its id', async () => {
		server.decide = toolThenText();
		const { output, error } = await run(target, 'streamAgent');
		expect(error).toBeUndefined();
		const json = output[0].json as IDataObject;
		expect(json.text).toBe('It is 21 degrees in Paris.');
		expect((json.rounds as IDataObject[])[1].toolCalls).toEqual([
			expect.objectContaining({ id: 'call_7', name: 'get_weather', args: { city: 'Paris' } }),
		]);
		expect(server.seen[1].body.messages.at(-1)).toEqual({
			role: 'tool',
			tool_call_id: 'call_7',
			content: '{"city":"Paris","temperature":21}',
		});
	});
});

describe('LLM Chat Model: options and reasoning', () => {
	const openAi = TARGETS[PROVIDER_IDS.indexOf('openAi')];

	it('sends the options users know from LLM Chat, under the provider fields', async () => {
		await run(openAi, 'chat', {
			temperature: 0.2,
			topP: 0.9,
			maxTokens: 64,
			stop: 'END\\n',
			seed: 7,
			frequencyPenalty: 0.5,
			presencePenalty: -0.5,
			reasoningEffort: 'low',
			responseFormat: 'jsonObject',
			extraBody: '{"top_k": 40}',
		});
		expect(server.seen[0].body).toMatchObject({
			model: 'test-model',
			temperature: 0.2,
			top_p: 0.9,
			max_completion_tokens: 64,
			stop: ['END\n'],
			seed: 7,
			frequency_penalty: 0.5,
			presence_penalty: -0.5,
			reasoning_effort: 'low',
			response_format: { type: 'json_object' },
			top_k: 40,
		});
	});

	it.each([
		['reasoning_content', { content: 'Four.', reasoning_content: 'Two and two.' }],
		['a <think> block', { content: '<think>Two and two.</think>\n\nFour.' }],
	])('surfaces reasoning from %s as a reasoning part, apart from the text', async (_, message) => {
		server.reply(200, completion('', { choices: [choice(message)] }));
		const { output } = await run(openAi, 'chat');
		expect(output[0].json).toMatchObject({
			text: 'Four.',
			// Text first: Guardrails reads the first part and wants text.
			content: [
				{ type: 'text', text: 'Four.' },
				{ type: 'reasoning', reasoning: 'Two and two.' },
			],
		});
	});

	it.each([
		[undefined, 'Paris needs the tool.'],
		['none', undefined],
		['all', 'Paris needs the tool.'],
	])(
		'Keep Reasoning in History %s: the reasoning of the tool-call turn goes back as %s',
		async (keep, expected) => {
			const reasoned = completion('', {
				choices: [
					choice(
						{ ...toolCallReply.choices[0].message, reasoning_content: 'Paris needs the tool.' },
						'tool_calls',
					),
				],
			});
			server.decide = (_request, n) => ({
				kind: 'reply',
				status: 200,
				body: n === 1 ? reasoned : finalReply,
			});
			const { error } = await run(openAi, 'agent', { keepReasoningInHistory: keep });
			expect(error).toBeUndefined();
			expect(server.seen[1].body.messages[2].reasoning_content).toBe(expected);
		},
	);
});

describe('LLM Chat Model: Requests per Minute', () => {
	it("draws on the credential's window that LLM Chat uses too", async () => {
		const credentials = credentialsFor('openAi', server.url);
		// The SDK loads on first use; loaded here, it cannot be what delays the request below.
		expect((await run(TARGETS[PROVIDER_IDS.indexOf('openAi')], 'chat')).error).toBeUndefined();
		server.reset();
		// LLM Chat on the same credential takes the one request a minute allows.
		const chat = await runWorkflow({
			parameters: messageParams('openAi', { options: { requestsPerMinute: 1 } }),
			credentials,
			credentialId: 'rpm-shared',
		});
		expect(chat.error).toBeUndefined();
		expect(server.seen).toHaveLength(1);
		// The agent's model must now wait for the window: nothing is sent before it is cancelled.
		const model = await runModelWorkflow({
			parameters: {
				provider: 'openAi',
				model: { __rl: true, mode: 'id', value: 'test-model' },
				options: { requestsPerMinute: 1 },
			},
			credentials,
			credentialId: 'rpm-shared',
			scenario: 'chat',
			onStart: (cancel) => setTimeout(cancel, 1500),
		});
		expect(server.seen).toHaveLength(1);
		expect(model.run.status).toBe('canceled');
	});
});

describe('LLM Chat Model: faults', () => {
	const openAi = TARGETS[PROVIDER_IDS.indexOf('openAi')];

	it('retries a 429 after its Retry-After with the package transport, then answers', async () => {
		server.sequence(
			{
				kind: 'reply',
				status: 429,
				body: { error: { message: 'Slow down' } },
				headers: { 'retry-after': '0.2' },
			},
			{ kind: 'reply', status: 200, body: finalReply },
		);
		const { output, error } = await run(openAi, 'chat');
		expect(error).toBeUndefined();
		expect(output[0].json.text).toBe('It is 21 degrees in Paris.');
		expect(server.seen).toHaveLength(2);
		expect(server.seen[1].at - server.seen[0].at).toBeGreaterThanOrEqual(190);
	});

	it('a wrong key fails at once with the provider message and a hint, nothing retried on top', async () => {
		server.reply(401, {
			error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' },
		});
		const result = await run(openAi, 'chat');
		expect(server.seen).toHaveLength(1);
		expect(result.error?.message).toContain('Incorrect API key provided');
		expect(result.error?.description).toMatch(/credential/i);
		expect(deepSerialize(result.run)).not.toContain(KEY);
	});

	it('a 500 is retried Max Retries times by the transport alone', async () => {
		server.reply(500, { error: { message: 'The server had an error' } });
		const result = await run(openAi, 'chat', { maxRetries: 1 });
		expect(server.seen).toHaveLength(2);
		expect(result.error?.message).toContain('The server had an error');
	});

	it('Timeout cuts each attempt, and Max Retries counts them, as in LLM Chat', async () => {
		server.sequence({ kind: 'hang' });
		const started = Date.now();
		const result = await run(openAi, 'chat', { timeout: 400, maxRetries: 1 });
		expect(server.seen).toHaveLength(2);
		expect(result.error?.message).toBe('OpenAI request timed out after 0.4 s (after 2 attempts)');
		expect(Date.now() - started).toBeGreaterThanOrEqual(800);
	});

	it('a redirect is not followed: the key goes to no other address', async () => {
		server.reply(307, undefined, { location: 'http://127.0.0.1:9/elsewhere' });
		const result = await run(openAi, 'chat');
		expect(server.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(/redirect/i);
	});

	it('a stream cut after text fails without a retry that would repeat it', async () => {
		const pieces = streamEvents(finalReply, 4);
		server.decide = () => ({
			kind: 'stream',
			pieces: pieces.slice(0, 4),
			delayMs: 20,
			then: 'cut',
		});
		const result = await run(openAi, 'stream');
		expect(server.seen).toHaveLength(1);
		expect(result.error?.message).toMatch(/broke off/);
	});

	it.each([
		[{ temperature: 3 }, /Temperature/],
		[{ extraBody: '{"messages": []}' }, /Extra Body Parameters may not set "messages"/],
	])('bad options %j fail before any request', async (options, message) => {
		const result = await run(openAi, 'chat', options);
		expect(result.error?.message).toMatch(message);
		expect(server.seen).toHaveLength(0);
	});

	it('an empty model fails before any request (except on a self-hosted TGI)', async () => {
		const result = await runModelWorkflow({
			parameters: { provider: 'openAi', model: { __rl: true, mode: 'id', value: '' } },
			credentials: credentialsFor('openAi', server.url),
			scenario: 'chat',
		});
		expect(result.error?.message).toBe('Model is required');
		expect(server.seen).toHaveLength(0);
	});
});
