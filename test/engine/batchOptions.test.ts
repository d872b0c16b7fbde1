import { FakeBatchApi } from '../support/batchServer';
import { runWorkflow } from '../support/engine';
import { useFaultServer } from '../support/faultServer';
import { credentialsFor, KEY, messageParams } from '../support/params';

const server = useFaultServer();

const PNG =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFAAH/VscvDQAAAABJRU5ErkJggg==';
const items = ['one', 'two'].map((question) => ({
	json: { question },
	binary: { data: { data: PNG, mimeType: 'image/png', fileName: 'pixel.png' } },
}));
const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
const options = {
	temperature: 0.3,
	maxTokens: 50,
	responseFormat: 'jsonSchema',
	jsonSchema: JSON.stringify({
		type: 'object',
		properties: { answer: { type: 'string' } },
		required: ['answer'],
	}),
	tools: JSON.stringify(tools),
	extraBody: '{"top_k": 5}',
};
const parameters = {
	systemMessage: 'Be brief.',
	messages: {
		values: [
			{
				role: 'user',
				content: '={{ $json.question }}',
				images: { values: [{ source: 'binary', binaryProperty: 'data' }] },
			},
		],
	},
	options,
};

const run = async (provider: 'openAi' | 'togetherAi', extra: Record<string, unknown> = {}) =>
	await runWorkflow({
		parameters: messageParams(provider, { ...parameters, ...extra }),
		credentials: credentialsFor(provider, server.url),
		items,
		continueOnFail: true,
	});

describe.each(['openAi', 'togetherAi'] as const)(
	'%s batch: every chat option in each request',
	(provider) => {
		it('each line carries the body real time sends (system message, images, schema, tools, extra body)', async () => {
			const realTime = await run(provider);
			expect(realTime.output.every((item) => item.json.error === undefined)).toBe(true);
			const sent = server.seen.map((request) => request.body);
			server.seen.length = 0;
			const api = new FakeBatchApi(server, provider).install();
			const batch = await run(provider, {
				mode: 'batchWait',
				batchOptions: { pollInterval: 0.01 },
			});
			const [file] = [...api.files.values()];
			const bodies = file.content
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line).body);
			expect(bodies).toEqual(sent);
			expect(bodies[0].messages[1].content[1].image_url.url).toBe(`data:image/png;base64,${PNG}`);
			expect(bodies[0].top_k).toBe(5);
			expect(batch.output.map(({ json: { batch: _job, ...rest } }) => rest)).toEqual(
				realTime.output.map((item) => item.json),
			);
			expect(batch.output[0].json.json).toEqual({ answer: expect.any(String) });
		});
	},
);

describe('a JSON reply that misses the schema', () => {
	it('gets its repair turn in real time, as in real time', async () => {
		new FakeBatchApi(server, 'openAi').install();
		const schema = JSON.stringify({ type: 'object', required: ['name'] });
		const { output } = await run('openAi', {
			mode: 'batchWait',
			batchOptions: { pollInterval: 0.01 },
			options: { responseFormat: 'jsonSchema', jsonSchema: schema },
		});
		const repairs = server.seen.filter((request) => request.url === '/v1/chat/completions');
		expect(repairs).toHaveLength(2);
		expect(repairs[0].body.messages.at(-1).content).toContain('- $.name: is required but missing');
		expect(output[0].json.error).toMatch(
			/^The model's reply for item 0 does not match the JSON Schema, also after one repair turn/,
		);
		expect(output[0].json.batch).toEqual({ id: 'batch_1', status: 'completed' });
	});
});

describe('every batch call is a request like any other', () => {
	it('Timeout bounds a poll that never answers', async () => {
		const api = new FakeBatchApi(server, 'openAi').install();
		api.before = (request) =>
			request.method === 'GET' && request.url.startsWith('/v1/batches/')
				? { kind: 'hang' }
				: undefined;
		const started = Date.now();
		const { error } = await runWorkflow({
			parameters: messageParams('openAi', {
				mode: 'batchWait',
				batchOptions: { pollInterval: 0.01 },
				options: { timeout: 300, maxRetries: 0 },
			}),
			credentials: credentialsFor('openAi', server.url),
			items: [{ question: 'one' }],
		});
		expect(error?.message).toMatch(/timeout|timed out/i);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('the API key echoed in a result file is masked', async () => {
		new FakeBatchApi(server, 'openAi').install();
		const { output } = await runWorkflow({
			parameters: messageParams('openAi', {
				mode: 'batchWait',
				batchOptions: { pollInterval: 0.01 },
			}),
			credentials: credentialsFor('openAi', server.url),
			items: [{ question: `my key is ${KEY}` }],
		});
		expect(JSON.stringify(output)).not.toContain(KEY);
		expect(output[0].json.text).toContain('***');
	});
});

it('a bad batch option is refused before any job is submitted', async () => {
	new FakeBatchApi(server, 'openAi').install();
	const { error } = await runWorkflow({
		parameters: messageParams('openAi', { mode: 'batchWait', batchOptions: { pollInterval: -1 } }),
		credentials: credentialsFor('openAi', server.url),
		items: [{ question: 'one' }],
	});
	expect(error?.message).toBe('Poll Interval (Seconds) must be between 0.01 and 86400 (got -1)');
	expect(server.seen).toHaveLength(0);
});
