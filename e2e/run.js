// npm run e2e: the package inside a real n8n 2.x, over its REST API and in a real
// browser, as users meet it. Everything it starts is stopped at the end.
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { ensureN8n, stagePackage, startN8n } = require('../scripts/n8n');
const { N8nClient } = require('./n8nClient');
const { freePort, time, timings } = require('./timing');
const { startFakeProvider } = require('./fakeProvider');
const { codeQuestions, llmChat, setQuestion, streamingChatTrigger, streamingWebhook, streamingWorkflow, workflow } = require('./workflows');
const { runEditorTests } = require('./editor');
const { readStream } = require('./streamReader');
const { describeAgentTests } = require('./agent');
const { describeAiNodeTests } = require('./aiNodes');
const { describeReasoningLoopTests } = require('./reasoningLoop');
const { describeSecretTests } = require('./secrets');
const { completion } = require('../test/support/fixtures.ts');
const { describeBatchTests } = require('./batch');

const KEY = 'sk-e2e-0123456789';
const OWNER = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Passw0rd!' };
const PROVIDERS = [
	{ provider: 'openAi', credentialType: 'llmChatOpenAiApi', prefix: '/openai', apiVersion: 'v1' },
	{ provider: 'togetherAi', credentialType: 'llmChatTogetherAiApi', prefix: '/together', apiVersion: 'v1' },
	// A non-default version, as on the Hugging Face router's provider routes.
	{ provider: 'huggingFaceTgi', credentialType: 'llmChatHuggingFaceTgiApi', prefix: '/hf/novita', apiVersion: 'v3/openai' },
];

let n8n;
let provider;
let client;
let userFolder;
const credentials = {};

before(async () => {
	const n8nDir = await time('n8n install (or cache check)', async () => ensureN8n());
	userFolder = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-e2e-'));
	stagePackage(userFolder);
	provider = await startFakeProvider({ key: KEY });
	n8n = await time('n8n boot', async () =>
		startN8n({ n8nDir, userFolder, port: await freePort(), logFile: path.join(userFolder, 'n8n.log') }),
	);
	client = new N8nClient(n8n.baseUrl);
	await client.setupOwner(OWNER);
});

after(async () => {
	await n8n?.stop();
	await provider?.stop();
	if (userFolder && !process.env.LLM_CHAT_KEEP_E2E) rmSync(userFolder, { recursive: true, force: true });
	console.log('e2e durations:', JSON.stringify(timings));
});

function outputOf(execution) {
	const runs = execution.data.resultData.runData['LLM Chat'];
	assert.ok(runs, `LLM Chat did not run: ${JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500)}`);
	return runs[0].data.main[0];
}

