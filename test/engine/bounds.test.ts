// Hostile and broken servers: Timeout bounds every byte of an attempt, answers are bounded
// in size (decompressed), parsing stays linear, and nesting cannot overflow the stack.
import path from 'node:path';

import { runWorkflow, testCredential } from '../support/engine';
import { completion, useFaultServer } from '../support/faultServer';
import { sseEvent } from '../support/fixtures';
import { credentialsFor, credentialTypeOf, messageParams } from '../support/params';
import { flood, gzipBomb, head, raw, trickle, useRawServer } from '../support/rawServer';
import { packageRoot } from '../support/root';

const rawServer = useRawServer();
const server = useFaultServer();
const MB = 1024 * 1024;

// The fixed policies of the model list and the Test button, shortened for the test (they are
// read when a request starts; restored after each test).
const defaults = require(path.join(packageRoot(__dirname), 'dist/nodes/shared/defaults.js'));
const policies = {
	models: { ...defaults.MODEL_LIST_POLICY },
	test: { ...defaults.CREDENTIAL_TEST_POLICY },
};
afterEach(() => {
	Object.assign(defaults.MODEL_LIST_POLICY, policies.models);
	Object.assign(defaults.CREDENTIAL_TEST_POLICY, policies.test);
});

const json = { 'content-type': 'application/json' };
const chatHead = head(200, json) + '{"choices":[{"message":{"role":"assistant","content":"';

async function chat(options: Record<string, unknown>, streaming = false) {
	const started = Date.now();
	const chunks: unknown[] = [];
	const result = await runWorkflow({
		parameters: messageParams('openAi', { options }),
		credentials: credentialsFor('openAi', rawServer.url),
		onChunk: streaming ? (chunk) => chunks.push(chunk) : undefined,
	});
	return { ...result, chunks, ms: Date.now() - started };
}

