import type { Fault } from '../support/faultServer';
import { completion, FaultServer, questionOf, useFaultServer } from '../support/faultServer';
import { runWorkflow } from '../support/engine';
import { credentialsFor, KEY, messageParams } from '../support/params';
import { deepSerialize } from '../support/secrets';

const server = useFaultServer();

const ok: Fault = { kind: 'reply', status: 200, body: completion('fine') };
const html502 =
	'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

async function runWith(options: Record<string, unknown> = {}, credentialExtra = {}) {
	const started = Date.now();
	const result = await runWorkflow({
		parameters: messageParams('openAi', { options }),
		credentials: credentialsFor('openAi', server.url, credentialExtra),
	});
	const elapsed = Date.now() - started;
	// Whatever happened, the key must not be anywhere in what n8n keeps of the execution.
	expect(deepSerialize(result.run)).not.toContain(KEY);
	expect(deepSerialize(result.error)).not.toContain(KEY);
	return { ...result, elapsed, attempts: server.seen.length };
}

describe('fault matrix: what the node does with what real APIs do', () => {
	it('429 with Retry-After (seconds): waits that long, then succeeds', async () => {
		server.sequence(
			{
				kind: 'reply',
				status: 429,
				headers: { 'retry-after': '1' },
				body: { error: { message: 'Rate limit reached', type: 'requests' } },
			},
			ok,
		);
		const { error, output, attempts, elapsed } = await runWith();
		expect(error).toBeUndefined();
		expect(output[0].json.text).toBe('fine');
		expect(attempts).toBe(2);
		expect(server.seen[1].at - server.seen[0].at).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeLessThan(5000);
	});

	it('429 with retry-after-ms: honours the milliseconds', async () => {
		server.sequence(
			{
				kind: 'reply',
				status: 429,
				headers: { 'retry-after-ms': '150', 'retry-after': '9' },
				body: {},
			},
			ok,
		);
		const { error, attempts } = await runWith();
		expect(error).toBeUndefined();
		expect(attempts).toBe(2);
		const waited = server.seen[1].at - server.seen[0].at;
		expect(waited).toBeGreaterThanOrEqual(140);
		expect(waited).toBeLessThan(3000);
	});

	it('429 insufficient_quota: no retry, says retrying cannot help', async () => {
		server.reply(429, {
			error: {
				message: 'You exceeded your current quota, please check your plan and billing details.',
				type: 'insufficient_quota',
				code: 'insufficient_quota',
			},
		});
		const { error, attempts } = await runWith();
		expect(attempts).toBe(1);
		expect(error?.message).toBe(
			'OpenAI API error 429: You exceeded your current quota, please check your plan and billing details.',
		);
		expect(error?.description).toMatch(/billing.*Retrying cannot help/);
		expect(error?.httpCode).toBe('429');
	});

	it.each([500, 502, 503, 504, 408, 409])(
		'%i every time: retried Max Retries times with backoff, then the provider message',
		async (status) => {
			server.reply(status, { error: { message: `upstream said ${status}`, type: 'server_error' } });
			const { error, attempts } = await runWith({ maxRetries: 2 });
			expect(attempts).toBe(3);
			expect(error?.message).toBe(
				`OpenAI API error ${status}: upstream said ${status} (after 3 attempts)`,
			);
			expect(error?.httpCode).toBe(String(status));
			// Backoff ~0.5 s then ~1 s, each shortened by at most 25 %.
			const gaps = [server.seen[1].at - server.seen[0].at, server.seen[2].at - server.seen[1].at];
			expect(gaps[0]).toBeGreaterThanOrEqual(360);
			expect(gaps[0]).toBeLessThan(2500);
			expect(gaps[1]).toBeGreaterThanOrEqual(740);
			expect(gaps[1]).toBeLessThan(3500);
		},
	);

	it.each([
		[
			400,
			{ error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error' } },
			"Invalid value for 'temperature'",
			undefined,
		],
		[
			401,
			{
				error: {
					message: 'Incorrect API key provided: sk-te***789',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			},
			'Incorrect API key provided: sk-te***789',
			/API key/,
		],
		[
			403,
			{
				error: { message: 'Project does not have access to model', type: 'invalid_request_error' },
			},
			'Project does not have access to model',
			/API key/,
		],
		[
			404,
			{
				error: {
					message: 'The model `nope` does not exist',
					type: 'invalid_request_error',
					code: 'model_not_found',
				},
			},
			'The model `nope` does not exist',
			/model ID.*Base URL.*\/v1\/chat\/completions/,
		],
		[
			422,
			{
				error: 'Input validation error: `temperature` must be strictly positive',
				error_type: 'validation',
			},
			'Input validation error: `temperature` must be strictly positive',
			undefined,
		],
	])('%i: not retried, the provider message and a hint', async (status, body, message, hint) => {
		server.reply(status, body);
		const { error, attempts } = await runWith();
		expect(attempts).toBe(1);
		expect(error?.message).toBe(`OpenAI API error ${status}: ${message}`);
		if (hint) expect(error?.description).toMatch(hint);
	});

	it('connection reset: retried on a new connection', async () => {
		server.sequence({ kind: 'reset' }, ok);
		const { error, attempts, output } = await runWith();
		expect(error).toBeUndefined();
		expect(attempts).toBe(2);
		expect(output[0].json.text).toBe('fine');
	});

	it('connection reset every time: a clear network error after the retries', async () => {
		server.sequence({ kind: 'reset' });
		const { error, attempts } = await runWith({ maxRetries: 1 });
		expect(attempts).toBe(2);
		expect(error?.message).toBe(
			'OpenAI request failed: the connection was reset (after 2 attempts)',
		);
		expect(error?.description).toMatch(/ECONNRESET/);
	});

	it('a hang past the timeout: each attempt is cut at the timeout, the error says after how long', async () => {
		server.sequence({ kind: 'hang' });
		const { error, attempts, elapsed } = await runWith({ timeout: 400, maxRetries: 1 });
		expect(attempts).toBe(2);
		expect(error?.message).toBe('OpenAI request timed out after 0.4 s (after 2 attempts)');
		expect(elapsed).toBeGreaterThanOrEqual(800);
		expect(elapsed).toBeLessThan(6000);
	});

	it('accepts a timeout of 15 minutes (the node sets no 5-minute cap)', async () => {
		server.sequence({ kind: 'reply', status: 200, body: completion('slow but fine'), delayMs: 50 });
		const { error } = await runWith({ timeout: 15 * 60_000 });
		expect(error).toBeUndefined();
	});

	it('malformed JSON with status 200: an error, not an empty answer', async () => {
		server.reply(200, '{"id": "chatcmpl-1", "choices": [');
		const { error, attempts } = await runWith();
		expect(attempts).toBe(1);
		expect(error?.message).toMatch(
			/^OpenAI answered with status 200 but not with a chat completion: \{"id": "chatcmpl-1", "choices": \[/,
		);
	});

	it('an HTML 502 page: retried, then reported by its title', async () => {
		server.reply(502, html502);
		const { error, attempts } = await runWith({ maxRetries: 1 });
		expect(attempts).toBe(2);
		expect(error?.message).toBe('OpenAI API error 502: 502 Bad Gateway (after 2 attempts)');
	});

	it('an empty 500 body: says so', async () => {
		server.reply(500, '');
		const { error } = await runWith({ maxRetries: 0 });
		expect(error?.message).toBe('OpenAI API error 500: HTTP 500 with an empty body');
	});

	it('200 with empty choices: an error', async () => {
		server.reply(200, { ...completion('x'), choices: [] });
		const { error, attempts } = await runWith();
		expect(attempts).toBe(1);
		expect(error?.message).toMatch(
			/^OpenAI answered with status 200 but not with a chat completion/,
		);
	});

	it('200 carrying an error object: the error message', async () => {
		server.reply(200, { error: { message: 'The upstream model is overloaded', code: 503 } });
		const { error } = await runWith();
		expect(error?.message).toBe(
			'OpenAI answered with status 200 but not with a chat completion: The upstream model is overloaded',
		);
	});

	it('a cancelled execution stops waiting at once', async () => {
		server.reply(429, {}, { 'retry-after': '30' });
		const started = Date.now();
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url),
			onStart: (cancel) => setTimeout(cancel, 300),
		});
		expect(Date.now() - started).toBeLessThan(5000);
		expect(server.seen).toHaveLength(1);
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
	});

	it('a cancelled execution aborts the request in flight', async () => {
		server.sequence({ kind: 'hang' });
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', server.url),
			onStart: (cancel) => setTimeout(cancel, 300),
		});
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
		expect(server.seen).toHaveLength(1);
		// n8n ties the request to the cancel signal: the connection closes now, not at the Timeout.
		await server.waitForNoConnections();
		expect(server.openConnections).toBe(0);
	});

	it('a redirect is not followed: no request (and no key) reaches the other address', async () => {
		const elsewhere = await new FaultServer().start();
		server.reply(307, '', { location: `${elsewhere.url}/v1/chat/completions` });
		try {
			const { error, attempts } = await runWith();
			expect(error?.message).toBe('OpenAI API error 307: redirect not followed');
			expect(error?.description).toContain(
				`Set the credential's Base URL to the final address. The server points to ${elsewhere.url}/v1/chat/completions.`,
			);
			expect(attempts).toBe(1);
			expect(elsewhere.seen).toHaveLength(0);
		} finally {
			await elsewhere.stop();
		}
	});

	it('custom header values never appear in errors either', async () => {
		server.sequence({ kind: 'reset' });
		const result = await runWith(
			{ maxRetries: 0 },
			{ customHeaders: { headers: [{ name: 'X-Gateway-Key', value: 'gw-SECRET-42' }] } },
		);
		expect(deepSerialize(result.run)).not.toContain('gw-SECRET-42');
	});
});

