import { completion, useFaultServer } from '../support/faultServer';
import { choice, modelList } from '../support/fixtures';
import { runWorkflow, searchModels } from '../support/engine';
import { credentialsFor, KEY, messageParams, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';

const server = useFaultServer();

async function run(
	provider: ProviderId,
	overrides: Record<string, unknown> = {},
	items = [{ question: 'What is 2+2?' }],
) {
	const result = await runWorkflow({
		parameters: messageParams(provider, overrides),
		credentials: credentialsFor(provider, server.url),
		items,
	});
	if (result.error) throw result.error;
	return result;
}

describe.each(PROVIDER_IDS)('%s: Message a Model', (provider) => {
	it('POSTs {base}/{version}/chat/completions with the Bearer key, the evaluated messages and nothing unset', async () => {
		const { output } = await run(provider, { systemMessage: 'Be brief.' });
		expect(server.chats).toHaveLength(1);
		const [request] = server.seen;
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/v1/chat/completions');
		expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(request.headers['content-type']).toMatch(/application\/json/);
		expect(request.body).toEqual({
			model: 'test-model',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'What is 2+2?' },
			],
		});
		expect(output).toEqual([
			{
				json: {
					text: 'echo: What is 2+2?',
					role: 'assistant',
					finishReason: 'stop',
					model: 'test-model',
					usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends every sampling option under the field this provider takes', async () => {
		await run(provider, {
			options: {
				temperature: 0.3,
				topP: 0.9,
				maxTokens: 64,
				stop: 'END\n###',
				seed: 7,
				frequencyPenalty: 0.5,
				presencePenalty: -0.5,
				n: 1,
				user: 'user-42',
			},
		});
		const tokenField = provider === 'openAi' ? 'max_completion_tokens' : 'max_tokens';
		expect(server.seen[0].body).toEqual({
			model: 'test-model',
			messages: [{ role: 'user', content: 'What is 2+2?' }],
			temperature: 0.3,
			top_p: 0.9,
			[tokenField]: 64,
			stop: ['END', '###'],
			seed: 7,
			frequency_penalty: 0.5,
			presence_penalty: -0.5,
			n: 1,
			...(provider === 'openAi' ? { user: 'user-42' } : {}),
		});
	});

	it('translates a JSON schema response format into the provider form and parses the reply', async () => {
		server.reply(200, completion('```json\n{"answer": "4"}\n```'));
		const schema = {
			type: 'object',
			properties: { answer: { type: 'string' } },
			required: ['answer'],
		};
		const { output } = await run(provider, {
			options: {
				responseFormat: 'jsonSchema',
				jsonSchema: JSON.stringify(schema),
				jsonSchemaName: 'math',
			},
		});
		// Strict by default: the Hugging Face router, like OpenAI and Together, enforces it.
		expect(server.seen[0].body.response_format).toEqual({
			type: 'json_schema',
			json_schema: { name: 'math', schema, strict: true },
		});
		expect(output[0].json.json).toEqual({ answer: '4' });
	});

	it('translates a JSON object response format', async () => {
		server.reply(200, completion('{"ok": true}'));
		const { output } = await run(provider, { options: { responseFormat: 'jsonObject' } });
		expect(server.seen[0].body.response_format).toEqual({ type: 'json_object' });
		expect(output[0].json.json).toEqual({ ok: true });
	});

	it('takes a whole chat history from JSON and sends tools, returning the tool calls', async () => {
		const toolCall = {
			id: 'call_1',
			type: 'function',
			function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
		};
		server.reply(
			200,
			completion('', {
				choices: [choice({ content: null, tool_calls: [toolCall] }, 'tool_calls')],
			}),
		);
		const tools = [
			{
				type: 'function',
				function: {
					name: 'get_weather',
					parameters: { type: 'object', properties: { city: { type: 'string' } } },
				},
			},
		];
		const history = [
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello!' },
			{ role: 'user', content: 'Weather in Paris?' },
		];
		const { output } = await run(
			provider,
			{
				messagesInputMode: 'json',
				messagesJson: '={{ $json.history }}',
				options: { tools: JSON.stringify(tools) },
			},
			[{ history } as never],
		);
		expect(server.seen[0].body.messages).toEqual(history);
		// OpenAI's form everywhere, the Hugging Face router included (a self-hosted TGI: below).
		expect(server.seen[0].body.tools).toEqual(tools);
		expect(output[0].json).toMatchObject({
			text: '',
			finishReason: 'tool_calls',
			toolCalls: [
				{ id: 'call_1', type: 'function', name: 'get_weather', arguments: { city: 'Paris' } },
			],
		});
	});

	it('returns all completions when more than one is asked for', async () => {
		server.reply(
			200,
			completion('one', {
				choices: [choice({ content: 'one' }), choice({ content: 'two' }, 'length', 1)],
			}),
		);
		const { output } = await run(provider, { options: { n: 2 } });
		expect(output[0].json.text).toBe('one');
		expect(output[0].json.completions).toEqual([
			{ text: 'one', role: 'assistant', finishReason: 'stop' },
			{ text: 'two', role: 'assistant', finishReason: 'length' },
		]);
	});

	it('merges extra body parameters and returns the raw response when not simplified', async () => {
		const { output } = await run(provider, {
			simplify: false,
			options: { extraBody: '{"top_k": 40, "repetition_penalty": 1.1}' },
		});
		expect(server.seen[0].body).toMatchObject({ top_k: 40, repetition_penalty: 1.1 });
		expect(output[0].json).toEqual(completion('echo: What is 2+2?'));
	});
});

describe('provider-specific parameters', () => {
	it('sends reasoning effort to OpenAI and Together AI', async () => {
		await run('openAi', { options: { reasoningEffort: 'minimal' } });
		await run('togetherAi', { options: { reasoningEffort: 'high' } });
		expect(server.seen.map((r) => r.body.reasoning_effort)).toEqual(['minimal', 'high']);
	});

	it('lets a self-hosted TGI run without a model; the router needs one', async () => {
		const selfHosted = await runWorkflow({
			parameters: messageParams('huggingFaceTgi', { model: { __rl: true, mode: 'id', value: '' } }),
			credentials: credentialsFor('huggingFaceTgi', server.url, { serverKind: 'selfHosted' }),
		});
		expect(selfHosted.error).toBeUndefined();
		expect(server.seen[0].body).not.toHaveProperty('model');
		const router = await runWorkflow({
			parameters: messageParams('huggingFaceTgi', { model: { __rl: true, mode: 'id', value: '' } }),
			credentials: credentialsFor('huggingFaceTgi', server.url),
		});
		expect(router.error?.message).toBe('Model is required');
		expect(server.seen).toHaveLength(1);
	});

	it("speaks a self-hosted TGI's own dialect when the credential says so", async () => {
		const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
		const schema = { type: 'object', properties: { a: { type: 'string' } } };
		const credentials = credentialsFor('huggingFaceTgi', server.url, { serverKind: 'selfHosted' });
		const options = [
			{ responseFormat: 'jsonObject' },
			{ responseFormat: 'jsonSchema', jsonSchema: JSON.stringify(schema), jsonSchemaName: 'a_b' },
			{ tools: JSON.stringify(tools) },
		];
		for (const option of options) {
			server.reply(200, completion(option.responseFormat ? '{"a": "x"}' : 'x'));
			const result = await runWorkflow({
				parameters: messageParams('huggingFaceTgi', { options: option }),
				credentials,
			});
			expect(result.error).toBeUndefined();
		}
		expect(server.seen.map((r) => r.body.response_format ?? r.body.tools)).toEqual([
			{ type: 'json', value: { type: 'object' } },
			{ type: 'json_schema', value: { name: 'a_b', schema } },
			[{ type: 'function', function: { name: 'f', arguments: { type: 'object' } } }],
		]);
		const refused = await runWorkflow({
			parameters: messageParams('huggingFaceTgi', { options: { n: 2 } }),
			credentials,
		});
		expect(refused.error?.message).toBe(
			'Number of Completions above 1 is not supported by Hugging Face TGI',
		);
		expect(server.seen).toHaveLength(3);
	});

	it('joins a non-default API version and a base URL with a path', async () => {
		const result = await runWorkflow({
			parameters: messageParams('huggingFaceTgi'),
			credentials: credentialsFor('huggingFaceTgi', `${server.url}/novita/`, {
				apiVersion: '/v3/openai/',
			}),
		});
		expect(result.error).toBeUndefined();
		expect(server.seen[0].url).toBe('/novita/v3/openai/chat/completions');
	});

	it('sends custom headers from the credential with every request', async () => {
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url, {
				customHeaders: {
					headers: [
						{ name: 'X-Gateway-Key', value: 'gw-1' },
						{ name: 'Authorization', value: 'not me' },
					],
				},
			}),
		});
		expect(result.error).toBeUndefined();
		expect(server.seen[0].headers['x-gateway-key']).toBe('gw-1');
		expect(server.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
	});
});

describe('List Models and the model picker', () => {
	const together = [
		{
			id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
			object: 'model',
			type: 'chat',
			organization: 'Meta',
			context_length: 131072,
		},
		{
			id: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
			object: 'model',
			type: 'chat',
			organization: 'mistralai',
			context_length: 32768,
		},
		{ id: 'black-forest-labs/FLUX.1-schnell', object: 'model', type: 'image', organization: 'BFL' },
	];

	it("lists Together's chat models, all types only when asked", async () => {
		server.reply(200, together);
		const chat = await runWorkflow({
			parameters: { provider: 'togetherAi', operation: 'listModels' },
			credentials: credentialsFor('togetherAi', server.url),
		});
		expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
		expect(chat.output.map((item) => item.json)).toEqual([
			{
				id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
				ownedBy: 'Meta',
				type: 'chat',
				contextLength: 131072,
			},
			{
				id: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
				ownedBy: 'mistralai',
				type: 'chat',
				contextLength: 32768,
			},
		]);
		const all = await runWorkflow({
			parameters: {
				provider: 'togetherAi',
				operation: 'listModels',
				listOptions: { allTypes: true },
			},
			credentials: credentialsFor('togetherAi', server.url),
		});
		expect(all.output).toHaveLength(3);
		expect(
			all.output.every(
				(item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
	});

	it("lists TGI's single model object", async () => {
		server.reply(200, { model_id: 'HuggingFaceH4/zephyr-7b-beta', max_total_tokens: 4096 });
		const result = await runWorkflow({
			parameters: { provider: 'huggingFaceTgi', operation: 'listModels' },
			credentials: credentialsFor('huggingFaceTgi', server.url),
		});
		expect(result.output.map((item) => item.json)).toEqual([
			{ id: 'HuggingFaceH4/zephyr-7b-beta', contextLength: 4096 },
		]);
	});

	it('List Models with Continue On Fail: one error item per input, with the hint, paired', async () => {
		server.reply(404, { error: { message: 'Not found', type: 'invalid_request_error' } });
		const result = await runWorkflow({
			parameters: { provider: 'openAi', operation: 'listModels' },
			credentials: credentialsFor('openAi', server.url),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.output).toEqual(
			[0, 1].map((item) => ({
				json: {
					error: 'OpenAI API error 404: Not found',
					errorDescription: `Check the model ID (pick it from the list to be sure), and the credential's Base URL and API Version: the request went to ${server.url}/v1/models.`,
				},
				pairedItem: { item },
			})),
		);
	});

	it('a model picker answer that is not a model list: the same error as List Models', async () => {
		server.reply(200, '<html><head><title>Welcome to nginx!</title></head></html>');
		await expect(searchModels('openAi', credentialsFor('openAi', server.url))).rejects.toThrow(
			'OpenAI answered with status 200 but not with a model list: Welcome to nginx!',
		);
		const listed = await runWorkflow({
			parameters: { provider: 'openAi', operation: 'listModels' },
			credentials: credentialsFor('openAi', server.url),
		});
		expect(listed.error?.message).toBe(
			'OpenAI answered with status 200 but not with a model list: Welcome to nginx!',
		);
	});

	it('fills the model picker from the chosen credential, searchable', async () => {
		server.reply(200, together);
		const all = await searchModels('togetherAi', credentialsFor('togetherAi', server.url));
		expect(all.results.map((r) => r.value)).toEqual([
			'meta-llama/Llama-3.3-70B-Instruct-Turbo',
			'mistralai/Mixtral-8x7B-Instruct-v0.1',
		]);
		const filtered = await searchModels(
			'togetherAi',
			credentialsFor('togetherAi', server.url),
			'mixtral',
		);
		expect(filtered.results).toEqual([
			{
				name: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
				value: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
			},
		]);
		expect(
			server.seen.every(
				(r) => r.url === '/v1/models' && r.headers.authorization === `Bearer ${KEY}`,
			),
		).toBe(true);

		server.reply(200, modelList(['gpt-4o-mini'], 'openai'));
		expect((await searchModels('openAi', credentialsFor('openAi', server.url))).results).toEqual([
			{ name: 'gpt-4o-mini', value: 'gpt-4o-mini' },
		]);
	});
});
