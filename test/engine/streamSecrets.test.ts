// n8n's own logger writes at debug level during these runs, so the captured logs are real.
process.env.N8N_LOG_LEVEL = 'debug';
// Before n8n-core is loaded: its logger binds the console when it is created.
import { captureLogs } from '../support/logCapture';

import type { StreamChunk } from '../support/engine';
import { runWorkflow } from '../support/engine';
import { completion, useFaultServer } from '../support/faultServer';
import { choice, sseEvent, streamEvents } from '../support/fixtures';
import { runModelWorkflow } from '../support/modelEngine';
import { credentialTypeOf, messageParams } from '../support/params';
import { deepSerialize } from '../support/secrets';

// A secret echoed in a streamed reply is masked before any delta reaches n8n's chat,
// also when it is split across two deltas, base64-encoded or in another letter case.

const server = useFaultServer();

const KEY = 'sk-echo-SECRET-9f8e7d6c5b';
const HEADER_VALUE = 'gw-tenant-SECRET-31';
const BEARER_BASE64 = btoa(`Bearer ${KEY}`);
const credentials = {
	[credentialTypeOf('openAi')]: {
		apiKey: KEY,
		baseUrl: '',
		apiVersion: 'v1',
		customHeaders: { headers: [{ name: 'X-Gw', value: HEADER_VALUE }] },
	},
};

const ECHO = `Your key is ${KEY}, your tenant ${HEADER_VALUE}; header ${BEARER_BASE64}; shouted ${KEY.toUpperCase()}.`;

/** Every 8 characters of the key's base64 encodings, at each of the 3 byte alignments. */
const KEY_BASE64_PIECES = [0, 1, 2].flatMap((skip) => {
	const encoded = btoa(KEY.slice(skip, skip + Math.floor((KEY.length - skip) / 3) * 3));
	return Array.from({ length: encoded.length - 7 }, (_, i) => encoded.slice(i, i + 8));
});

/** Nothing of a secret is left: not whole, not upper-cased, not 8 characters of its base64. */
function expectNoSecret(text: string) {
	expect(text).not.toContain(KEY);
	expect(text).not.toContain(HEADER_VALUE);
	expect(text).not.toContain(KEY.toUpperCase());
	expect(text).not.toContain(KEY.slice(3, 15));
	for (const piece of KEY_BASE64_PIECES) expect(text).not.toContain(piece);
}