describe('Continue On Fail', () => {
	it('gives exactly one output item per input item, paired, errors included', async () => {
		server.decide = (request) =>
			questionOf(request) === 'fail me'
				? { kind: 'reply', status: 400, body: { error: { message: 'Bad request for this one' } } }
				: ok;
		const items = [{ question: 'a' }, { question: '' }, { question: 'fail me' }, { question: 'd' }];
		const result = await runWorkflow({
			parameters: messageParams('openAi', {
				messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
			}),
			credentials: credentialsFor('openAi', server.url),
			items,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.output.map((item) => item.json.text ?? item.json.error)).toEqual([
			'fine',
			'Message 1 has empty content',
			'OpenAI API error 400: Bad request for this one',
			'fine',
		]);
		// The item with empty content never reached the server.
		expect(server.seen).toHaveLength(3);
		expect(deepSerialize(result.run)).not.toContain(KEY);
	});

	it('a credential with a bad base URL fails each item, still paired', async () => {
		const result = await runWorkflow({
			parameters: messageParams('openAi'),
			credentials: credentialsFor('openAi', 'ftp://example.test'),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.output).toHaveLength(2);
		expect(result.output[1]).toEqual({
			json: expect.objectContaining({
				error:
					'The Base URL of the OpenAI credential must start with http:// or https:// (got "ftp:")',
			}),
			pairedItem: { item: 1 },
		});
	});
});

describe('soak', () => {
	it('1,000 items with 20 % transient faults and Continue On Fail: 1,000 paired successes', async () => {
		const faulty = (index: number) => (index * 7) % 10 < 2; // 20 % of the items, spread out
		const faultsSent = new Map<number, number>();
		const kinds: Fault[] = [
			{
				kind: 'reply',
				status: 429,
				headers: { 'retry-after-ms': '20' },
				body: { error: { message: 'slow down' } },
			},
			{
				kind: 'reply',
				status: 503,
				headers: { 'retry-after-ms': '20' },
				body: '<html><title>503</title></html>',
			},
			{ kind: 'reset' },
			{
				kind: 'reply',
				status: 500,
				headers: { 'retry-after': '0' },
				body: { error: { message: 'oops' } },
			},
		];
		server.decide = (request) => {
			const index = Number(questionOf(request));
			if (faulty(index) && !faultsSent.has(index)) {
				faultsSent.set(index, 1);
				return kinds[index % kinds.length];
			}
			return { kind: 'reply', status: 200, body: completion(`answer ${index}`) };
		};
		const items = Array.from({ length: 1000 }, (_, index) => ({ question: String(index) }));
		const result = await runWorkflow({
			parameters: messageParams('openAi', { options: { maxConcurrency: 20, maxRetries: 3 } }),
			credentials: credentialsFor('openAi', server.url),
			items,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(faultsSent.size).toBe(200);
		expect(result.output).toHaveLength(1000);
		result.output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.text).toBe(`answer ${index}`);
		});
		expect(server.seen).toHaveLength(1200);
	}, 120_000);
});

describe('a bad credential with every item failing validation', () => {
	it('fails each item without leaving a rejection unhandled', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			const result = await runWorkflow({
				parameters: messageParams('openAi', {
					messagesInputMode: 'json',
					messagesJson: 'not json',
				}),
				credentials: credentialsFor('openAi', 'ftp://nope'),
				items: [{}, {}],
				continueOnFail: true,
			});
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(result.output.map((item) => item.json.error)).toEqual([
				expect.stringMatching(/^Messages \(JSON\) is not valid JSON/),
				expect.stringMatching(/^Messages \(JSON\) is not valid JSON/),
			]);
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});
});