describe('over the REST API, as the editor drives it', () => {
	let started;
	before(() => (started = Date.now()));
	after(() => (timings['REST tests'] = `${((Date.now() - started) / 1000).toFixed(1)} s`));

	for (const p of PROVIDERS) {
		describe(p.credentialType, () => {
			const data = () => ({ apiKey: KEY, baseUrl: `${provider.url}${p.prefix}/`, apiVersion: p.apiVersion });

			it('is created, and its Test button succeeds with the right key', async () => {
				credentials[p.provider] = await client.createCredential(`${p.provider} e2e`, p.credentialType, data());
				const result = await client.testCredential(credentials[p.provider], data());
				assert.equal(result.status, 'OK', result.message);
				assert.equal(provider.requests.at(-1).url, `${p.prefix}/${p.apiVersion}/models`);
			});

			it("shows the provider's own error with a wrong key", async () => {
				const result = await client.testCredential(credentials[p.provider], { ...data(), apiKey: 'wrong-key' });
				assert.equal(result.status, 'Error');
				assert.match(result.message, /Incorrect API key provided/);
			});

			it('runs Manual Trigger -> Set -> LLM Chat with an expression in the message', async () => {
				const saved = await client.createWorkflow(
					workflow(`${p.provider} chat`, setQuestion(`What is the capital of France (${p.provider})?`), llmChat({ ...p, credential: credentials[p.provider] })),
				);
				const before = provider.requests.length;
				const execution = await client.runWorkflow(saved, 'Manual Trigger');
				assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
				const all = provider.requests.slice(before);
				// Together AI and the Hugging Face router list prices: one GET …/models for the cost.
				assert.ok(all.every((r) => r.url.endsWith('/chat/completions') || (r.method === 'GET' && r.url.endsWith('/models'))));
				const sent = all.filter((r) => r.url.endsWith('/chat/completions'));
				assert.equal(sent.length, 1);
				assert.equal(sent[0].method, 'POST');
				assert.equal(sent[0].url, `${p.prefix}/${p.apiVersion}/chat/completions`);
				assert.equal(sent[0].headers.authorization, `Bearer ${KEY}`);
				assert.deepEqual(sent[0].body.messages, [{ role: 'user', content: `What is the capital of France (${p.provider})?` }]);
				const [item] = outputOf(execution);
				assert.equal(item.json.text, `echo: What is the capital of France (${p.provider})?`);
				assert.deepEqual(item.json.usage, { promptTokens: 3, completionTokens: 2, totalTokens: 5 });
			});
		});
	}

	it('the example workflow in examples/ imports and runs', async () => {
		const example = require('../examples/llm-chat-example.json');
		const chat = example.nodes.find((node) => node.type === 'n8n-nodes-llm-chat.llmChat');
		chat.credentials = { llmChatOpenAiApi: { id: credentials.openAi.id, name: credentials.openAi.name } };
		const saved = await client.createWorkflow({ ...example, name: 'example' });
		const before = provider.requests.length;
		const execution = await client.runWorkflow(saved, example.nodes[0].name);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
		const sent = provider.requests.slice(before);
		assert.equal(sent.length, 3);
		assert.deepEqual(outputOf(execution).map((item) => item.json.text), [
			'echo: What is the capital of France?',
			'echo: Name three prime numbers.',
			"echo: Translate 'good morning' into German.",
		]);
		assert.equal(sent[0].body.model, 'gpt-4o-mini');
		assert.equal(sent[0].body.messages[0].role, 'system');
	});

	it('List Models returns one item per model', async () => {
		const saved = await client.createWorkflow(
			workflow('list models', setQuestion('unused'), llmChat({ ...PROVIDERS[0], credential: credentials.openAi, parameters: { operation: 'listModels' } })),
		);
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'success');
		assert.deepEqual(outputOf(execution).map((item) => item.json.id), ['e2e-model-large', 'e2e-model-small']);
	});

	it('a JSON response format returns the parsed object', async () => {
		const saved = await client.createWorkflow(
			workflow('json format', setQuestion('Give JSON'), llmChat({ ...PROVIDERS[1], credential: credentials.togetherAi, parameters: { options: { responseFormat: 'jsonObject' } } })),
		);
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'success');
		assert.deepEqual(provider.requests.at(-1).body.response_format, { type: 'json_object' });
		assert.deepEqual(outputOf(execution)[0].json.json, { answer: 'echo: Give JSON' });
	});

	it('JSON Schema: a reply that fails the schema is repaired by one more request (Repair Invalid JSON)', async () => {
		const schema = {
			type: 'object',
			properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
			required: ['city', 'population'],
			additionalProperties: false,
		};
		const BAD = '{"city": "Paris", "population": "2.1 million", "country": "France"}';
		const GOOD = '{"city": "Paris", "population": 2102650}';
		const reply = (text, usage) => ({ kind: 'reply', status: 200, body: completion(text, { model: 'e2e-model-large', usage }) });
		provider.script(
			reply(BAD, { prompt_tokens: 30, completion_tokens: 14, total_tokens: 44 }),
			reply(GOOD, { prompt_tokens: 75, completion_tokens: 11, total_tokens: 86 }),
		);
		const options = { responseFormat: 'jsonSchema', jsonSchema: JSON.stringify(schema), jsonSchemaName: 'city_facts' };
		const saved = await client.createWorkflow(
			workflow('json schema repair', setQuestion('The capital of France and its population?'), llmChat({ ...PROVIDERS[0], credential: credentials.openAi, parameters: { options } })),
		);
		const before = provider.requests.length;
		try {
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
			const sent = provider.requests.slice(before);
			assert.equal(sent.length, 2, 'expected the request and one repair request');
			const [first, second] = sent.map((request) => request.body);
			assert.deepEqual(first.response_format, { type: 'json_schema', json_schema: { name: 'city_facts', schema, strict: true } });
			// The repair turn: the same request, plus the bad reply and the validation errors.
			assert.deepEqual(second.messages.slice(0, -2), first.messages);
			assert.deepEqual(second.messages.at(-2), { role: 'assistant', content: BAD });
			const problems = second.messages.at(-1);
			assert.equal(problems.role, 'user');
			assert.match(problems.content, /^Your reply is not JSON that matches the required JSON Schema/);
			assert.match(problems.content, /- \$\.population: must be integer \(got string\)/);
			assert.match(problems.content, /- \$\.country: is not an allowed property/);
			assert.deepEqual(second.response_format, first.response_format);
			const [item] = outputOf(execution);
			assert.equal(item.json.text, GOOD);
			assert.deepEqual(item.json.json, { city: 'Paris', population: 2102650 });
			assert.equal(item.json.repairs, 1);
			// Both requests' tokens: what the item cost.
			assert.deepEqual(item.json.usage, { promptTokens: 105, completionTokens: 25, totalTokens: 130 });
		} finally {
			provider.clearScript();
		}
	});

	it('Fallback Models: the primary answers 500, the fallback answers; cost from Prices per Million Tokens', async () => {
		provider.script({ kind: 'reply', status: 500, body: { error: { message: 'the primary model is down' } } });
		const options = {
			maxRetries: 0,
			fallbackModels: 'e2e-model-small',
			pricesPerMillionTokens: { prices: { input: 2, cachedInput: 1, output: 8 } },
		};
		const saved = await client.createWorkflow(
			workflow('fallback and cost', setQuestion('Hello fallback'), llmChat({ ...PROVIDERS[0], credential: credentials.openAi, parameters: { options } })),
		);
		const before = provider.requests.length;
		try {
			const execution = await client.runWorkflow(saved, 'Manual Trigger');
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
			const sent = provider.requests.slice(before);
			assert.deepEqual(sent.map((request) => request.body.model), ['e2e-model-large', 'e2e-model-small']);
			const [item] = outputOf(execution);
			assert.equal(item.json.text, 'echo: Hello fallback');
			assert.equal(item.json.model, 'e2e-model-small');
			assert.equal(item.json.fallbackFrom.model, 'e2e-model-large');
			assert.match(item.json.fallbackFrom.error, /the primary model is down/);
			// The fake's usage is 3 prompt and 2 completion tokens: 3 × 2 + 2 × 8 USD per million.
			assert.equal(item.json.cost.currency, 'USD');
			assert.equal(item.json.cost.source, 'option');
			assert.ok(Math.abs(item.json.cost.total - 22e-6) < 1e-12, JSON.stringify(item.json.cost));
		} finally {
			provider.clearScript();
		}
	});

	it('Continue On Fail: one failing item among several gives one paired error item', async () => {
		const saved = await client.createWorkflow(
			workflow('continue on fail', codeQuestions(['one', 'FAIL', 'three']), llmChat({ ...PROVIDERS[0], credential: credentials.openAi, onError: 'continueRegularOutput' })),
		);
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'success');
		const output = outputOf(execution);
		assert.deepEqual(output.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		assert.deepEqual(output.map((item) => item.json.text ?? item.json.error), [
			'echo: one',
			'OpenAI API error 400: This request was refused by the fake provider',
			'echo: three',
		]);
	});

	it('30 items with 5 in flight keep their order and pairing', async () => {
		const questions = Array.from({ length: 30 }, (_, i) => `q${i}`);
		const saved = await client.createWorkflow(
			workflow('thirty items', codeQuestions(questions), llmChat({ ...PROVIDERS[2], credential: credentials.huggingFaceTgi, parameters: { options: { maxConcurrency: 5 } } })),
		);
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'success');
		const output = outputOf(execution);
		assert.deepEqual(output.map((item) => item.json.text), questions.map((q) => `echo: ${q}`));
		assert.deepEqual(output.map((item) => item.pairedItem), questions.map((_, item) => ({ item })));
	});
});

