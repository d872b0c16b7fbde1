import { runWorkflow, searchModels } from '../support/engine';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialTypeOf, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';
import type { ContractMock } from '../support/prism';
import { missingSpecs, specsNotice, startContractMock } from '../support/prism';
import { describeWithData } from '../support/shared';
import { streamEvents } from '../support/fixtures';
import { thinkingReply, thoughtFor } from '../support/thinkingProvider';

/**
 * Every request the node can build, judged by a validating mock (Prism) of the
 * provider's official OpenAPI description: a 400 or 422 fails with Prism's reasons.
 * Without the descriptions (../shared/specs or .specs/) the suite is skipped with one
 * line saying what to provide; under CI=true their absence is a failure (see the end).
 */
const KEY = 'contract-test-key';
const schema = {
	type: 'object',
	properties: { answer: { type: 'string' } },
	required: ['answer'],
	additionalProperties: false,
};
const tools = [
	{
		type: 'function',
		function: {
			name: 'get_weather',
			description: 'Weather for a city',
			parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
		},
	},
];
const toolHistory = [
	{ role: 'user', content: 'Weather in Paris?' },
	{
		role: 'assistant',
		content: null,
		tool_calls: [
			{
				id: 'call_1',
				type: 'function',
				function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
			},
		],
	},
	{ role: 'tool', tool_call_id: 'call_1', content: '18 °C, sunny' },
];
const user = { messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] } };
const PIXEL_PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFAAH/VscvDQAAAABJRU5ErkJggg==';

/** Parameter combinations; `only` limits a case to the providers that have the feature. */
const CASES: Array<{
	name: string;
	params: Record<string, unknown>;
	only?: ProviderId[];
	/** Server kinds (see TARGETS) where the node refuses the case on purpose. */
	notOn?: string[];
}> = [
	{ name: 'one user message', params: user },
	{
		name: 'system message and a multi-turn list',
		params: {
			systemMessage: 'Be brief.',
			messages: {
				values: [
					{ role: 'user', content: 'Hi' },
					{ role: 'assistant', content: 'Hello!' },
					{ role: 'system', content: 'Answer in French.' },
					{ role: 'user', content: '={{ $json.question }}' },
				],
			},
		},
	},
	{
		name: 'every sampling option',
		params: {
			...user,
			options: {
				temperature: 0.7,
				topP: 0.9,
				maxTokens: 128,
				stop: 'END\n###',
				seed: 42,
				frequencyPenalty: 0.5,
				presencePenalty: 0.3,
				n: 2,
			},
		},
		// A self-hosted TGI answers once per request: the node refuses n > 1 before sending.
		notOn: ['selfHosted'],
	},
	{ name: 'user id', params: { ...user, options: { user: 'user-42' } }, only: ['openAi'] },
	{
		name: 'JSON object response format',
		params: { ...user, options: { responseFormat: 'jsonObject' } },
	},
	{
		name: 'JSON schema response format',
		params: {
			...user,
			options: {
				responseFormat: 'jsonSchema',
				jsonSchema: JSON.stringify(schema),
				jsonSchemaName: 'answer_schema',
			},
		},
	},
	{
		name: 'reasoning effort',
		params: { ...user, options: { reasoningEffort: 'low' } },
		only: ['openAi', 'togetherAi'],
	},
	{
		name: 'a user message with images (image_url content parts, detail)',
		params: {
			messages: {
				values: [
					{
						role: 'user',
						content: '={{ $json.question }}',
						images: {
							values: [
								{ source: 'url', url: 'https://example.com/cat.jpg', detail: 'low' },
								{ source: 'url', url: `data:image/png;base64,${PIXEL_PNG}` },
							],
						},
					},
				],
			},
		},
	},
	{ name: 'tools', params: { ...user, options: { tools: JSON.stringify(tools) } } },
	{
		name: 'chat history from JSON with a tool call and its result',
		params: {
			messagesInputMode: 'json',
			messagesJson: JSON.stringify(toolHistory),
			options: { tools: JSON.stringify(tools) },
		},
	},
	{
		name: 'extra body parameters (Together top_k, repetition_penalty)',
		params: { ...user, options: { extraBody: '{"top_k": 40, "repetition_penalty": 1.1}' } },
		only: ['togetherAi'],
	},
	{
		name: 'extra body parameters (logprobs)',
		params: { ...user, options: { extraBody: '{"logprobs": true, "top_logprobs": 2}' } },
		only: ['openAi', 'huggingFaceTgi'],
	},
	{
		name: 'everything at once',
		params: {
			systemMessage: 'Be brief.',
			...user,
			options: {
				temperature: 0.2,
				topP: 0.5,
				maxTokens: 64,
				stop: 'END',
				seed: 1,
				frequencyPenalty: 0.1,
				presencePenalty: 0.1,
				responseFormat: 'jsonSchema',
				jsonSchema: JSON.stringify(schema),
				tools: JSON.stringify(tools),
				timeout: 30000,
				maxRetries: 0,
				maxConcurrency: 2,
			},
		},
	},
];

