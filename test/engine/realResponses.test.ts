import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, searchModels, testCredential } from '../support/engine';
import { credentialTypeOf, messageParams } from '../support/params';
import type { ProviderId } from '../support/params';
import {
	describeWithRealResponses,
	REAL_RESPONSES_DIR,
	recordedCaseNames,
} from '../support/realResponses';

/**
 * Every response the real APIs produced (../shared/real-responses), replayed by its own
 * replay-server.mjs, through the node: what the node makes of each, stated case by case.
 */
const KEY = 'sk-real-responses-test';
let replay: ChildProcess | undefined;
let baseUrl = '';
const logDir = mkdtempSync(path.join(tmpdir(), 'llm-chat-replay-'));
const logFile = path.join(logDir, 'requests.jsonl');
/** How many requests the replay server has answered for a case. */
const requestsFor = (name: string) =>
	readFileSync(logFile, 'utf8')
		.split('\n')
		.filter((line) => line.includes(`/${name}/`)).length;

const CHAT_FOR: Record<string, { provider: ProviderId; serverKind?: string }> = {
	openai: { provider: 'openAi' },
	together: { provider: 'togetherAi' },
	huggingface: { provider: 'huggingFaceTgi', serverKind: 'router' },
	tgi: { provider: 'huggingFaceTgi', serverKind: 'selfHosted' },
};

function credentials(name: string, route = 'case') {
	const { provider, serverKind } = CHAT_FOR[name.split('--')[0]];
	return {
		provider,
		credentials: {
			[credentialTypeOf(provider)]: {
				apiKey: KEY,
				baseUrl: `${baseUrl}/${route}/${name}`,
				apiVersion: 'v1',
				...(serverKind ? { serverKind } : {}),
			},
		},
	};
}

async function chat(name: string, options: IDataObject = {}, route = 'case') {
	const { provider, credentials: creds } = credentials(name, route);
	return await runWorkflow({
		parameters: messageParams(provider, { options: { maxRetries: 0, ...options } }),
		credentials: creds,
		continueOnFail: true,
	});
}

const usage = (
	promptTokens: number,
	completionTokens: number,
	totalTokens: number,
	extra = {},
) => ({
	promptTokens,
	completionTokens,
	totalTokens,
	...extra,
});

