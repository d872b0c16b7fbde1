// Issue 19 in a real n8n: the credential's Test button is bounded by its own 20 s limit
// against a server that never finishes its body, and a key echoed by the provider in a
// streamed reply reaches neither the client reading the stream nor the saved execution.
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const { RawServer, head, trickle } = require('../test/support/rawServer.ts');
const { completion, sseEvent } = require('../test/support/fixtures.ts');
const { readStreamAndText } = require('./streamReader');
const { llmChat, streamingChatTrigger, streamingWebhook, streamingWorkflow } = require('./workflows');

/** A streamed reply whose text deltas are `parts`, as a provider streams them. */
function streamOf(parts) {
	const base = completion(parts.join(''), { model: 'e2e-model-large' });
	const meta = { id: base.id, object: 'chat.completion.chunk', created: base.created, model: base.model };
	const chunk = (delta, finish = null) => sseEvent({ ...meta, choices: [{ index: 0, delta, finish_reason: finish }] });
	return [
		chunk({ role: 'assistant', content: '' }),
		...parts.map((content) => chunk({ content })),
		chunk({}, 'stop'),
		sseEvent({ ...meta, choices: [], usage: base.usage }),
		'data: [DONE]\n\n',
	];
}

/**
 * `live()` gives the suite's running n8n, its REST client and its recording provider
 * (whose credentials carry `key`).
 */
function describeSecretTests({ providers, key, live }) {
	describe('bounds and secrets (issue 19)', () => {
		const p = providers[0];
		const rawServer = new RawServer();
		before(async () => await rawServer.start());
		after(async () => await rawServer.stop());

		it('the Test button against a server trickling its body one byte every 200 ms: Error "timed out after 20 s", not a wait', async () => {
			const { client } = live();
			rawServer.respond = trickle(`${head(200, { 'content-type': 'application/json' })}{"object":"list","data":[`, ' ', 200, 45_000);
			const data = { apiKey: key, baseUrl: `${rawServer.url}/`, apiVersion: p.apiVersion };
			const credential = await client.createCredential('trickling server', p.credentialType, data);
			const started = Date.now();
			const result = await client.testCredential(credential, data);
			const seconds = (Date.now() - started) / 1000;
			assert.equal(result.status, 'Error', JSON.stringify(result));
			assert.equal(result.message, `The request to ${rawServer.url}/${p.apiVersion}/models timed out after 20 s`);
			assert.ok(seconds < 30, `the Test button answered after ${seconds} s`);
			assert.ok(seconds >= 19, `answered after ${seconds} s: not the Test button's 20 s limit`);
			assert.equal(rawServer.requests, 1);
			// The connection it gave up on is closed, not left trickling.
			for (const until = Date.now() + 3000; rawServer.openSockets > 0 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 100));
			assert.equal(rawServer.openSockets, 0, 'the trickling connection was left open');
		});

		// The key, cut in two deltas: "sk-e2e-01" | "23456789".
		const cut = 9;
		const parts = [`Your key is ${key.slice(0, cut)}`, `${key.slice(cut)}, keep it safe.`];
		const triggers = [
			{
				name: 'Webhook (response mode Streaming)',
				trigger: (id) => streamingWebhook(id),
				url: (baseUrl, id) => `${baseUrl}/webhook/${id}`,
				body: { question: 'What is my key?' },
				content: '={{ $json.body.question }}',
			},
			{
				name: 'Chat Trigger (streaming)',
				trigger: (id) => streamingChatTrigger(id),
				url: (baseUrl, id) => `${baseUrl}/webhook/${id}/chat`,
				body: { action: 'sendMessage', sessionId: 'secret-session', chatInput: 'What is my key?' },
				content: '={{ $json.chatInput }}',
			},
		];
		for (const t of triggers) {
			it(`${t.name} -> streaming LLM Chat, the provider echoing the key across two deltas: *** in the stream, the key in neither the stream nor the execution`, async () => {
				const { client, n8n, provider } = live();
				const credential = await client.createCredential(`echo ${t.name}`, p.credentialType, { apiKey: key, baseUrl: `${provider.url}${p.prefix}/`, apiVersion: p.apiVersion });
				const id = `secret-${Date.now()}`;
				const chat = llmChat({ ...p, credential, parameters: { messages: { values: [{ role: 'user', content: t.content }] } } });
				const saved = await client.createWorkflow(streamingWorkflow(`key echo ${t.name}`, t.trigger(id), chat));
				await client.activateWorkflow(saved);
				const before = provider.requests.length;
				provider.script({ kind: 'stream', pieces: streamOf(parts), delayMs: 40 });
				let streamed;
				try {
					streamed = await readStreamAndText(t.url(n8n.baseUrl, id), t.body);
				} finally {
					provider.clearScript();
				}
				const sent = provider.requests.slice(before);
				assert.equal(sent.length, 1);
				assert.equal(sent[0].headers.authorization, `Bearer ${key}`);
				assert.equal(sent[0].body.stream, true);
				// The client's bytes: nothing of the key, not even its first half, and *** in its place.
				for (const leak of [key, key.slice(0, cut), key.slice(4)]) assert.ok(!streamed.text.includes(leak), `the stream carries "${leak}": ${streamed.text.slice(0, 1500)}`);
				const items = streamed.lines.filter((line) => line.chunk.type === 'item' && line.chunk.metadata?.nodeName === 'LLM Chat');
				const text = items.map((line) => line.chunk.content).join('');
				assert.equal(text, 'Your key is ***, keep it safe.');
				const execution = await client.lastExecution(saved);
				assert.equal(execution.status, 'success');
				const serialized = JSON.stringify(execution);
				assert.ok(!serialized.includes(key), 'the key is in the saved execution');
				assert.ok(!serialized.includes(key.slice(0, cut)), 'half the key is in the saved execution');
				assert.equal(execution.data.resultData.runData['LLM Chat'][0].data.main[0][0].json.text, text);
			});
		}
	});
}

module.exports = { describeSecretTests };
