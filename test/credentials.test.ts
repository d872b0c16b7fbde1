/**
 * The three credentials through n8n's real machinery: the Test button (CredentialTestContext,
 * legacy request helper), and the credential's authenticate applied by the engine's
 * httpRequestWithAuthentication when the node sends a chat completion.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialTypes, runWorkflow, searchModels, testCredential } from './harness/engine';
import type { FakeServer } from './harness/server';
import { DEFAULT_API_KEY, startServer } from './harness/server';

const CASES = [
	{ type: 'llmChatOpenAiApi', provider: 'openAi', defaultVersion: 'v1' },
	{ type: 'llmChatTogetherAiApi', provider: 'togetherAi', defaultVersion: 'v1' },
	{ type: 'llmChatHuggingFaceTgiApi', provider: 'huggingFaceTgi', defaultVersion: 'v3/openai' },
] as const;

let server: FakeServer;

beforeAll(async () => {
	server = await startServer();
});

afterEach(() => server.reset());

afterAll(async () => {
	await server.close();
});

const CUSTOM_HEADERS = {
	headers: [
		{ name: 'X-Gateway-Token', value: 'gw-secret' },
		{ name: 'X-Team', value: 'research' },
	],
};

describe.each(CASES)('$type', ({ type, provider, defaultVersion }) => {
	const data = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		apiKey: DEFAULT_API_KEY,
		baseUrl: server.url,
		apiVersion: 'v1',
		...extra,
	});

	test('is shipped with the expected defaults', () => {
		const properties = credentialTypes[type].properties;
		const defaultOf = (name: string) => properties.find((p) => p.name === name)?.default;
		expect(defaultOf('apiVersion')).toBe(defaultVersion);
		expect(typeof credentialTypes[type].authenticate).toBe('function');
		expect(credentialTypes[type].test).toBeUndefined();
	});

	test('right key (with stray whitespace): OK, GET {base}/{version}/models with the trimmed Bearer key', async () => {
		const result = await testCredential(type, data({ apiKey: `  ${DEFAULT_API_KEY}\n` }));

		expect(result.status).toBe('OK');
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/models');
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_API_KEY}`);
	});

	test('the default API version is used when the credential leaves it unset', async () => {
		const { apiVersion: _omitted, ...withoutVersion } = data();
		const result = await testCredential(type, withoutVersion);

		expect(server.requests.map((r) => r.path)).toEqual([`/${defaultVersion}/models`]);
		expect(result.status).toBe('OK');
	});

	test('an empty API version requests {base}/models', async () => {
		const result = await testCredential(type, data({ apiVersion: '' }));

		expect(result.status).toBe('OK');
		expect(server.requests.map((r) => r.path)).toEqual(['/models']);
	});

	test("wrong key: Error with the provider's own message", async () => {
		const result = await testCredential(type, data({ apiKey: 'sk-wrong-key-0000' }));

		expect(result.status).toBe('Error');
		expect(result.message).toContain('Incorrect API key provided');
		expect(server.requests[0].headers.authorization).toBe('Bearer sk-wrong-key-0000');
	});

	test('a 200 HTML page (wrong base URL) is an Error, not OK', async () => {
		server.setHandler(() => ({
			status: 200,
			headers: { 'content-type': 'text/html; charset=utf-8' },
			body: '<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>',
		}));

		const result = await testCredential(type, data());

		expect(result.status).toBe('Error');
		expect(result.message).not.toMatch(/^Connection successful/);
	});

	test('a 200 JSON that is not a model list is an Error', async () => {
		server.setHandler(() => ({ status: 200, body: { status: 'ok' } }));

		const result = await testCredential(type, data());

		expect(result.status).toBe('Error');
	});

	test('an unreachable base URL is an Error, not a thrown exception', async () => {
		const closed = await startServer();
		await closed.close();

		const result = await testCredential(type, data({ baseUrl: closed.url }));

		expect(result.status).toBe('Error');
	});

	test('custom headers arrive on the test request, next to the Bearer key', async () => {
		const result = await testCredential(type, data({ customHeaders: CUSTOM_HEADERS }));

		expect(result.status).toBe('OK');
		const { headers } = server.requests[0];
		expect(headers['x-gateway-token']).toBe('gw-secret');
		expect(headers['x-team']).toBe('research');
		expect(headers.authorization).toBe(`Bearer ${DEFAULT_API_KEY}`);
	});

	test('a chat completion run by the node carries the Bearer key and the custom headers', async () => {
		const { output, error, status } = await runWorkflow({
			nodeParameters: {
				provider,
				operation: 'message',
				model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
				messages: { values: [{ role: 'user', content: 'Hello there' }] },
			},
			credentials: { [type]: data({ apiKey: `${DEFAULT_API_KEY} `, customHeaders: CUSTOM_HEADERS }) },
		});

		expect(error).toBeUndefined();
		expect(status).toBe('success');
		expect(output?.[0].json.text).toBe('Echo: Hello there');
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/chat/completions');
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_API_KEY}`);
		expect(request.headers['x-gateway-token']).toBe('gw-secret');
		expect(request.headers['x-team']).toBe('research');
	});

	test('a wrong key fails the node run with the provider message', async () => {
		const { error, status } = await runWorkflow({
			nodeParameters: {
				provider,
				model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
				messages: { values: [{ role: 'user', content: 'Hello' }] },
			},
			credentials: { [type]: data({ apiKey: 'sk-wrong-key-0000' }) },
		});

		expect(status).toBe('error');
		expect(error?.message).toContain('Incorrect API key provided');
		// A 401 cannot be cured by retrying.
		expect(server.requests).toHaveLength(1);
	});

	test('the model picker sends the key and custom headers too', async () => {
		const result = await searchModels({
			nodeParameters: { provider },
			credentials: { [type]: data({ customHeaders: CUSTOM_HEADERS }) },
		});

		expect(result.results.length).toBeGreaterThan(0);
		const [request] = server.requests;
		expect(request.path).toBe('/v1/models');
		expect(request.headers.authorization).toBe(`Bearer ${DEFAULT_API_KEY}`);
		expect(request.headers['x-gateway-token']).toBe('gw-secret');
	});
});
