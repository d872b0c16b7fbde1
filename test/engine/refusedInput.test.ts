// What can never work is refused before any request, with a clear error naming the field:
// credentials a client would silently change, and options accepted today that should not be.
process.env.N8N_LOG_LEVEL = 'debug';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { captureLogs } from '../support/logCapture';

import { runWorkflow, testCredential } from '../support/engine';
import { completion, useFaultServer } from '../support/faultServer';
import { choice } from '../support/fixtures';
import { runModelWorkflow } from '../support/modelEngine';
import {
	credentialsFor,
	credentialTypeOf,
	KEY,
	messageParams,
	PROVIDER_IDS,
} from '../support/params';
import { deepSerialize } from '../support/secrets';

const server = useFaultServer();
const type = credentialTypeOf('openAi');

async function runWith(
	credential: ICredentialDataDecryptedObject,
	parameters = messageParams('openAi'),
) {
	const { result, logs } = await captureLogs(
		async () => await runWorkflow({ parameters, credentials: { [type]: credential } }),
	);
	return { ...result, logs };
}

describe('credentials refused before any request', () => {
	const base = () => credentialsFor('openAi', server.url)[type];

	it.each([
		[
			'user and password in the Base URL',
			{ baseUrl: 'http://admin:hunter2-PASSWORD@127.0.0.1:1' },
			'Base URL',
			'must not contain a user name or password',
			'hunter2-PASSWORD',
		],
		[
			'a query in the Base URL',
			{ baseUrl: 'http://127.0.0.1:1/v1?api_key=QUERY-SECRET-1' },
			'Base URL',
			'must not contain a query',
			'QUERY-SECRET-1',
		],
		[
			'a fragment in the Base URL',
			{ baseUrl: 'http://127.0.0.1:1/#FRAGMENT-SECRET' },
			'Base URL',
			'must not contain a fragment',
			'FRAGMENT-SECRET',
		],
		[
			'an invalid URL with a password',
			{ baseUrl: 'http://admin:pass word-SECRET@ bad' },
			'Base URL',
			'"http://***@ bad" is not a valid URL',
			'word-SECRET',
		],
		[
			'a key with an inner line break',
			{ apiKey: 'sk-first-half\nsk-second-HALF' },
			'API Key',
			'contains a line break',
			'second-HALF',
		],
		[
			'a key with a tab',
			{ apiKey: 'sk-with\ttab-SECRET' },
			'API Key',
			'contains a tab',
			'tab-SECRET',
		],
		[
			'a key with a control character',
			{ apiKey: 'sk-ctrl\u0007-SECRET' },
			'API Key',
			'contains a control character (U+0007)',
			'ctrl',
		],
		[
			'a key with an inner space',
			{ apiKey: 'sk-two words-SECRET' },
			'API Key',
			'contains a space',
			'words-SECRET',
		],
		[
			'a key outside ASCII',
			{ apiKey: 'sk-é-SECRET' },
			'API Key',
			'contains a character outside ASCII (U+00E9)',
			'é-SECRET',
		],
		['a blank key', { apiKey: '   ' }, 'API Key', 'is empty', undefined],
		[
			'a header value with CR/LF',
			{ customHeaders: { headers: [{ name: 'X-Gw', value: 'a\r\nX-Injected: HEADER-SECRET' }] } },
			'Custom Headers (X-Gw)',
			'has a value that contains a line break',
			'HEADER-SECRET',
		],
		[
			'a header that frames the message',
			{ customHeaders: { headers: [{ name: 'Content-Length', value: '10' }] } },
			'Custom Headers (Content-Length)',
			'may not set Content-Length: the HTTP client sets it for each request',
			undefined,
		],
		[
			'a header name with a space',
			{ customHeaders: { headers: [{ name: 'X Gw', value: 'v' }] } },
			'Custom Headers (a header)',
			'has a name with characters a header name cannot have ("X Gw")',
			undefined,
		],
	])('%s', async (_case, change, field, problem, secret) => {
		const credential = { ...base(), ...change };
		const { error, run, logs } = await runWith(credential);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(`The ${field} of the OpenAI credential ${problem}`);
		expect(server.seen).toHaveLength(0);
		const test = await testCredential(type, credential);
		expect(test).toEqual({
			status: 'Error',
			message: expect.stringContaining(`${field} ${problem}`),
		});
		expect(server.seen).toHaveLength(0);
		if (secret) {
			expect(deepSerialize(run)).not.toContain(secret);
			expect(logs).not.toContain(secret);
			expect(JSON.stringify(test)).not.toContain(secret);
		}
	});

	it('LLM Chat Model refuses the same, before the agent sends anything', async () => {
		const result = await runModelWorkflow({
			parameters: { provider: 'openAi', model: 'test-model' },
			credentials: { [type]: { ...base(), apiKey: 'sk-a\nb' } },
			scenario: 'chat',
		});
		expect(result.error?.message).toContain(
			'The API Key of the OpenAI credential contains a line break',
		);
		expect(server.seen).toHaveLength(0);
	});

	it('a key pasted with a trailing newline, and header values with outer spaces, still work (trimmed)', async () => {
		const { error } = await runWith({
			...base(),
			apiKey: `  ${KEY}\n`,
			customHeaders: { headers: [{ name: 'X-Gw', value: ' gw-1 ' }] },
		});
		expect(error).toBeUndefined();
		expect(server.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
		expect(server.seen[0].headers['x-gw']).toBe('gw-1');
	});
});

describe('options refused before any request, naming the field and the item', () => {
	const credentials = () => credentialsFor('openAi', server.url);

	it.each([
		[{ requestsPerMinute: -1 }, 'Requests per Minute must be between 0 and 1000000 (got -1)'],
		[{ requestsPerMinute: 0.5 }, 'Requests per Minute must be a whole number (got 0.5)'],
		[{ requestsPerMinute: '={{ "sixty" }}' }, 'Requests per Minute must be a number (got "sixty")'],
		[{ maxConcurrency: 0 }, 'Max Concurrent Requests must be between 1 and 100 (got 0)'],
		[{ maxConcurrency: '={{ -1 }}' }, 'Max Concurrent Requests must be between 1 and 100 (got -1)'],
		[{ extraBody: '{"stream": true}' }, 'Extra Body Parameters may not set "stream"'],
		[{ maxResponseSize: 0 }, 'Max Response Size (MB) must be between 1 and 1024 (got 0)'],
	])('%j', async (options, message) => {
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options }),
			credentials: credentials(),
			items: [{ question: 'a' }, { question: 'b' }],
			continueOnFail: true,
		});
		expect(server.seen).toHaveLength(0);
		// Continue On Fail: one error item per input, each paired.
		expect(result.output.map((item) => [item.json.error, item.pairedItem])).toEqual([
			[message, { item: 0 }],
			[message, { item: 1 }],
		]);
		const failed = await runWorkflow({
			parameters: messageParams('openAi', { options }),
			credentials: credentials(),
		});
		expect(failed.error?.message).toBe(message);
		expect(failed.error?.context?.itemIndex).toBe(0);
	});

	it('Requests per Minute 0 still means no limit', async () => {
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { requestsPerMinute: 0 } }),
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(server.seen).toHaveLength(1);
	});

	it('LLM Chat Model checks Requests per Minute too', async () => {
		const result = await runModelWorkflow({
			parameters: { provider: 'openAi', model: 'test-model', options: { requestsPerMinute: 0.5 } },
			credentials: credentials(),
			scenario: 'chat',
		});
		expect(result.error?.message).toBe('Requests per Minute must be a whole number (got 0.5)');
		expect(server.seen).toHaveLength(0);
	});

	it('a data: URL image over 20 MB is refused like a 20 MB file', async () => {
		const dataUrl = `data:image/png;base64,${'A'.repeat(Math.ceil((20 * 1024 * 1024 + 3) / 3) * 4)}`;
		const result = await runWorkflow({
			parameters: messageParams('openAi', {
				messages: {
					values: [
						{
							role: 'user',
							content: 'What is it?',
							images: { values: [{ source: 'url', url: dataUrl }] },
						},
					],
				},
			}),
			credentials: credentials(),
		});
		expect(result.error?.message).toBe(
			'Message 1, Image 1: the data: URL is 20.1 MB, more than the 20 MB an image may have [item 0]',
		);
		expect(server.seen).toHaveLength(0);
	});
});

describe.each(PROVIDER_IDS)('%s: a reply whose content is not text', (provider) => {
	it.each([
		[{ answer: 42 }, '{"answer":42}'],
		[42, '42'],
		[true, 'true'],
	])('content %j is kept as its JSON text, not dropped', async (content, text) => {
		server.reply(200, completion('', { choices: [choice({ role: 'assistant', content })] }));
		const result = await runWorkflow({
			parameters: messageParams(provider),
			credentials: credentialsFor(provider, server.url),
		});
		expect(result.output[0].json.text).toBe(text);
	});
});