async function streamLlmChat(pieces: string[], continueOnFail = false) {
	server.decide = () => ({ kind: 'stream', pieces });
	credentials.llmChatOpenAiApi.baseUrl = server.url;
	const chunks: StreamChunk[] = [];
	const { result, logs } = await captureLogs(
		async () =>
			await runWorkflow({
				parameters: messageParams('openAi', { options: { maxRetries: 0 } }),
				credentials,
				continueOnFail,
				onChunk: (chunk) => chunks.push(chunk),
			}),
	);
	expect(server.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
	const relayed = chunks.map((chunk) => chunk.content ?? '').join('');
	return { ...result, chunks, relayed, logs };
}

describe('LLM Chat streaming a reply that echoes the secrets', () => {
	it.each([1, 2, 3, 5, 7, 13, 64])(
		'in deltas of %i characters: the chat gets no secret, and exactly the output text',
		async (size) => {
			const { output, relayed, run, logs, chunks } = await streamLlmChat(
				streamEvents(completion(ECHO), size),
			);
			expectNoSecret(relayed);
			expect(relayed).toBe(output[0].json.text);
			expect(relayed.match(/\*\*\*/g)).toHaveLength(4);
			expect(relayed).toMatch(
				/^Your key is \*\*\*, your tenant \*\*\*; header [A-Za-z0-9+/]{0,12}\*\*\*[A-Za-z0-9+/=]{0,4}; shouted \*\*\*\.$/,
			);
			expectNoSecret(deepSerialize(run));
			expectNoSecret(logs);
			if (size === 1) expect(chunks.filter((c) => c.type === 'item').length).toBeGreaterThan(50);
		},
	);

	it('reasoning that echoes the key is masked in the output too', async () => {
		const reply = completion('Fine.', {
			choices: [choice({ content: 'Fine.', reasoning_content: `the key ${KEY} works` })],
		});
		const { output, relayed, run } = await streamLlmChat(streamEvents(reply, 2));
		expect(relayed).toBe('Fine.');
		expect(output[0].json.reasoning).toBe('the key *** works');
		expectNoSecret(deepSerialize(run));
	});

	it.each([false, true])(
		'an error event that echoes the key (Continue On Fail %s): no secret in the error chunk, output or logs',
		async (continueOnFail) => {
			const pieces = [
				...streamEvents(completion(`Partial ${KEY.slice(0, 10)}`), 4).slice(0, 3),
				sseEvent({ error: { message: `upstream rejected Bearer ${KEY} for ${HEADER_VALUE}` } }),
			];
			const { relayed, run, logs, error, output, chunks } = await streamLlmChat(
				pieces,
				continueOnFail,
			);
			expectNoSecret(relayed);
			expectNoSecret(deepSerialize(run));
			expectNoSecret(logs);
			const message = continueOnFail ? String(output[0].json.error) : String(error?.message);
			expect(message).toContain('upstream rejected Bearer *** for ***');
			if (continueOnFail)
				expect(chunks.find((c) => c.type === 'error')?.content).toContain('Bearer ***');
		},
	);
});

describe('LLM Chat Model streaming a reply that echoes the secrets', () => {
	it('text, reasoning and tool-call arguments: nothing reaches the agent or the saved run', async () => {
		const call = {
			id: 'call_1',
			type: 'function',
			function: { name: 'get_weather', arguments: JSON.stringify({ city: `Paris ${KEY}` }) },
		};
		const reply = completion(ECHO, {
			choices: [
				choice(
					{ content: ECHO, reasoning_content: `thinking about ${KEY}`, tool_calls: [call] },
					'tool_calls',
				),
			],
		});
		let n = 0;
		server.decide = () =>
			++n === 1
				? { kind: 'stream', pieces: streamEvents(reply, 3) }
				: { kind: 'stream', pieces: streamEvents(completion(`Done, ${KEY}.`), 2) };
		credentials.llmChatOpenAiApi.baseUrl = server.url;
		const { result, logs } = await captureLogs(
			async () =>
				await runModelWorkflow({
					parameters: { provider: 'openAi', model: 'test-model', options: { maxRetries: 0 } },
					credentials,
					scenario: 'streamAgent',
				}),
		);
		expect(result.error).toBeUndefined();
		const rounds = result.output[0].json.rounds as Array<Record<string, any>>;
		const streamedText = rounds.flatMap((round) => round.chunks ?? []).join('');
		expect(streamedText).toContain('Your key is ***');
		expect(streamedText).toContain('Done, ***.');
		expectNoSecret(streamedText);
		expectNoSecret(deepSerialize(result.run));
		expectNoSecret(logs);
		// The tool ran with the masked argument, never the key.
		expect(server.seen[1].body.messages.at(-1).content).toContain('Paris ***');
	});
});

describe('a plain reply echoing base64 and upper-cased forms', () => {
	it('masks a header value echoed HTML-escaped in an error page, or \\u-escaped inside JSON text', async () => {
		const value = 'tenant=acme&sig=Zx9Yw8Vu7T';
		const withAmpersand = {
			[credentialTypeOf('openAi')]: {
				...credentials.llmChatOpenAiApi,
				baseUrl: server.url,
				customHeaders: { headers: [{ name: 'X-Gw', value }] },
			},
		};
		for (const echoed of [
			'tenant=acme&amp;sig=Zx9Yw8Vu7T',
			'tenant\\u003dacme\\u0026sig\\u003dZx9Yw8Vu7T',
		]) {
			server.reply(401, `<html><title>bad header X-Gw: ${echoed}</title></html>`, {
				'content-type': 'text/html',
			});
			const result = await runWorkflow({
				parameters: messageParams('openAi'),
				credentials: withAmpersand,
			});
			expect(result.error?.message).toContain('bad header X-Gw: ***');
			expect(deepSerialize(result.run)).not.toContain('Zx9Yw8Vu7T');
		}
	});

	it('masks them in the output', async () => {
		server.reply(200, completion(ECHO));
		credentials.llmChatOpenAiApi.baseUrl = server.url;
		const result = await runWorkflow({ parameters: messageParams('openAi'), credentials });
		expectNoSecret(String(result.output[0].json.text));
		expectNoSecret(deepSerialize(result.run));
	});

	it('masks an Authorization header echoed base64-encoded in an error', async () => {
		server.reply(401, { error: { message: `bad token ${BEARER_BASE64}` } });
		credentials.llmChatOpenAiApi.baseUrl = server.url;
		const result = await runWorkflow({ parameters: messageParams('openAi'), credentials });
		expect(result.error?.message).toMatch(
			/^OpenAI API error 401: bad token [A-Za-z0-9+/]{0,12}\*\*\*[A-Za-z0-9+/=]{0,4}$/,
		);
		expectNoSecret(deepSerialize(result.run));
	});
});
