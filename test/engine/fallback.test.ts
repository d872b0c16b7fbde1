// Fallback Models through n8n's engine: which failures move on to the next model, and which never do.
import type { IDataObject } from 'n8n-workflow';

import type { StreamChunk } from '../support/engine';
import { runWorkflow } from '../support/engine';
import type { Fault, Seen } from '../support/faultServer';
import { useFaultServer } from '../support/faultServer';
import { completion, streamEvents } from '../support/fixtures';
import { credentialsFor, messageParams } from '../support/params';
import type { ProviderId } from '../support/params';

const server = useFaultServer();

// Each test its own credential: the cool-down is shared by executions on one credential.
let credential = 0;

/** Requests per model, chat requests only. */
const perModel = () =>
	server.chats.reduce<Record<string, number>>((counts, request) => {
		const model = String(request.body?.model);
		counts[model] = (counts[model] ?? 0) + 1;
		return counts;
	}, {});

/** `primary` gets `fault`; every other model answers as the provider would. */
function primaryFails(fault: Fault) {
	server.decide = (request: Seen) =>
		request.body?.model === 'primary' ? fault : server.asProvider(request);
}

async function run(
	options: IDataObject,
	{
		provider = 'openAi' as ProviderId,
		credentialId = String(++credential),
		onChunk,
		continueOnFail,
	}: {
		provider?: ProviderId;
		credentialId?: string;
		onChunk?: (chunk: StreamChunk) => void;
		continueOnFail?: boolean;
	} = {},
) {
	return await runWorkflow({
		parameters: messageParams(provider, {
			model: { __rl: true, mode: 'id', value: 'primary' },
			options: { maxRetries: 0, fallbackModels: 'backup, spare', ...options },
		}),
		credentials: credentialsFor(provider, server.url),
		credentialId,
		onChunk,
		continueOnFail,
	});
}

const error = (message: string, extra: IDataObject = {}) => ({ error: { message, ...extra } });

describe('falls back to the next model', () => {
	it.each<[string, Fault, IDataObject?]>([
		['a 500', { kind: 'reply', status: 500, body: error('The server had an error') }],
		[
			'a 502 after its retries',
			{ kind: 'reply', status: 502, body: 'Bad gateway' },
			{ maxRetries: 1 },
		],
		['a timeout', { kind: 'hang' }, { timeout: 300 }],
		[
			'a 429 the retries did not clear',
			{ kind: 'reply', status: 429, body: error('Rate limit reached for requests') },
		],
		[
			'a 404 unknown model',
			{
				kind: 'reply',
				status: 404,
				body: error('The model `primary` does not exist', { code: 'model_not_found' }),
			},
		],
		[
			"the router's model not supported by any provider",
			{
				kind: 'reply',
				status: 400,
				body: error(
					"The requested model 'primary' is not supported by any provider you have enabled.",
				),
			},
		],
		[
			'a 503 loading',
			{
				kind: 'reply',
				status: 503,
				body: { error: 'Model primary is currently loading', estimated_time: 20 },
			},
		],
		[
			'a context-length error',
			{
				kind: 'reply',
				status: 400,
				body: error(
					"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
					{ code: 'context_length_exceeded' },
				),
			},
		],
	])('on %s: the output names the model and why', async (_name, fault, options = {}) => {
		primaryFails(fault);
		const { output, error: failed } = await run(options);
		expect(failed).toBeUndefined();
		expect(output[0].json).toMatchObject({ text: 'echo: Hello', model: 'backup' });
		expect((output[0].json.fallbackFrom as IDataObject).model).toBe('primary');
		expect(String((output[0].json.fallbackFrom as IDataObject).error)).not.toBe('');
		const retries = (options.maxRetries as number | undefined) ?? 0;
		expect(perModel()).toEqual({ primary: 1 + retries, backup: 1 });
	});

	it('goes down the list and says so when every model fails', async () => {
		server.reply(500, error('Down'));
		const { error: failed } = await run({});
		expect(perModel()).toEqual({ primary: 1, backup: 1, spare: 1 });
		expect(failed?.message).toMatch(/500/);
		expect(failed?.description).toMatch(/Models tried in order:\nprimary: .*\nbackup: .*\nspare: /);
	});

	it('answers from the primary without fallbackFrom when it works', async () => {
		const { output } = await run({});
		expect(output[0].json.model).toBe('primary');
		expect(output[0].json).not.toHaveProperty('fallbackFrom');
		expect(perModel()).toEqual({ primary: 1 });
	});
});