/** What LLM Chat streamed: its item chunks in order, and whether they came over time rather than at once. */
function llmChatChunks(lines) {
	const mine = lines.filter((line) => line.chunk.metadata?.nodeName === 'LLM Chat');
	const items = mine.filter((line) => line.chunk.type === 'item');
	return {
		types: mine.map((line) => line.chunk.type),
		text: items.map((line) => line.chunk.content).join(''),
		items,
		spreadMs: items.length > 1 ? items.at(-1).at - items[0].at : 0,
	};
}

describe('streaming to a webhook and a chat, as n8n relays it', () => {
	it('Webhook (response mode Streaming) -> LLM Chat: chunks arrive before the end and add up to the output text', async () => {
		const path = `stream-${Date.now()}`;
		const chat = llmChat({ ...PROVIDERS[0], credential: credentials.openAi, parameters: { messages: { values: [{ role: 'user', content: '={{ $json.body.question }}' }] } } });
		const saved = await client.createWorkflow(streamingWorkflow('streaming webhook', streamingWebhook(path), chat));
		await client.activateWorkflow(saved);
		const question = 'Please stream a longer answer about Paris';
		const lines = await readStream(`${n8n.baseUrl}/webhook/${path}`, { question });
		const { types, text, items, spreadMs } = llmChatChunks(lines);
		assert.equal(types[0], 'begin');
		assert.equal(types.at(-1), 'end');
		assert.ok(items.length >= 5, `expected several chunks, got ${items.length}`);
		assert.ok(spreadMs >= 100, `chunks came at once (${spreadMs} ms apart), not as generated`);
		assert.equal(text, `echo: ${question}`);
		assert.equal(provider.requests.at(-1).body.stream, true);
		const execution = await client.lastExecution(saved);
		assert.equal(outputOf(execution)[0].json.text, text);
	});

	it('Webhook (streaming) -> 3 items -> LLM Chat: each item streams as one block, in input order', async () => {
		const path = `stream-items-${Date.now()}`;
		// The fake server answers q2 slowest and q0 fastest: replies come back in reverse.
		const questions = ['q2', 'q1', 'q0'];
		const chat = llmChat({ ...PROVIDERS[0], credential: credentials.openAi, parameters: { options: { maxConcurrency: 3 } } });
		const trigger = streamingWebhook(path);
		const saved = await client.createWorkflow({
			...workflow('streaming items', codeQuestions(questions), chat),
			nodes: [trigger, codeQuestions(questions), chat],
			connections: { [trigger.name]: { main: [[{ node: 'Set', type: 'main', index: 0 }]] }, Set: { main: [[{ node: 'LLM Chat', type: 'main', index: 0 }]] } },
		});
		await client.activateWorkflow(saved);
		const lines = (await readStream(`${n8n.baseUrl}/webhook/${path}`, {})).filter((line) => line.chunk.metadata?.nodeName === 'LLM Chat');
		const order = lines.map((line) => line.chunk.metadata.itemIndex);
		assert.deepEqual(order, [...order].sort((a, b) => a - b), `items interleaved: ${order.join(',')}`);
		for (const [itemIndex, question] of questions.entries()) {
			const mine = lines.filter((line) => line.chunk.metadata.itemIndex === itemIndex).map((line) => line.chunk);
			assert.equal(mine[0].type, 'begin');
			assert.equal(mine.at(-1).type, 'end');
			assert.equal(mine.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content).join(''), `echo: ${question}`);
		}
	});

	it('Chat Trigger (streaming) -> LLM Chat: the chat receives the reply in chunks', async () => {
		const webhookId = `chat-${Date.now()}`;
		const chat = llmChat({ ...PROVIDERS[1], credential: credentials.togetherAi, parameters: { messages: { values: [{ role: 'user', content: '={{ $json.chatInput }}' }] } } });
		const saved = await client.createWorkflow(streamingWorkflow('streaming chat', streamingChatTrigger(webhookId), chat));
		await client.activateWorkflow(saved);
		const lines = await readStream(`${n8n.baseUrl}/webhook/${webhookId}/chat`, { action: 'sendMessage', sessionId: 'e2e-session', chatInput: 'Hello from the chat' });
		const { types, text, items } = llmChatChunks(lines);
		assert.deepEqual([types[0], types.at(-1)], ['begin', 'end']);
		assert.ok(items.length >= 3, `expected several chunks, got ${items.length}`);
		assert.equal(text, 'echo: Hello from the chat');
		const execution = await client.lastExecution(saved);
		assert.equal(outputOf(execution)[0].json.text, text);
	});
});

describeSecretTests({ providers: PROVIDERS, key: KEY, live: () => ({ n8n, client, provider, credentials }) });
describeAgentTests({ providers: PROVIDERS, key: KEY, live: () => ({ n8n, client }) });
describeAiNodeTests({ providers: PROVIDERS, key: KEY, live: () => ({ n8n, client }) });
describeReasoningLoopTests({ providers: PROVIDERS, key: KEY, live: () => ({ n8n, client }) });
describeBatchTests({ key: KEY, live: () => ({ n8n, client }) });

describe('in the editor, in a real browser', () => {
	it('creates credentials, adds LLM Chat, picks a model from the list and runs it', async () => {
		await time('editor (browser) tests', async () =>
			runEditorTests({ baseUrl: n8n.baseUrl, owner: OWNER, provider, key: KEY, providers: PROVIDERS }),
		);
	});
});
