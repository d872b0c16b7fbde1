import { FakeBatchApi } from '../support/batchServer';
import { runWorkflow } from '../support/engine';
import { useFaultServer } from '../support/faultServer';
import { credentialsFor, messageParams } from '../support/params';

const server = useFaultServer();
const questions = ['one', 'two', 'three', 'four'];
const items = questions.map((question) => ({ question }));
const FAST = { pollInterval: 0.01 };

type Provider = 'openAi' | 'togetherAi';

const fake = (provider: Provider = 'openAi') => new FakeBatchApi(server, provider).install();

const run = async (
	provider: Provider,
	parameters: Record<string, unknown> = {},
	extra: { continueOnFail?: boolean; onStart?: (cancel: () => void) => void } = {},
) =>
	await runWorkflow({
		parameters: messageParams(provider, { mode: 'batchWait', batchOptions: FAST, ...parameters }),
		credentials: credentialsFor(provider, server.url),
		items,
		...extra,
	});

const withoutBatch = ({ batch, ...rest }: Record<string, unknown>) => rest;

describe('Batch: Submit and Wait', () => {
	it('OpenAI: one job; the same output as in real time, in input order, with the job', async () => {
		const realTime = await runWorkflow({
			parameters: messageParams('openAi', { options: { temperature: 0.5 } }),
			credentials: credentialsFor('openAi', server.url),
			items,
		});
		const sentRealTime = server.seen.map((request) => request.body);
		server.seen.length = 0;
		const api = fake();
		const { output, error } = await run('openAi', { options: { temperature: 0.5 } });
		expect(error).toBeUndefined();
		expect(output.map((item) => withoutBatch(item.json))).toEqual(
			realTime.output.map((item) => item.json),
		);
		expect(output.map((item) => item.json.batch)).toEqual(
			questions.map(() => ({ id: 'batch_1', status: 'completed' })),
		);
		expect(output.map((item) => item.pairedItem)).toEqual(questions.map((_q, item) => ({ item })));
		const [file] = [...api.files.values()];
		expect(file.purpose).toBe('batch');
		const lines = file.content
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(lines.map((line) => line.body)).toEqual(sentRealTime);
		expect(lines[0]).toMatchObject({
			custom_id: 'item-0',
			method: 'POST',
			url: '/v1/chat/completions',
		});
		const create = server.seen.find((r) => r.method === 'POST' && r.url === '/v1/batches')!;
		expect(create.body).toEqual({
			input_file_id: 'file-1',
			endpoint: '/v1/chat/completions',
			completion_window: '24h',
		});
		expect(server.seen.every((r) => r.headers.authorization?.startsWith('Bearer '))).toBe(true);
	});

	it('Together: results out of order and an error file pair back by custom id', async () => {
		const api = fake('togetherAi');
		api.script = { reverse: true, failing: ['three'], statuses: ['in_progress', 'completed'] };
		const { output, error } = await run('togetherAi', {}, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.text ?? item.json.error)).toEqual([
			'echo: one',
			'echo: two',
			expect.stringContaining(
				'the request of item 2 failed: This request was refused by the fake provider',
			),
			'echo: four',
		]);
		expect(output[0].json.batch).toEqual({ id: 'batch_1', status: 'completed' });
		expect(output[2].json.batch).toEqual({ id: 'batch_1', status: 'completed' });
		expect([...api.files.values()][0].fields).toEqual({
			purpose: 'batch-api',
			file_name: 'n8n-llm-chat-batch-1.jsonl',
			file_type: 'jsonl',
		});
		expect(server.seen.some((r) => r.url === '/v1/files/upload')).toBe(true);
	});

	it('an expired job keeps its finished lines; the rest fail with the reason', async () => {
		fake().script = { statuses: ['in_progress', 'expired'], doneBeforeEnd: 2 };
		const { output } = await run('openAi', {}, { continueOnFail: true });
		expect(output.map((item) => item.json.text ?? item.json.error)).toEqual([
			'echo: one',
			'echo: two',
			'OpenAI batch job batch_1 expired before the request of item 2 was done',
			'OpenAI batch job batch_1 expired before the request of item 3 was done',
		]);
	});

	it('a job that fails validation fails every item with the provider reason', async () => {
		fake().script = { validationError: 'Model not found' };
		const { output } = await run('openAi', {}, { continueOnFail: true });
		expect(output).toHaveLength(4);
		expect(output[3].json.error).toBe('OpenAI batch job batch_1 failed: line 1: Model not found');
		const stopped = await run('openAi');
		expect(stopped.error?.message).toBe('OpenAI batch job batch_2 failed: line 1: Model not found');
	});

	it('a poll answered 429 and then 500 is retried like any request', async () => {
		const api = fake();
		let polls = 0;
		api.before = (request) => {
			if (request.method !== 'GET' || !request.url.startsWith('/v1/batches/')) return undefined;
			polls++;
			if (polls === 1)
				return {
					kind: 'reply',
					status: 429,
					body: { error: { message: 'slow down' } },
					headers: { 'retry-after': '0' },
				};
			if (polls === 2) return { kind: 'reply', status: 500, body: { error: { message: 'oops' } } };
			return undefined;
		};
		const { output, error } = await run('openAi');
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.text)).toEqual(questions.map((q) => `echo: ${q}`));
		expect(polls).toBeGreaterThanOrEqual(5);
	});

	it('reads a result file of several MB (many reads)', async () => {
		fake().script = { padTo: 100_000, statuses: ['completed'] };
		const many = Array.from({ length: 60 }, (_v, i) => ({ question: `q${i}` }));
		const { output, error } = await runWorkflow({
			parameters: messageParams('openAi', { mode: 'batchWait', batchOptions: FAST }),
			credentials: credentialsFor('openAi', server.url),
			items: many,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(60);
		expect(String(output[59].json.text)).toMatch(/^echo: q59\.+$/);
		expect(String(output[59].json.text)).toHaveLength(100_000);
	});

	it('Max Wait passed: the items fail naming the job, which keeps running', async () => {
		fake().script = { statuses: ['in_progress'] };
		const { output } = await run(
			'openAi',
			{ batchOptions: { ...FAST, maxWait: 0.005 } },
			{ continueOnFail: true },
		);
		expect(output[0].json.error).toBe(
			'OpenAI batch job batch_1 was still in_progress when Max Wait (Minutes) passed (item 0)',
		);
		expect(server.seen.some((r) => r.url.endsWith('/cancel'))).toBe(false);
	});

	it('Max Wait passed, cancel and send in real time: finished lines kept, the rest sent now', async () => {
		fake().script = { statuses: ['in_progress'], doneBeforeEnd: 1 };
		const { output, error } = await run('openAi', {
			batchOptions: { ...FAST, maxWait: 0.005, onTimeout: 'realTime' },
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.text)).toEqual(questions.map((q) => `echo: ${q}`));
		expect(output[0].json.batch).toEqual({ id: 'batch_1', status: 'cancelled' });
		expect(output[1].json.batch).toBeUndefined();
		expect(server.seen.filter((r) => r.url === '/v1/chat/completions')).toHaveLength(3);
		expect(server.seen.some((r) => r.url === '/v1/batches/batch_1/cancel')).toBe(true);
	});

	it('Requests per Minute counts the batch calls; the cancel that stops spending does not wait for it', async () => {
		fake();
		const started = Date.now();
		const result = await runWorkflow({
			parameters: messageParams('openAi', {
				mode: 'batchWait',
				batchOptions: FAST,
				options: { requestsPerMinute: 2 },
			}),
			credentials: credentialsFor('openAi', server.url),
			credentialId: 'batch-requests-per-minute',
			items,
			onStart: (cancel) => setTimeout(cancel, 1500),
		});
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
		for (let i = 0; i < 100 && !server.seen.some((r) => r.url.endsWith('/cancel')); i++)
			await new Promise((resolve) => setTimeout(resolve, 20));
		// Upload and create took the window's two requests; the first poll waited for a slot.
		expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
			'POST /v1/files',
			'POST /v1/batches',
			'POST /v1/batches/batch_1/cancel',
		]);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('cancelling the execution while waiting cancels the job at the provider', async () => {
		fake().script = { statuses: ['in_progress'] };
		const result = await run('openAi', {}, { onStart: (cancel) => setTimeout(cancel, 300) });
		expect(result.run.status === 'canceled' || result.error !== undefined).toBe(true);
		for (let i = 0; i < 100 && !server.seen.some((r) => r.url.endsWith('/cancel')); i++)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(server.seen.filter((r) => r.url === '/v1/batches/batch_1/cancel')).toHaveLength(1);
	});

	it('Hugging Face has no Batch API: Mode is not offered, Get Batch Results fails clearly', async () => {
		const realTime = await runWorkflow({
			parameters: messageParams('huggingFaceTgi', { mode: 'batchWait' }),
			credentials: credentialsFor('huggingFaceTgi', server.url),
			items,
		});
		expect(realTime.output[0].json.text).toBe('echo: one');
		server.seen.length = 0;
		const { error } = await runWorkflow({
			parameters: { provider: 'huggingFaceTgi', operation: 'batchResults', batchId: 'b' },
			credentials: credentialsFor('huggingFaceTgi', server.url),
			items,
		});
		expect(error?.message).toBe('Hugging Face has no Batch API');
		expect(error?.description).toBe(
			'Batch mode is available for Together AI and OpenAI. Set Mode to Real Time.',
		);
		expect(server.seen).toHaveLength(0);
	});
});