function explain(mock: ContractMock): string {
	return mock.exchanges
		.filter((e) => e.status >= 400)
		.map(
			(e) =>
				`${mock.provider} ${e.method} ${e.url} -> ${e.status}: ${e.violations}\nbody: ${JSON.stringify(e.requestBody)}`,
		)
		.join('\n');
}

function contractSuite() {
	const mocks = {} as Record<ProviderId, ContractMock>;

	beforeAll(async () => {
		const started = await Promise.all(
			PROVIDER_IDS.map(async (provider) => await startContractMock(provider)),
		);
		started.forEach((mock) => (mocks[mock.provider] = mock));
	}, 180_000);

	afterAll(async () => {
		await Promise.all(Object.values(mocks).map(async (mock) => await mock.stop()));
	});

	/**
	 * What each credential sends, checked against the description of the API it reaches:
	 * the Hugging Face router speaks OpenAI's dialect, a self-hosted TGI its own.
	 */
	const TARGETS: Array<{
		name: string;
		provider: ProviderId;
		spec: ProviderId;
		serverKind?: string;
	}> = [
		{ name: 'openAi', provider: 'openAi', spec: 'openAi' },
		{ name: 'togetherAi', provider: 'togetherAi', spec: 'togetherAi' },
		{
			name: 'huggingFaceTgi, router (OpenAI description)',
			provider: 'huggingFaceTgi',
			spec: 'openAi',
			serverKind: 'router',
		},
		{
			name: 'huggingFaceTgi, self-hosted TGI (TGI description)',
			provider: 'huggingFaceTgi',
			spec: 'huggingFaceTgi',
			serverKind: 'selfHosted',
		},
	];

	describe.each(TARGETS)('$name', ({ provider, spec, serverKind }) => {
		const credentialsFor = (_provider: ProviderId) => ({
			[credentialTypeOf(provider)]: {
				apiKey: KEY,
				baseUrl: mocks[spec].baseUrl,
				apiVersion: mocks[spec].apiVersion,
				...(serverKind ? { serverKind } : {}),
			},
		});
		const cases = CASES.filter(
			(c) => (!c.only || c.only.includes(provider)) && !c.notOn?.includes(serverKind ?? ''),
		);

		it.each(cases.map((c) => [c.name, c.params] as const))(
			'chat completion: %s',
			async (_name, params) => {
				const mock = mocks[spec];
				mock.exchanges.length = 0;
				const result = await runWorkflow({
					parameters: {
						provider,
						operation: 'message',
						model: { __rl: true, mode: 'id', value: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
						simplify: false,
						...params,
					},
					credentials: credentialsFor(provider),
					items: [{ question: 'What is the capital of France?' }, { question: 'And of Italy?' }],
				});
				// Where the model list has prices, it is read once for the cost (and validated too).
				const chats = mock.exchanges.filter((e) => !e.url.endsWith('/models'));
				expect(chats).toHaveLength(2);
				const rejected = explain(mock);
				if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
				expect(chats.every((e) => e.method === 'POST' && e.url.endsWith('/chat/completions'))).toBe(
					true,
				);
				expect(result.error).toBeUndefined();
				expect(result.output).toHaveLength(2);
			},
		);

		it('the repair turn of Repair Invalid JSON: the reply as assistant turn, the problems as user turn', async () => {
			const mock = mocks[spec];
			mock.exchanges.length = 0;
			// The mock's example reply is not JSON matching the schema, so the node asks once more.
			const result = await runWorkflow({
				parameters: {
					provider,
					operation: 'message',
					model: { __rl: true, mode: 'id', value: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
					...user,
					options: {
						responseFormat: 'jsonSchema',
						jsonSchema: JSON.stringify(schema),
						jsonSchemaName: 'answer_schema',
						maxTokens: 64,
					},
				},
				credentials: credentialsFor(provider),
				items: [{ question: 'What is the capital of France?' }],
				continueOnFail: true,
			});
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
			expect(mock.exchanges).toHaveLength(2);
			const [first, repair] = mock.exchanges.map((e) => e.requestBody as Record<string, any>);
			expect(repair.messages.slice(0, -2)).toEqual(first.messages);
			expect(repair.messages.at(-2)).toMatchObject({ role: 'assistant' });
			expect(repair.messages.at(-1)).toMatchObject({
				role: 'user',
				content: expect.stringMatching(/^Your reply is not/),
			});
			expect(repair.response_format).toEqual(first.response_format);
			expect(result.output).toHaveLength(1);
		});

		it('LLM Chat Model: an agent call with a zod tool, system message and options', async () => {
			const mock = mocks[spec];
			mock.exchanges.length = 0;
			const result = await runModelWorkflow({
				parameters: {
					provider,
					model: { __rl: true, mode: 'id', value: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
					options: { temperature: 0.3, maxTokens: 50, stop: 'END', seed: 1 },
				},
				credentials: credentialsFor(provider),
				scenario: 'agent',
			});
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
			expect(mock.exchanges.length).toBeGreaterThan(0);
			expect(mock.exchanges[0].requestBody).toMatchObject({ tools: [expect.anything()] });
			expect(result.error).toBeUndefined();
		});

		/**
		 * Reasoning on the tool loop's assistant turn (issue 20): DeepSeek's and Kimi's thinking
		 * models want `reasoning_content` back on each tool-call turn after the last user
		 * message, so both nodes send it there (Keep Reasoning in History: Tool Loop Only).
		 *
		 * What the descriptions say about it: none of them declares a reasoning field on a
		 * request's assistant message (OpenAI's ChatCompletionRequestAssistantMessage: content,
		 * refusal, role, name, audio, tool_calls, function_call; Together's
		 * ChatCompletionAssistantMessageParam: content, role, name, tool_calls, function_call,
		 * with `reasoning` only on its response messages; TGI's Message: content or tool_calls,
		 * name, role), and none sets `additionalProperties: false` on them. So the field is
		 * undeclared but allowed: the schema neither refuses nor describes it, and Prism
		 * accepts it as it accepts any unknown property. The last test of this block shows
		 * the same assistant turn is validated property by property (a wrong `name` is refused),
		 * so the acceptance is the description's, not a check that was skipped.
		 */
		describe('reasoning on the tool loop (issue 20)', () => {
			const MODEL = { __rl: true, mode: 'id', value: 'deepseek-reasoner' };
			// Together's description names a reply's reasoning `reasoning`; the node sends back
			// the field the provider used.
			const fields =
				spec === 'togetherAi' ? ['reasoning_content', 'reasoning'] : ['reasoning_content'];
			const loopHistory = (field: string) => [
				{ role: 'user', content: 'What was the weather in Oslo?' },
				{ role: 'assistant', content: 'It was 5 degrees.', [field]: 'An earlier thought.' },
				{ role: 'user', content: 'Weather in Paris?' },
				{
					role: 'assistant',
					// Text beside the calls, as n8n's agent rebuilds a tool-call turn.
					content: 'Let me look that up.',
					[field]: 'Paris needs the tool.',
					tool_calls: [
						{
							id: 'call_00_Xk2mR8vQp4Ls7Nw1Tz9Yc3Hd',
							type: 'function',
							function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
						},
					],
				},
				{ role: 'tool', tool_call_id: 'call_00_Xk2mR8vQp4Ls7Nw1Tz9Yc3Hd', content: '18 °C, sunny' },
			];
			/** A thinking model's step, its reasoning under `field`, streamed when asked. */
			const thinking =
				(field: string) =>
				(body: Record<string, any>): object | string => {
					const reply = thinkingReply(body, 'deepseek', ['Paris']) as Record<string, any>;
					// streamEvents writes reasoning_content deltas: renamed the same way.
					if (body.stream === true)
						return streamEvents(reply).join('').replaceAll('"reasoning_content":', `"${field}":`);
					const message = reply.choices[0].message as Record<string, any>;
					if (field !== 'reasoning_content') {
						message[field] = message.reasoning_content;
						delete message.reasoning_content;
					}
					return reply;
				};

			afterEach(() => (mocks[spec].answer = undefined));

			it.each(fields)(
				'LLM Chat: a Messages (JSON) loop with %s on the tool-call turn',
				async (field) => {
					const mock = mocks[spec];
					mock.exchanges.length = 0;
					const result = await runWorkflow({
						parameters: {
							provider,
							operation: 'message',
							model: MODEL,
							messagesInputMode: 'json',
							messagesJson: JSON.stringify(loopHistory(field)),
							options: { tools: JSON.stringify(tools) },
						},
						credentials: credentialsFor(provider),
						items: [{ question: 'unused' }],
					});
					const rejected = explain(mock);
					if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
					expect(result.error).toBeUndefined();
					expect(mock.exchanges).toHaveLength(1);
					const { messages } = mock.exchanges[0].requestBody as { messages: any[] };
					// Sent back on the loop's turn only; the earlier answer's reasoning is dropped.
					expect(messages[3]).toMatchObject({
						role: 'assistant',
						[field]: 'Paris needs the tool.',
					});
					expect(messages[3].tool_calls).toHaveLength(1);
					// TGI's description takes text or tool calls in a message, not both: the calls go.
					expect(messages[3].content).toBe(
						serverKind === 'selfHosted' ? undefined : 'Let me look that up.',
					);
					expect(field in messages[1]).toBe(false);
				},
			);

			it.each(
				fields.flatMap((field) => [
					[field, 'agent', false],
					[field, 'agent', true],
					[field, 'streamAgent', true],
				]) as Array<[string, 'agent' | 'streamAgent', boolean]>,
			)(
				'LLM Chat Model: a tool round with %s (%s, turns rebuilt as n8n does: %s)',
				async (field, scenario, rebuild) => {
					const mock = mocks[spec];
					mock.exchanges.length = 0;
					mock.answer = thinking(field);
					const result = await runModelWorkflow({
						parameters: { provider, model: MODEL, options: {} },
						credentials: credentialsFor(provider),
						scenario,
						history: { rebuild },
					});
					const rejected = explain(mock);
					if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
					expect(result.error).toBeUndefined();
					expect(mock.exchanges).toHaveLength(2);
					const second = mock.exchanges[1].requestBody as { messages: any[]; stream?: boolean };
					expect(second.stream === true).toBe(scenario === 'streamAgent');
					const turns = second.messages.filter((m) => m.role === 'assistant');
					expect(turns).toHaveLength(1);
					expect(turns[0]).toMatchObject({
						[field]: thoughtFor(0),
						tool_calls: [expect.anything()],
					});
					expect(second.messages.at(-1)).toMatchObject({ role: 'tool' });
					expect(String((result.output[0].json as Record<string, unknown>).text)).toMatch(
						/^Weather: .*Paris/,
					);
				},
			);

			it('the assistant turn is validated: the same body with a wrong `name` on it is refused', async () => {
				const mock = mocks[spec];
				mock.exchanges.length = 0;
				await runWorkflow({
					parameters: {
						provider,
						operation: 'message',
						model: MODEL,
						messagesInputMode: 'json',
						messagesJson: JSON.stringify(loopHistory(fields[0])),
						options: { tools: JSON.stringify(tools) },
					},
					credentials: credentialsFor(provider),
					items: [{ question: 'unused' }],
				});
				const body = structuredClone(mock.exchanges[0].requestBody) as { messages: any[] };
				body.messages[3].name = 42;
				const path = `${mock.apiVersion ? `/${mock.apiVersion}` : ''}/chat/completions`;
				const response = await fetch(`${mock.baseUrl}${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
					body: JSON.stringify(body),
				});
				await response.text();
				expect([400, 422]).toContain(response.status);
				expect(mock.exchanges[1].violations).toMatch(/messages/);
			});
		});

		it('List Models and the model picker', async () => {
			const mock = mocks[spec];
			mock.exchanges.length = 0;
			const listed = await runWorkflow({
				parameters: { provider, operation: 'listModels', listOptions: { allTypes: true } },
				credentials: credentialsFor(provider),
			});
			await searchModels(provider, credentialsFor(provider));
			const rejected = explain(mock);
			if (rejected) throw new Error(`The mock rejected the request:\n${rejected}`);
			expect(mock.exchanges.map((e) => `${e.method} ${e.url}`)).toEqual([
				`GET ${spec === 'huggingFaceTgi' ? '/v1' : ''}/models`,
				`GET ${spec === 'huggingFaceTgi' ? '/v1' : ''}/models`,
			]);
			expect(listed.error).toBeUndefined();
			expect(listed.output.length).toBeGreaterThan(0);
			expect(typeof listed.output[0].json.id).toBe('string');
		});

		it('the mock does reject a request the spec forbids (the check can fail)', async () => {
			const mock = mocks[spec];
			mock.exchanges.length = 0;
			// Only the extra body can smuggle in a value of the wrong type.
			await runWorkflow({
				parameters: {
					provider,
					operation: 'message',
					model: { __rl: true, mode: 'id', value: 'm' },
					...user,
					options: { extraBody: '{"temperature": "hot"}', maxRetries: 0 },
				},
				credentials: credentialsFor(provider),
				items: [{ question: 'Hi' }],
			});
			expect(mock.exchanges[0].status === 400 || mock.exchanges[0].status === 422).toBe(true);
			expect(mock.exchanges[0].violations).toMatch(/temperature/);
		});
	});
}

// Last: the suite's body reads the cases above when it is collected.
describeWithData(
	'contract: requests validated against the official OpenAPI descriptions',
	missingSpecs().length === 0,
	specsNotice('contract tests'),
	() => contractSuite(),
);
