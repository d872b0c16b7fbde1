import { FaultServer, useFaultServer } from '../support/faultServer';
import { credentialTypes, runWorkflow, testCredential } from '../support/engine';
import { credentialTypeOf, KEY, messageParams, PROVIDER_IDS, PROVIDERS } from '../support/params';

// Like a real provider: a wrong key gets OpenAI's own 401 body.
const server = useFaultServer({ key: KEY });

const DEFAULTS: Record<string, string[]> = {
	llmChatTogetherAiApi: ['Together AI API', 'https://api.together.xyz', 'v1'],
	llmChatHuggingFaceTgiApi: [
		'Hugging Face Router or TGI API',
		'https://router.huggingface.co',
		'v1',
	],
	llmChatOpenAiApi: ['OpenAI API', 'https://api.openai.com', 'v1'],
};

describe.each(PROVIDER_IDS)('%s credential', (provider) => {
	const type = credentialTypeOf(provider);

	it('declares API key, base URL, API version and custom headers with the provider defaults', () => {
		const credential = credentialTypes[type];
		const [displayName, baseUrl, apiVersion] = DEFAULTS[type];
		expect(credential.displayName).toBe(displayName);
		const fields = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		// Hugging Face also asks which server the Base URL points at: the router or a self-hosted TGI.
		expect(Object.keys(fields)).toEqual([
			...(provider === 'huggingFaceTgi' ? ['serverKind'] : []),
			'apiKey',
			'baseUrl',
			'apiVersion',
			'customHeaders',
		]);
		if (provider === 'huggingFaceTgi') {
			expect(fields.serverKind.default).toBe('router');
			expect(fields.serverKind.options?.map((o) => (o as { value: string }).value)).toEqual([
				'router',
				'selfHosted',
			]);
		}
		expect(fields.apiKey).toMatchObject({
			type: 'string',
			typeOptions: { password: true },
			required: true,
		});
		expect(fields.baseUrl).toMatchObject({ default: baseUrl, required: true });
		expect(fields.apiVersion.default).toBe(apiVersion);
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	it('Test button: the right key (with stray whitespace) succeeds with GET {base}/{version}/models', async () => {
		const result = await testCredential(type, {
			apiKey: `  ${KEY}\n`,
			baseUrl: `${server.url}/`,
			apiVersion: '/v1/',
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful: 1 model available' });
		expect(server.seen).toHaveLength(1);
		expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
		expect(server.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
	});

	it("Test button: a wrong key shows the provider's own message", async () => {
		const result = await testCredential(type, {
			apiKey: 'wrong-key',
			baseUrl: server.url,
			apiVersion: 'v1',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^401: Incorrect API key provided/);
	});

	it('Test button: a 200 HTML page (wrong base URL) fails', async () => {
		server.reply(
			200,
			'<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>',
		);
		const result = await testCredential(type, {
			apiKey: KEY,
			baseUrl: server.url,
			apiVersion: 'v1',
		});
		expect(result.status).toBe('Error');
		// The same wording as List Models and the model picker (one model-list check for all three).
		expect(result.message).toBe(
			`${PROVIDERS[provider].displayName} answered with status 200 but not with a model list: Welcome to nginx!. Check the Base URL and API Version of the credential: they must point at an OpenAI-compatible API (the request went to ${server.url}/v1/models).`,
		);
	});

	it('Test button: an unreachable server or a bad URL fails with a reason', async () => {
		const closed = await testCredential(type, {
			apiKey: KEY,
			baseUrl: 'http://127.0.0.1:9',
			apiVersion: 'v1',
		});
		expect(closed.status).toBe('Error');
		expect(closed.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9\/v1\/models/);
		const bad = await testCredential(type, {
			apiKey: KEY,
			baseUrl: 'localhost:8080',
			apiVersion: 'v1',
		});
		expect(bad).toEqual({
			status: 'Error',
			message: 'Base URL must start with http:// or https:// (got "localhost:")',
		});
	});

	it('Test button: a redirect is reported with its target, not followed with the key', async () => {
		const elsewhere = await new FaultServer().start();
		server.reply(301, undefined, { location: `${elsewhere.url}/v1/models` });
		try {
			const result = await testCredential(type, {
				apiKey: KEY,
				baseUrl: server.url,
				apiVersion: 'v1',
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^301: The server answered with a redirect/);
			expect(result.message).toContain(`The server points to ${elsewhere.url}/v1/models.`);
			expect(elsewhere.seen).toHaveLength(0);
		} finally {
			await elsewhere.stop();
		}
	});

	it('custom headers go with the test request and with chat requests', async () => {
		const customHeaders = {
			headers: [
				{ name: 'X-Proxy-Token', value: 'proxy-1' },
				{ name: ' ', value: 'ignored' },
			],
		};
		await testCredential(type, {
			apiKey: KEY,
			baseUrl: server.url,
			apiVersion: 'v1',
			customHeaders,
		});
		const run = await runWorkflow({
			parameters: messageParams(provider),
			credentials: {
				[type]: { apiKey: KEY, baseUrl: server.url, apiVersion: 'v1', customHeaders },
			},
		});
		expect(run.error).toBeUndefined();
		expect(
			server.seen.map((r) => [r.url, r.headers['x-proxy-token'], r.headers.authorization]),
		).toEqual([
			['/v1/models', 'proxy-1', `Bearer ${KEY}`],
			['/v1/chat/completions', 'proxy-1', `Bearer ${KEY}`],
			// Where the model list has prices, once per credential for the output's cost.
			...(PROVIDERS[provider].priceList ? [['/v1/models', 'proxy-1', `Bearer ${KEY}`]] : []),
		]);
	});
});