describe('never falls back', () => {
	it.each<[string, Fault]>([
		[
			'on a wrong key (401)',
			{
				kind: 'reply',
				status: 401,
				body: error('Incorrect API key provided', { code: 'invalid_api_key' }),
			},
		],
		[
			'on a 402 (credits)',
			{
				kind: 'reply',
				status: 402,
				body: error('You have exceeded your monthly included credits'),
			},
		],
		[
			'on a 429 insufficient quota',
			{
				kind: 'reply',
				status: 429,
				body: error(
					'You exceeded your current quota, please check your plan and billing details.',
					{ type: 'insufficient_quota', code: 'insufficient_quota' },
				),
			},
		],
		[
			'on a content-policy refusal',
			{
				kind: 'reply',
				status: 400,
				body: error('Your request was rejected as a result of our safety system.', {
					code: 'content_policy_violation',
				}),
			},
		],
		[
			'on bad input the next model would refuse too',
			{ kind: 'reply', status: 400, body: error("Invalid value for 'temperature'") },
		],
	])('%s', async (_name, fault) => {
		primaryFails(fault);
		const { error: failed } = await run({});
		expect(failed).toBeDefined();
		expect(perModel()).toEqual({ primary: 1 });
	});

	it('refuses an empty or duplicate id before any request', async () => {
		expect((await run({ fallbackModels: 'backup,,spare' })).error?.message).toBe(
			'Fallback Models: entry 2 is empty',
		);
		expect((await run({ fallbackModels: 'backup, backup' })).error?.message).toBe(
			'Fallback Models: "backup" is listed twice',
		);
		expect((await run({ fallbackModels: 'primary' })).error?.message).toBe(
			'Fallback Models: "primary" is listed twice (it is the Model itself)',
		);
		expect(server.seen).toHaveLength(0);
	});
});

describe('streaming', () => {
	const streamRun = async (fault: Fault) => {
		primaryFails(fault);
		const chunks: StreamChunk[] = [];
		const result = await run({}, { onChunk: (chunk) => chunks.push(chunk) });
		const text = chunks
			.filter((c) => c.type === 'item')
			.map((c) => c.content)
			.join('');
		return { ...result, text };
	};

	it('falls back before the first chunk: the chat gets the fallback reply only', async () => {
		const { output, text } = await streamRun({ kind: 'reply', status: 500, body: error('Down') });
		expect(text).toBe('echo: Hello');
		expect(output[0].json).toMatchObject({ model: 'backup', fallbackFrom: { model: 'primary' } });
		expect(perModel()).toEqual({ primary: 1, backup: 1 });
	});

	it('does not fall back once part of the reply was relayed', async () => {
		const pieces = streamEvents(completion('Paris is the capital', { model: 'primary' }), 5);
		const { error: failed, text } = await streamRun({
			kind: 'stream',
			pieces: pieces.slice(0, 3),
			delayMs: 20,
			then: 'cut',
		});
		expect(failed?.message).toMatch(/broke off after part of it had been sent on/);
		expect(text).toBe('Paris is t');
		expect(perModel()).toEqual({ primary: 1 });
	});
});

describe('cool-down', () => {
	it('skips a model that failed 3 times in a row, across executions, until its cool-down ends', async () => {
		primaryFails({ kind: 'reply', status: 500, body: error('Down') });
		const credentialId = 'cool-down';
		for (let execution = 0; execution < 3; execution++) {
			const { output } = await run({}, { credentialId });
			expect(output[0].json.model).toBe('backup');
		}
		expect(perModel()).toEqual({ primary: 3, backup: 3 });
		const { output } = await run({}, { credentialId });
		expect(perModel()).toEqual({ primary: 3, backup: 4 });
		expect(output[0].json.fallbackFrom).toEqual({
			model: 'primary',
			error: expect.stringMatching(
				/^skipped \(cooling down after repeated failures; last: OpenAI API error 500: Down\)$/,
			),
		});
		// Another credential has its own count.
		await run({}, { credentialId: 'another' });
		expect(perModel()).toEqual({ primary: 4, backup: 5 });
	});

	it('tries the primary anyway when every model is cooling down', async () => {
		server.reply(500, error('Down'));
		const credentialId = 'all-down';
		for (let execution = 0; execution < 3; execution++) await run({}, { credentialId });
		expect(perModel()).toEqual({ primary: 3, backup: 3, spare: 3 });
		const { error: failed } = await run({}, { credentialId });
		expect(failed?.message).toMatch(/500/);
		expect(perModel()).toEqual({ primary: 4, backup: 3, spare: 3 });
	});
});
