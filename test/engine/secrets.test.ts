// n8n's own logger writes at debug level during these runs, so the captured logs are real.
process.env.N8N_LOG_LEVEL = 'debug';
// Before n8n-core is loaded: its logger binds the console when it is created.
import { captureLogs } from '../support/logCapture';

import type { EchoCase, EchoResponse } from '../support/echoCases';
import { echoCases } from '../support/echoCases';
import { runWorkflow, testCredential } from '../support/engine';
import type { Fault, Seen } from '../support/faultServer';
import { completion, useFaultServer } from '../support/faultServer';
import { credentialTypeOf, messageParams, PROVIDER_IDS } from '../support/params';
import type { ProviderId } from '../support/params';
import { describeWithRealResponses, recordedCase } from '../support/realResponses';
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

// The recordings echo the harness's own test key and gateway header value; the cases
// written here use the same ones.
const HARNESS_KEY = 'sk-harness-echo-7f3a9c';
const HARNESS_HEADER_VALUE = 'gw-secret-55';
const harness = (baseUrl: string) => ({
	apiKey: HARNESS_KEY,
	baseUrl,
	apiVersion: 'v1',
	customHeaders: { headers: [{ name: 'X-Gw', value: HARNESS_HEADER_VALUE }] },
});
const asFault = ({ status, headers, body }: EchoResponse): Fault => ({
	kind: 'reply',
	status,
	headers,
	body,
});

/** The node (Continue On Fail) and the Test button meet one echoing answer; neither shows the secrets. */
async function expectEchoRedacted(echo: EchoCase) {
	server.decide = (request) =>
		asFault(request.method === 'GET' && echo.models ? echo.models : echo.chat);
	const credentials = { llmChatOpenAiApi: harness(server.url) };
	const { result, logs } = await captureLogs(
		async () =>
			await runWorkflow({
				parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
				credentials,
				continueOnFail: true,
			}),
	);
	expect(server.seen[0].headers.authorization).toBe(`Bearer ${HARNESS_KEY}`);
	for (const text of [deepSerialize(result.run), logs]) {
		expect(text).not.toContain(HARNESS_KEY);
		expect(text).not.toContain(HARNESS_HEADER_VALUE);
	}
	const item = result.output[0].json;
	expect(String(echo.shows === 'error' ? item.error : item.text)).toContain('***');
	const test = await captureLogs(
		async () => await testCredential('llmChatOpenAiApi', credentials.llmChatOpenAiApi),
	);
	for (const text of [JSON.stringify(test.result), test.logs]) {
		expect(text).not.toContain(HARNESS_KEY);
		expect(text).not.toContain(HARNESS_HEADER_VALUE);
	}
	if (echo.shows === 'error') expect(test.result.status).toBe('Error');
}

describe('echo cases in the shapes of the recorded ones (written in test/support/echoCases.ts)', () => {
	const cases = echoCases(HARNESS_KEY, HARNESS_HEADER_VALUE);
	it.each(Object.keys(cases))('%s', async (name) => await expectEchoRedacted(cases[name]));
});

describeWithRealResponses('recorded echo cases (../shared/real-responses)', () => {
	// Read inside the tests: without the recordings this body still runs, to list them.
	it.each(['openai--401-echoes-key', 'openai--400-echoes-header', 'openai--502-echoes-key'])(
		'%s',
		async (name) => await expectEchoRedacted({ chat: recordedCase(name).response, shows: 'error' }),
	);
});