describe('Batch: Submit Only, then Get Batch Results', () => {
	it('outputs one item per job, then the status, then one item per request', async () => {
		const api = fake('togetherAi');
		api.script = { reverse: true, failing: ['two'], statuses: ['in_progress', 'completed'] };
		const submitted = await run('togetherAi', { mode: 'batchSubmit' });
		expect(submitted.output.map((item) => item.json)).toEqual([
			{
				batchId: 'batch_1',
				status: 'validating',
				provider: 'togetherAi',
				requestCount: 4,
				customIds: ['item-0', 'item-1', 'item-2', 'item-3'],
			},
		]);
		const results = async () =>
			await runWorkflow({
				parameters: {
					provider: 'togetherAi',
					operation: 'batchResults',
					batchId: '={{ $json.id }}',
				},
				credentials: credentialsFor('togetherAi', server.url),
				items: [{ id: 'batch_1' }],
			});
		const running = await results();
		expect(running.output.map((item) => [item.json.batchId, item.json.status])).toEqual([
			['batch_1', 'in_progress'],
		]);
		const done = await results();
		expect(
			done.output.map((item) => [
				item.json.customId,
				item.json.itemIndex,
				item.json.text ?? item.json.error,
			]),
		).toEqual([
			['item-0', 0, 'echo: one'],
			['item-1', 1, 'This request was refused by the fake provider'],
			['item-2', 2, 'echo: three'],
			['item-3', 3, 'echo: four'],
		]);
	});
});