describe('Timeout bounds the whole attempt, first byte to last', () => {
	it('a server trickling its response head: timed out, not held', async () => {
		rawServer.respond = trickle('HTTP/1.1 200 OK\r\n', 'x-slow: 1\r\n', 100);
		const { error, ms } = await chat({ timeout: 1000, maxRetries: 0 });
		expect(error?.message).toBe('OpenAI request timed out after 1 s');
		expect(ms).toBeLessThan(10_000);
		expect(rawServer.requests).toBe(1);
	});

	it('a plain reply trickling one byte every 100 ms: timed out, each attempt, and the socket closed', async () => {
		rawServer.respond = trickle(chatHead, 'a', 100);
		const { error, ms } = await chat({ timeout: 1000, maxRetries: 1 });
		expect(error?.message).toBe('OpenAI request timed out after 1 s (after 2 attempts)');
		expect(error?.description).toMatch(/raise "Timeout"/);
		expect(ms).toBeLessThan(15_000);
		expect(rawServer.requests).toBe(2);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(rawServer.openSockets).toBe(0);
	});

	it('a non-event-stream body in a streaming run: timed out too', async () => {
		rawServer.respond = trickle(chatHead, 'a', 100);
		const { error, ms, chunks } = await chat({ timeout: 1000, maxRetries: 0 }, true);
		expect(error?.message).toBe('OpenAI request timed out after 1 s');
		expect(ms).toBeLessThan(10_000);
		expect(chunks.filter((chunk: any) => chunk.type === 'item')).toEqual([]);
	});

	it('an event stream kept alive by comments and no data: timed out', async () => {
		rawServer.respond = trickle(
			`${head(200, { 'content-type': 'text/event-stream' })}${sseEvent({ choices: [] })}`,
			':\n',
			100,
		);
		const { error, ms } = await chat({ timeout: 1000, maxRetries: 0 }, true);
		expect(error?.message).toBe('OpenAI request timed out after 1 s');
		expect(ms).toBeLessThan(10_000);
	});

	it('the model list (List Models) is bounded by its own timeout', async () => {
		defaults.MODEL_LIST_POLICY.timeoutMs = 1000;
		defaults.MODEL_LIST_POLICY.maxRetries = 0;
		rawServer.respond = trickle(`${head(200, json)}{"data":[`, ' ', 100);
		const started = Date.now();
		const { error } = await runWorkflow({
			parameters: { provider: 'openAi', operation: 'listModels' },
			credentials: credentialsFor('openAi', rawServer.url),
		});
		expect(error?.message).toBe('OpenAI request timed out after 1 s');
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('the Test button gives up at its limit instead of reporting success', async () => {
		defaults.CREDENTIAL_TEST_POLICY.timeoutMs = 1000;
		rawServer.respond = trickle(`${head(200, json)}{"object":"list","data":[]`, ' ', 100);
		const started = Date.now();
		const result = await testCredential(
			credentialTypeOf('openAi'),
			credentialsFor('openAi', rawServer.url)[credentialTypeOf('openAi')],
		);
		expect(result).toEqual({
			status: 'Error',
			message: `The request to ${rawServer.url}/v1/models timed out after 1 s`,
		});
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});

describe('an answer is bounded in size, decompressed', () => {
	it('a 200 MB reply: a clear error at 32 MB, not retried', async () => {
		rawServer.respond = flood(200, json, '{"choices":[{"message":{"content":"', 'a', 200 * MB);
		const { error } = await chat({ maxRetries: 2 });
		expect(error?.message).toBe('OpenAI answer was too large: the answer was larger than 32 MB');
		expect(error?.description).toMatch(
			/did not retry\. If answers this large are expected, raise "Max Response Size \(MB\)"/,
		);
		expect(rawServer.requests).toBe(1);
	});

	it('an endless body: the same error at the size the option sets', async () => {
		rawServer.respond = flood(200, json, '{"choices":[', '{},');
		const { error } = await chat({ maxResponseSize: 2 });
		expect(error?.message).toBe('OpenAI answer was too large: the answer was larger than 2 MB');
		expect(rawServer.requests).toBe(1);
	});

	it('a gzip bomb (1 MB on the wire, 1 GB inflated): stopped at the cap, memory barely moves', async () => {
		const bomb = await gzipBomb(1024 * MB);
		expect(bomb.length).toBeLessThan(2 * MB);
		rawServer.respond = raw(200, { ...json, 'content-encoding': 'gzip' }, bomb);
		global.gc?.();
		const before = process.memoryUsage().rss;
		const { error } = await chat({ maxRetries: 2 });
		expect(error?.message).toBe('OpenAI answer was too large: the answer was larger than 32 MB');
		expect(rawServer.requests).toBe(1);
		// Generous: inflating it all took +3 GB. The figure itself is in npm run bench.
		expect(process.memoryUsage().rss - before).toBeLessThan(512 * MB);
	});

	it('a streamed answer counts too', async () => {
		rawServer.respond = flood(
			200,
			{ 'content-type': 'text/event-stream' },
			'',
			sseEvent({ choices: [{ index: 0, delta: { content: 'x' } }] }),
		);
		const { error } = await chat({ maxResponseSize: 1, maxRetries: 1 }, true);
		expect(error?.message).toBe('OpenAI answer was too large: the answer was larger than 1 MB');
		expect(rawServer.requests).toBe(1);
	});

	it('a model list of 500,000 models (45 MB) still works; one past 64 MB does not', async () => {
		const model = (i: number) =>
			`{"id":"org-${String(i).padStart(7, '0')}/model-name-of-a-real-length","object":"model","created":1700000000,"owned_by":"someone"}`;
		const list = (count: number) =>
			`{"object":"list","data":[${Array.from({ length: count }, (_, i) => model(i)).join(',')}]}`;
		const big = list(500_000);
		expect(big.length).toBeGreaterThan(45 * MB);
		rawServer.respond = raw(200, json, big);
		const type = credentialTypeOf('openAi');
		const credentials = credentialsFor('openAi', rawServer.url)[type];
		expect(await testCredential(type, credentials)).toEqual({
			status: 'OK',
			message: 'Connection successful: 500000 models available',
		});
		rawServer.respond = raw(200, json, list(700_000));
		const refused = await testCredential(type, credentials);
		expect(refused.status).toBe('Error');
		expect(refused.message).toBe(`${rawServer.url}/v1/models: the answer was larger than 64 MB`);
	}, 60_000);
});

describe('parsing stays linear, nesting cannot overflow the stack', () => {
	it('a streamed reply opening with 4 MB of whitespace: read in seconds, not minutes', async () => {
		const event = sseEvent({ choices: [{ index: 0, delta: { content: ' '.repeat(100) } }] });
		const count = Math.floor((4 * MB) / event.length);
		server.decide = () => ({
			kind: 'stream',
			pieces: [
				event.repeat(count),
				sseEvent({ choices: [{ index: 0, delta: { content: 'Hi' } }] }),
				'data: [DONE]\n\n',
			],
		});
		const started = Date.now();
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxRetries: 0, maxResponseSize: 64 } }),
			credentials: credentialsFor('openAi', server.url),
			onChunk: () => {},
		});
		expect(result.error).toBeUndefined();
		expect(String(result.output[0].json.text).trim()).toBe('Hi');
		// Rescanning the held whitespace for every delta took 58 s for 4 MB.
		expect(Date.now() - started).toBeLessThan(15_000);
	}, 60_000);

	it('a streamed event nested 200,000 levels deep is cut too: the answer still comes through', async () => {
		const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
		server.decide = () => ({
			kind: 'stream',
			pieces: [
				`data: {"choices":[{"index":0,"delta":{"content":"Paris"}}],"system_fingerprint":${deep}}\n\n`,
				'data: [DONE]\n\n',
			],
		});
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
			credentials: credentialsFor('openAi', server.url),
			onChunk: () => {},
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.text).toBe('Paris');
	});

	it('a 32 MB event-stream line without a line break: read in seconds, a clear error', async () => {
		rawServer.respond = raw(
			200,
			{ 'content-type': 'text/event-stream' },
			`data: {"choices":[{"index":0,"delta":{"content":"${'a'.repeat(32 * MB)}`,
		);
		const { error, ms } = await chat({ maxResponseSize: 64, maxRetries: 0 }, true);
		expect(error?.message).toMatch(
			/^OpenAI answered with status 200 but not with a chat completion/,
		);
		// The quadratic parser took 13.6 s for 16 MB; a linear one well under a second.
		expect(ms).toBeLessThan(15_000);
	}, 60_000);

	it("an error body nested 100,000 levels deep: the provider's message is kept", async () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		server.reply(500, `{"error":{"message":"Upstream exploded","trace":${deep}}}`, json);
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
			credentials: credentialsFor('openAi', server.url),
		});
		expect(result.error?.message).toBe('OpenAI API error 500: Upstream exploded');
	});

	it('a reply nested that deep is cut, and the answer still comes through', async () => {
		const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
		const reply = JSON.stringify(completion('Paris')).replace(/}$/, `,"extra":${deep}}`);
		server.reply(200, reply, json);
		const result = await runWorkflow({
			parameters: messageParams('openAi', { simplify: false }),
			credentials: credentialsFor('openAi', server.url),
		});
		expect(result.error).toBeUndefined();
		const output = result.output[0].json as any;
		expect(output.choices[0].message.content).toBe('Paris');
		expect(JSON.stringify(output)).toContain('[nested too deep]');
	});

	it('an Extra Body nested that deep: refused before any request', async () => {
		const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { extraBody: deep } }),
			credentials: credentialsFor('openAi', server.url),
		});
		expect(result.error?.message).toBe('Extra Body Parameters nests deeper than 100 levels');
		expect(result.error?.name).toBe('NodeOperationError');
		expect(server.seen).toHaveLength(0);
	});
});