/** Successful replies: the simplified output item the node makes of each. */
const REPLIES: Record<string, { options?: IDataObject; output: IDataObject }> = {
	'huggingface--chat-success': {
		output: { text: 'Hello.', finishReason: 'stop', usage: usage(43, 3, 46) },
	},
	'huggingface--json-object': {
		options: { responseFormat: 'jsonObject' },
		output: { json: { is_fruit: true }, finishReason: 'stop', usage: usage(41, 8, 49) },
	},
	'huggingface--reasoning-content': {
		output: {
			text: 'Hello',
			reasoning: expect.stringMatching(/^We are asked: "Say hello\. Use/),
			usage: usage(12, 69, 81, { cachedTokens: 0 }),
		},
	},
	'huggingface--reasoning-think-tag': {
		// The <think> block becomes the reasoning and leaves the text.
		output: {
			text: 'Hello.',
			reasoning: expect.stringMatching(
				/^Okay, the user said, "Say hello\. Use only one word\."[\s\S]*So the answer is "Hello\."$/,
			),
			finishReason: 'stop',
		},
	},
	'huggingface--tool-call': {
		output: {
			finishReason: 'tool_calls',
			toolCalls: [expect.objectContaining({ name: 'get_weather' })],
		},
	},
	'openai--chat-success': {
		output: {
			text: 'Hello',
			finishReason: 'stop',
			usage: usage(14, 4, 18, { cachedTokens: 0, reasoningTokens: 0 }),
		},
	},
	'openai--json-schema': {
		options: { responseFormat: 'jsonSchema', jsonSchema: '{"type": "object"}' },
		output: { json: { city: 'Mexico City', country: 'Mexico' } },
	},
	'openai--reasoning-tokens': {
		output: {
			text: 'Hello there! How can I help you today?',
			usage: usage(7, 87, 94, { cachedTokens: 0, reasoningTokens: 64 }),
		},
	},
	'openai--tool-call': {
		output: {
			finishReason: 'tool_calls',
			toolCalls: [expect.objectContaining({ name: 'get_user_country' })],
		},
	},
	'tgi--chat-success': {
		// TGI's `eos_token` is a normal stop.
		output: {
			text: ' to two. One plus one is equal to two.',
			finishReason: 'stop',
			usage: usage(21, 12, 33),
		},
	},
	'tgi--json-grammar': {
		options: { responseFormat: 'jsonObject' },
		output: { json: { unit: 'fahrenheit', temperature: [72, 79, 88] } },
	},
	'tgi--tool-call': {
		// TGI 3.x says `stop` when it called a tool.
		output: {
			finishReason: 'tool_calls',
			toolCalls: [expect.objectContaining({ name: 'get_current_weather' })],
		},
	},
	'together--chat-success': {
		// Together's `eos` is a normal stop.
		output: {
			text: 'one plus one is equal to two.',
			finishReason: 'stop',
			usage: usage(46, 9, 55),
		},
	},
	'together--json-schema': {
		options: { responseFormat: 'jsonSchema', jsonSchema: '{"type": "object"}' },
		output: {
			json: { is_fruit: true },
			reasoning: expect.stringMatching(/^The user: "Is a banana a fruit/),
		},
	},
	'together--reasoning': {
		output: { text: 'hello', reasoning: expect.stringMatching(/^User says: "Say hello\. Use onl/) },
	},
	'together--tool-call': {
		output: {
			finishReason: 'tool_calls',
			toolCalls: [expect.objectContaining({ name: 'square_root' })],
			reasoning: expect.stringMatching(/^The user requests: "Use the sq/),
		},
	},
};

const MODEL_HINT = /^Check the model ID/;
const KEY_HINT = /^Check the API key/;
const BILLING_HINT = /out of credits or needs a payment method|no quota left/;
const REFUSED_HINT = /refused the request as it was sent/;
const SERVER_HINT = /^The provider failed to answer/;

/** Failed calls: the error item with the provider's own message and a hint that helps. */
const FAILURES: Record<string, { error: RegExp; hint: RegExp }> = {
	'huggingface--400-detail': {
		error: /^Hugging Face API error 400: Invalid request\. .* is not a multimodal model$/,
		hint: REFUSED_HINT,
	},
	'huggingface--400-model-not-found': {
		error: /error 400: The requested model 'bad model' does not exist\.$/,
		hint: MODEL_HINT,
	},
	'huggingface--401-invalid-credentials': {
		error: /error 401: Invalid credentials in Authorization header$/,
		hint: KEY_HINT,
	},
	'huggingface--402-credits-depleted': {
		error: /error 402: You have depleted your monthly included credits/,
		hint: BILLING_HINT,
	},
	'huggingface--500-detail': {
		error: /error 500: Unable to process request\. Repeat the request later\.$/,
		hint: SERVER_HINT,
	},
	'huggingface--500-server-error': {
		error: /error 500: Internal server error$/,
		hint: SERVER_HINT,
	},
	'huggingface--503-model-loading': {
		error: /error 503: Model distilbert-base-cased-distilled-squad is currently loading$/,
		hint: SERVER_HINT,
	},
	'openai--400-missing-model': {
		error: /^OpenAI API error 400: you must provide a model parameter$/,
		hint: REFUSED_HINT,
	},
	'openai--400-unsupported-value': {
		error: /error 400: Unsupported value: 'messages\[0\]\.role' does not support 'system'/,
		hint: REFUSED_HINT,
	},
	'openai--401-invalid-api-key': {
		error: /error 401: Incorrect API key provided: bad apiKey\./,
		hint: KEY_HINT,
	},
	'openai--404-model-not-found': {
		error: /error 404: The model `gpt-5\.2-proo` does not exist/,
		hint: MODEL_HINT,
	},
	'openai--429-insufficient-quota': {
		error: /error 429: You exceeded your current quota/,
		hint: BILLING_HINT,
	},
	'openai--429-rate-limit-exceeded': {
		error: /error 429: Rate limit reached for default-gpt-3\.5-turbo/,
		hint: /kept rate-limiting/,
	},
	'openai--500-server-error': {
		error: /error 500: The server had an error processing your request/,
		hint: SERVER_HINT,
	},
	'openai--502-html-cloudflare': {
		error: /^OpenAI API error 502: 502 Bad Gateway$/,
		hint: SERVER_HINT,
	},
	'tgi--422-deserialize-plain-text': {
		error: /^Hugging Face TGI API error 422: Failed to deserialize the JSON body/,
		hint: REFUSED_HINT,
	},
	'tgi--422-tool-error': {
		error: /error 422: Tool error: Grammar and tools are mutually exclusive$/,
		hint: REFUSED_HINT,
	},
	'tgi--422-validation': {
		error:
			/error 422: Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= 65537/,
		hint: REFUSED_HINT,
	},
	'together--400-invalid-request': {
		error: /^Together AI API error 400: Invalid request$/,
		hint: REFUSED_HINT,
	},
	'together--401-invalid-api-key': { error: /error 401: Invalid API key provided/, hint: KEY_HINT },
	'together--404-model-not-available': {
		error: /error 404: Unable to access model bad model/,
		hint: MODEL_HINT,
	},
	'together--429-dynamic-request-limited': {
		error: /error 429: Request rate exceeds your dynamic rate limit/,
		hint: /kept rate-limiting/,
	},
};

/** Model lists: what List Models gives, and what the picker offers. */
const MODEL_LISTS: Record<string, { listed: string[]; picker: string[] }> = {
	'huggingface--models-list': {
		listed: ['deepseek-ai/DeepSeek-V4-Pro'],
		picker: [
			'deepseek-ai/DeepSeek-V4-Pro',
			'deepseek-ai/DeepSeek-V4-Pro:novita',
			'deepseek-ai/DeepSeek-V4-Pro:together',
			'deepseek-ai/DeepSeek-V4-Pro:fireworks-ai',
			'deepseek-ai/DeepSeek-V4-Pro:featherless-ai',
			'deepseek-ai/DeepSeek-V4-Pro:deepinfra',
		],
	},
	'openai--models-list': {
		listed: [
			'gpt-4-0613',
			'gpt-4',
			'gpt-3.5-turbo',
			'gpt-5.6-luna',
			'text-embedding-3-small',
			'gpt-4o',
			'gpt-4o-mini',
			'omni-moderation-latest',
			'o3-mini',
			'tts-1',
			'whisper-1',
		],
		// Chat models only: no embeddings, moderation, speech or transcription.
		picker: [
			'gpt-3.5-turbo',
			'gpt-4',
			'gpt-4-0613',
			'gpt-4o',
			'gpt-4o-mini',
			'gpt-5.6-luna',
			'o3-mini',
		],
	},
	'tgi--models-list': {
		listed: ['meta-llama/Llama-3.1-8B-Instruct'],
		picker: ['meta-llama/Llama-3.1-8B-Instruct'],
	},
	'together--models-list': {
		listed: [
			'deepseek-ai/DeepSeek-V4-Pro',
			'openai/gpt-oss-20b',
			'meta-llama/Llama-3.3-70B-Instruct-Turbo',
		],
		picker: [
			'deepseek-ai/DeepSeek-V4-Pro',
			'meta-llama/Llama-3.3-70B-Instruct-Turbo',
			'openai/gpt-oss-20b',
		],
	},
};

/** The Test button against a recorded 401 of the model list. */
const TEST_BUTTON: Record<string, RegExp> = {
	'openai--401-invalid-api-key-models': /^401: Incorrect API key provided: bad apiKey\./,
	'together--401-unauthorized-models': /^401: Unauthorized$/,
};

/** Cases other suites prove, or that the node never requests. */
const ELSEWHERE: Record<string, string> = {
	'openai--400-echoes-header': 'test/engine/secrets.test.ts (redaction)',
	'openai--401-echoes-key': 'test/engine/secrets.test.ts (redaction)',
	'openai--502-echoes-key': 'test/engine/secrets.test.ts (redaction)',
	'tgi--info': 'not requested by the node: /models gives what it needs',
};

describeWithRealResponses('what the node makes of every recorded real response', () => {
	beforeAll(async () => {
		const script = path.join(REAL_RESPONSES_DIR, 'replay-server.mjs');
		replay = spawn(process.execPath, [script, '--port', '0', '--log', logFile], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const port = await new Promise<string>((resolve) =>
			replay!.stdout!.on('data', (data: Buffer) => {
				const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(String(data));
				if (found) resolve(found[1]);
			}),
		);
		baseUrl = `http://127.0.0.1:${port}`;
	});
	afterAll(() => {
		replay?.kill();
		rmSync(logDir, { recursive: true, force: true });
	});

	it('every case has its expectation here, or says which suite proves it', () => {
		const streams = recordedCaseNames((name) => name.includes('--stream-'));
		expect(streams.length).toBeGreaterThan(0); // test/unit/sse.test.ts and test/engine/streaming.test.ts
		const known = [
			...Object.keys({ ...REPLIES, ...FAILURES, ...MODEL_LISTS, ...TEST_BUTTON, ...ELSEWHERE }),
			...streams,
		];
		expect(recordedCaseNames().filter((name) => !known.includes(name))).toEqual([]);
	});

	it.each(Object.keys(REPLIES))('%s', async (name) => {
		const { output, error } = await chat(name, REPLIES[name].options);
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject(REPLIES[name].output);
		expect(String(output[0].json.text)).not.toContain('<think>');
	});

	it.each(Object.keys(FAILURES))('%s', async (name) => {
		const { output } = await chat(name);
		expect(output).toHaveLength(1);
		expect(output[0].json.error).toMatch(FAILURES[name].error);
		expect(output[0].json.errorDescription).toMatch(FAILURES[name].hint);
		// No description that only repeats the message.
		expect(output[0].json.errorDescription).not.toBe(output[0].json.error);
	});

	it.each(Object.keys(MODEL_LISTS))('%s', async (name) => {
		const { provider, credentials: creds } = credentials(name);
		const listed = await runWorkflow({
			parameters: { provider, operation: 'listModels', listOptions: { allTypes: true } },
			credentials: creds,
		});
		expect(listed.error).toBeUndefined();
		expect(listed.output.map((item) => item.json.id)).toEqual(
			name.startsWith('together')
				? expect.arrayContaining(MODEL_LISTS[name].listed)
				: MODEL_LISTS[name].listed,
		);
		const picked = await searchModels(provider, creds);
		expect(picked.results.map((result) => result.value)).toEqual(MODEL_LISTS[name].picker);
	});

	it('the router tells which providers serve a model; TGI fills in nothing invented', async () => {
		const router = await runWorkflow({
			parameters: { provider: 'huggingFaceTgi', operation: 'listModels' },
			credentials: credentials('huggingface--models-list').credentials,
		});
		expect(router.output[0].json.providers).toContainEqual({
			provider: 'together',
			status: 'live',
			contextLength: 512000,
			supportsTools: true,
			supportsStructuredOutput: true,
		});
		const tgi = await runWorkflow({
			parameters: { provider: 'huggingFaceTgi', operation: 'listModels' },
			credentials: credentials('tgi--models-list').credentials,
		});
		expect(tgi.output.map((item) => item.json)).toEqual([
			{ id: 'meta-llama/Llama-3.1-8B-Instruct' },
		]);
	});

	it.each(Object.keys(TEST_BUTTON))('%s on the Test button', async (name) => {
		const { provider, credentials: creds } = credentials(name);
		const result = await testCredential(
			credentialTypeOf(provider),
			creds[credentialTypeOf(provider)],
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(TEST_BUTTON[name]);
	});

	it("waits for Together's x-ratelimit-reset on a 429 with no Retry-After, then succeeds", async () => {
		await fetch(`${baseUrl}/__replay/reset`, { method: 'POST' });
		const started = Date.now();
		const { output } = await chat(
			'together--429-dynamic-request-limited,together--chat-success',
			{ maxRetries: 1 },
			'seq',
		);
		expect(output[0].json.text).toBe('one plus one is equal to two.');
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // x-ratelimit-reset: 2
	});

	it('does not retry a loading Hugging Face model before its estimated_time', async () => {
		const before = requestsFor('huggingface--503-model-loading');
		const { provider, credentials: creds } = credentials('huggingface--503-model-loading');
		const result = await runWorkflow({
			parameters: messageParams(provider, { options: { maxRetries: 3 } }),
			credentials: creds,
			onStart: (cancel) => setTimeout(cancel, 3000),
		});
		// estimated_time is 20 s: after 3 s the node is still waiting, after a single request.
		expect(result.output).toHaveLength(0);
		expect(requestsFor('huggingface--503-model-loading') - before).toBe(1);
	});
});
