// n8n's own logger writes at debug level during these runs, so the captured logs are real.
process.env.N8N_LOG_LEVEL = 'debug';
// Before n8n-core is loaded: its logger binds the console when it is created.
import { captureLogs } from '../support/logCapture';

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { runWorkflow, testCredential } from '../support/engine';
import type { Fault, Seen } from '../support/faultServer';
import { completion, useFaultServer } from '../support/faultServer';
import { credentialTypeOf, messageParams, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';
import { packageRoot } from '../support/root';
import { deepSerialize } from '../support/secrets';

const server = useFaultServer();

const KEY = 'sk-echo-SECRET-9f8e7d6c5b';
const HEADER_VALUE = 'gw-tenant-SECRET-31';
const SHORT_HEADER_VALUE = 'q7z';
const SECRETS = [KEY, HEADER_VALUE];

const credentialsWithHeaders = (provider: ProviderId) => ({
	[credentialTypeOf(provider)]: {
		apiKey: KEY,
		baseUrl: server.url,
		apiVersion: 'v1',
		customHeaders: {
			headers: [
				{ name: 'X-Gw', value: HEADER_VALUE },
				{ name: 'X-Short', value: SHORT_HEADER_VALUE },
			],
		},
	},
});

/** What a careless server or gateway puts back: every secret it was sent, in one form or another. */
const echoes: Record<string, (request: Seen) => Fault> = {
	'a JSON error': (request) => ({
		kind: 'reply',
		status: 401,
		body: {
			error: {
				message: `Invalid token: ${request.headers.authorization}; X-Gw: ${request.headers['x-gw']}; X-Short: ${request.headers['x-short']}`,
				type: 'invalid_request_error',
			},
		},
	}),
	'a text/plain body': (request) => ({
		kind: 'reply',
		status: 400,
		headers: { 'content-type': 'text/plain' },
		body: `rejected Authorization=${request.headers.authorization} tenant=${request.headers['x-gw']}`,
	}),
	'an HTML title': (request) => ({
		kind: 'reply',
		status: 502,
		body: `<html><head><title>502: ${request.headers.authorization}</title></head><body>${request.headers['x-gw']}</body></html>`,
	}),
	'a response header': (request) => ({
		kind: 'reply',
		status: 307,
		headers: {
			location: `http://127.0.0.1:1/login?token=${request.headers.authorization?.slice(7)}`,
			'x-echo': String(request.headers.authorization),
		},
		body: { error: { message: `redirecting ${request.headers['x-gw']}` } },
	}),
	'a successful reply': (request) =>
		request.method === 'GET'
			? { kind: 'reply', status: 200, body: { data: [{ id: request.headers.authorization }] } }
			: {
					kind: 'reply',
					status: 200,
					body: completion(
						`You sent ${request.headers.authorization} and ${request.headers['x-gw']}`,
					),
				},
};

const expectNoSecret = (text: string) => {
	for (const secret of SECRETS) expect(text).not.toContain(secret);
	expect(text).not.toMatch(new RegExp(`\\b${SHORT_HEADER_VALUE}\\b`));
};

describe.each(PROVIDER_IDS)('%s: an echoed secret never leaves the package', (provider) => {
	describe.each(Object.keys(echoes))('echoed in %s', (echo) => {
		it.each([false, true])('in the node (Continue On Fail %s)', async (continueOnFail) => {
			server.decide = echoes[echo];
			const { result, logs } = await captureLogs(
				async () =>
					await runWorkflow({
						parameters: messageParams(provider, { options: { maxRetries: 0 } }),
						credentials: credentialsWithHeaders(provider),
						continueOnFail,
					}),
			);
			// The server really saw the secrets, and echoed them.
			expect(server.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
			expectNoSecret(deepSerialize(result.run));
			expectNoSecret(deepSerialize(result.error));
			expectNoSecret(logs);
			if (result.error) expect(logs).toContain(result.error.message); // n8n did log the failure
			const shown = result.error
				? `${result.error.message} ${result.error.description}`
				: JSON.stringify(result.output);
			expect(shown).toContain('***');
			if (continueOnFail) expect(result.output).toHaveLength(1);
		});

		it('on the Test button', async () => {
			server.decide = echoes[echo];
			const type = credentialTypeOf(provider);
			const { result, logs } = await captureLogs(
				async () => await testCredential(type, credentialsWithHeaders(provider)[type]),
			);
			expectNoSecret(JSON.stringify(result));
			expectNoSecret(logs);
		});
	});
});

describe('recorded echo cases (../shared/real-responses)', () => {
	const dir = path.resolve(packageRoot(__dirname), '..', 'shared', 'real-responses');
	const recorded = (name: string): Fault => {
		const { response } = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'));
		return {
			kind: 'reply',
			status: response.status,
			headers: response.headers,
			body: response.body,
		};
	};
	// The recordings echo the harness's own test key and gateway header value.
	const harness = {
		llmChatOpenAiApi: {
			apiKey: 'sk-harness-echo-7f3a9c',
			baseUrl: '',
			apiVersion: 'v1',
			customHeaders: { headers: [{ name: 'X-Gw', value: 'gw-secret-55' }] },
		},
	};

	it.each(['openai--401-echoes-key', 'openai--400-echoes-header', 'openai--502-echoes-key'])(
		'%s',
		async (name) => {
			server.sequence(recorded(name));
			harness.llmChatOpenAiApi.baseUrl = server.url;
			const result = await runWorkflow({
				parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
				credentials: harness,
				continueOnFail: true,
			});
			const serialized = deepSerialize(result.run);
			expect(serialized).not.toContain('sk-harness-echo-7f3a9c');
			expect(serialized).not.toContain('gw-secret-55');
			expect(String(result.output[0].json.error)).toContain('***');
			const test = await testCredential('llmChatOpenAiApi', harness.llmChatOpenAiApi);
			expect(test.status).toBe('Error');
			expect(test.message).not.toContain('sk-harness-echo-7f3a9c');
			expect(test.message).not.toContain('gw-secret-55');
		},
	);
});
