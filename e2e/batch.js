// Batch mode in a real n8n, against OpenAI's Batch API as the fake in test/support/batchServer.ts
// answers it: Submit and Wait over 200 items, Submit Only and Get Batch Results in two
// executions, the two batch examples imported and run, and an execution stopped during its wait.
const assert = require('node:assert/strict');
const { after, before, describe, it } = require('node:test');

const { startFakeBatchProvider } = require('./fakeProvider');
const { time, timings } = require('./timing');
const { codeQuestions, llmChat, workflow } = require('./workflows');

const CREDENTIAL_TYPE = 'llmChatOpenAiApi';
// Small, so a run takes seconds: the first poll after 0.3 s, then 0.45 s, 0.68 s, …
const POLL_SECONDS = 0.3;

/** What a request to the fake Batch API was. */
function kindOf({ method, url }) {
	if (method === 'POST' && url === '/v1/files') return 'upload';
	if (method === 'POST' && url === '/v1/batches') return 'create';
	if (method === 'GET' && /^\/v1\/batches\/[^/]+$/.test(url)) return 'poll';
	if (method === 'POST' && /^\/v1\/batches\/[^/]+\/cancel$/.test(url)) return 'cancel';
	if (method === 'GET' && /^\/v1\/files\/[^/]+\/content$/.test(url)) return 'read';
	if (method === 'POST' && url === '/v1/chat/completions') return 'chat';
	return `${method} ${url}`;
}

/** How many requests of each kind. */
function counts(requests) {
	const counted = {};
	for (const request of requests) counted[kindOf(request)] = (counted[kindOf(request)] ?? 0) + 1;
	return counted;
}

/** The lines of the JSONL file the n-th upload (from 1) carried. */
function uploadedLines(batch, fileId) {
	return batch.api.files
		.get(fileId)
		.content.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line));
}

const errorOf = (execution) => JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 800);

const outputOf = (execution, node = 'LLM Chat') => {
	const runs = execution.data.resultData.runData[node];
	assert.ok(runs, `${node} did not run: ${errorOf(execution)}`);
	return runs[0].data.main[0];
};

/** A Code node that outputs one item with this batch ID. */
function batchIdInput(batchId) {
	return { id: 's', name: 'Set', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: `return [{ json: { batchId: ${JSON.stringify(batchId)} } }];` } };
}

/** LLM Chat with the operation Get Batch Results, reading the batch ID from its input. */
function getBatchResults(credential) {
	return {
		id: 'l',
		name: 'LLM Chat',
		type: 'n8n-nodes-llm-chat.llmChat',
		typeVersion: 1,
		position: [440, 0],
		parameters: { provider: 'openAi', operation: 'batchResults', batchId: '={{ $json.batchId }}' },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
	};
}

/** Waits until `check()` is true, or fails naming `what`. */
async function until(what, check, timeoutMs = 30_000) {
	for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
		if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** An execution as n8n reports it, data parsed. */
async function executionById(client, id) {
	const { parse } = require('flatted');
	const execution = await client.call('GET', `/executions/${id}`);
	return { ...execution, data: parse(execution.data) };
}

/**
 * 200 items through Submit and Wait on a job that runs `runMs`: the output of each item in input
 * order, paired, with its job; one upload, one create, a few polls, one result file read.
 * Shared by npm run e2e and npm run e2e:queue (where `check` adds the worker's part).
 */
async function submitAndWait200({ client, batch, credential, label, runMs = 2000, check = () => {} }) {
	const questions = Array.from({ length: 200 }, (_, i) => `batch item ${i}`);
	batch.api.script = { runMs, statuses: ['finalizing', 'completed'] };
	const saved = await client.createWorkflow(
		workflow(label, codeQuestions(questions), llmChat({ provider: 'openAi', credentialType: CREDENTIAL_TYPE, credential, parameters: { mode: 'batchWait', batchOptions: { pollInterval: POLL_SECONDS } } })),
	);
	const before = batch.requests.length;
	const execution = await time(`${label}: run`, async () => client.runWorkflow(saved, 'Manual Trigger', 120_000));
	assert.equal(execution.status, 'success', errorOf(execution));
	const sent = batch.requests.slice(before);
	const seen = counts(sent);
	timings[`${label}: requests`] = JSON.stringify(seen);
	assert.equal(seen.upload, 1);
	assert.equal(seen.create, 1);
	assert.equal(seen.read, 1, 'one result file (no error file)');
	assert.ok(seen.poll >= 3 && seen.poll <= 8, `${seen.poll} polls`);
	assert.equal(Object.keys(seen).length, 4, `unexpected requests: ${JSON.stringify(seen)}`);
	const upload = sent.find((request) => kindOf(request) === 'upload');
	const create = sent.find((request) => kindOf(request) === 'create');
	// The first poll comes after the poll interval, the result file once the job has run runMs.
	const firstPoll = sent.find((request) => kindOf(request) === 'poll');
	assert.ok(firstPoll.at - create.at >= POLL_SECONDS * 1000 - 50, `first poll ${firstPoll.at - create.at} ms after the job`);
	assert.ok(sent.find((request) => kindOf(request) === 'read').at - create.at >= runMs);
	assert.match(upload.headers['content-type'], /^multipart\/form-data; boundary=/);
	assert.deepEqual(create.body, { input_file_id: create.body.input_file_id, endpoint: '/v1/chat/completions', completion_window: '24h' });
	const lines = uploadedLines(batch, create.body.input_file_id);
	assert.deepEqual(lines.map((line) => line.custom_id), questions.map((_, i) => `item-${i}`));
	assert.deepEqual(lines.map((line) => [line.method, line.url]), questions.map(() => ['POST', '/v1/chat/completions']));
	assert.deepEqual(lines.map((line) => line.body.messages), questions.map((q) => [{ role: 'user', content: q }]));
	const jobId = [...batch.api.jobs.values()].find((job) => job.inputFileId === create.body.input_file_id).id;
	const output = outputOf(execution);
	assert.equal(output.length, 200);
	assert.deepEqual(output.map((item) => item.json.text), questions.map((q) => `echo: ${q}`));
	assert.deepEqual(output.map((item) => item.pairedItem), questions.map((_, item) => ({ item })));
	assert.deepEqual(output.map((item) => item.json.batch), questions.map(() => ({ id: jobId, status: 'completed' })));
	assert.deepEqual(output[0].json.usage, { promptTokens: 3, completionTokens: 2, totalTokens: 5 });
	assert.equal(output[0].json.finishReason, 'stop');
	await check(execution);
	return execution;
}

/**
 * A Submit and Wait execution on a job that never ends, stopped over n8n's REST API
 * (POST /rest/executions/:id/stop) while it waits: the job is cancelled at the provider
 * (one POST …/batches/{id}/cancel with the credential's key), no poll follows, and the
 * execution ends as canceled.
 */
async function stopDuringWait({ client, batch, credential, key, label, check = () => {} }) {
	batch.api.script = { statuses: ['in_progress'] }; // never ends
	const saved = await client.createWorkflow(
		workflow(label, codeQuestions(['c0', 'c1', 'c2']), llmChat({ provider: 'openAi', credentialType: CREDENTIAL_TYPE, credential, parameters: { mode: 'batchWait', batchOptions: { pollInterval: POLL_SECONDS } } })),
	);
	const before = batch.requests.length;
	const executionId = await client.startWorkflow(saved, 'Manual Trigger');
	// Waiting: the job was created and polled at least twice.
	await until('two polls', () => (counts(batch.requests.slice(before)).poll ?? 0) >= 2);
	const create = batch.requests.slice(before).find((request) => kindOf(request) === 'create');
	const jobId = [...batch.api.jobs.values()].find((job) => job.inputFileId === create.body.input_file_id).id;
	const stopped = Date.now();
	await client.stopExecution(executionId);
	await until('the cancel request', () => batch.requests.slice(before).some((request) => kindOf(request) === 'cancel'), 15_000);
	const cancels = batch.requests.slice(before).filter((request) => kindOf(request) === 'cancel');
	timings[`${label}: stop to cancel request`] = `${cancels[0].at - stopped} ms`;
	assert.deepEqual(cancels.map((request) => request.url), [`/v1/batches/${jobId}/cancel`]);
	assert.equal(cancels[0].headers.authorization, `Bearer ${key}`);
	assert.equal(batch.api.jobs.get(jobId).cancelled, true);
	let execution;
	await until('the execution ended', async () => !['new', 'running', 'waiting'].includes((execution = await executionById(client, executionId)).status));
	assert.equal(execution.status, 'canceled');
	// No poll after the cancel.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	assert.equal(batch.requests.filter((request) => request.at > cancels[0].at && kindOf(request) === 'poll').length, 0);
	await check(execution);
}

function describeBatchTests({ key, live }) {
	describe('batch mode against a Batch API (OpenAI’s, faked), in a real n8n', () => {
		let batch;
		let credential;
		before(async () => {
			batch = await startFakeBatchProvider({ key });
			credential = await live().client.createCredential('batch e2e', CREDENTIAL_TYPE, { apiKey: key, baseUrl: batch.url, apiVersion: 'v1' });
		});
		after(async () => await batch?.stop());

		it('Submit and Wait: 200 items as one job, each item its own reply, in order and paired, with the job', async () => {
			await submitAndWait200({ client: live().client, batch, credential, label: 'batch 200 items' });
		});

		it('Submit Only, then Get Batch Results in a second execution: one item per request, custom ids and item indexes', async () => {
			const { client } = live();
			const questions = ['q0', 'q1', 'q2', 'q3', 'q4'];
			// Results written in reverse, one request failing; the job ends 2 s after its creation.
			batch.api.script = { runMs: 2000, statuses: ['completed'], reverse: true, failing: ['q3'] };
			const submit = await client.createWorkflow(
				workflow('batch submit only', codeQuestions(questions), llmChat({ provider: 'openAi', credentialType: CREDENTIAL_TYPE, credential, parameters: { mode: 'batchSubmit' } })),
			);
			const before = batch.requests.length;
			const submitted = await client.runWorkflow(submit, 'Manual Trigger');
			assert.equal(submitted.status, 'success', errorOf(submitted));
			assert.deepEqual(counts(batch.requests.slice(before)), { upload: 1, create: 1 });
			const [job] = outputOf(submitted);
			assert.deepEqual(job.json, { batchId: job.json.batchId, status: 'validating', provider: 'openAi', requestCount: 5, customIds: questions.map((_, i) => `item-${i}`) });
			assert.match(job.json.batchId, /^batch_\d+$/);
			assert.deepEqual(job.pairedItem, questions.map((_, item) => ({ item })));

			const results = await client.createWorkflow(workflow('batch get results', batchIdInput(job.json.batchId), getBatchResults(credential)));
			// While the job runs: its status, one item.
			const early = await client.runWorkflow(results, 'Manual Trigger');
			assert.equal(early.status, 'success', errorOf(early));
			const [status] = outputOf(early);
			assert.equal(status.json.batchId, job.json.batchId);
			assert.equal(status.json.status, 'in_progress');
			// Once the job has ended (the fake ends it 2 s after it was created).
			await new Promise((resolve) => setTimeout(resolve, 2200));
			const later = Date.now();
			const execution = await client.runWorkflow(results, 'Manual Trigger');
			assert.equal(execution.status, 'success', errorOf(execution));
			assert.deepEqual(counts(batch.requests.filter((request) => request.at >= later)), { poll: 1, read: 2 });
			const output = outputOf(execution);
			assert.deepEqual(output.map((item) => item.json.customId), questions.map((_, i) => `item-${i}`));
			assert.deepEqual(output.map((item) => item.json.itemIndex), [0, 1, 2, 3, 4]);
			assert.deepEqual(output.map((item) => item.json.text ?? null), ['echo: q0', 'echo: q1', 'echo: q2', null, 'echo: q4']);
			assert.equal(output[3].json.error, 'This request was refused by the fake provider');
			assert.deepEqual(output.map((item) => item.json.batch), questions.map(() => ({ id: job.json.batchId, status: 'completed' })));
			assert.deepEqual(output.map((item) => item.pairedItem), questions.map(() => ({ item: 0 })));
		});

		it('examples/llm-chat-batch-wait.json imports over REST and runs (poll interval shortened by the test)', async () => {
			const { client } = live();
			const example = structuredClone(require('../examples/llm-chat-batch-wait.json'));
			const chat = example.nodes.find((node) => node.type === 'n8n-nodes-llm-chat.llmChat');
			chat.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
			// The example polls after 60 s, as suits a real job; the fake's job ends in 1 s.
			assert.equal(chat.parameters.batchOptions.pollInterval, 60);
			chat.parameters.batchOptions.pollInterval = POLL_SECONDS;
			batch.api.script = { runMs: 1000, statuses: ['completed'] };
			const saved = await client.createWorkflow({ ...example, name: 'batch wait example' });
			const before = batch.requests.length;
			const execution = await client.runWorkflow(saved, example.nodes[0].name);
			assert.equal(execution.status, 'success', errorOf(execution));
			const sent = batch.requests.slice(before);
			assert.equal(counts(sent).chat, undefined, 'nothing sent in real time');
			const create = sent.find((request) => kindOf(request) === 'create');
			const lines = uploadedLines(batch, create.body.input_file_id);
			assert.equal(lines.length, 3);
			assert.equal(lines[0].body.model, 'gpt-4o-mini');
			assert.equal(lines[0].body.temperature, 0.2);
			assert.equal(lines[0].body.max_completion_tokens, 200);
			assert.deepEqual(lines[0].body.messages[0], { role: 'system', content: 'You answer in one short sentence.' });
			assert.deepEqual(outputOf(execution).map((item) => [item.json.text, item.json.batch.status]), [
				['echo: What is the capital of France?', 'completed'],
				['echo: Name three prime numbers.', 'completed'],
				["echo: Translate 'good morning' into German.", 'completed'],
			]);
		});

		it('examples/llm-chat-batch-submit.json imports over REST: as it is it waits (the Wait node) after submitting; with a 2 s Wait it reads the results', async () => {
			const { client } = live();
			const load = () => {
				const example = structuredClone(require('../examples/llm-chat-batch-submit.json'));
				for (const node of example.nodes.filter((n) => n.type === 'n8n-nodes-llm-chat.llmChat'))
					node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
				return example;
			};
			batch.api.script = { runMs: 1000, statuses: ['completed'] };

			// As it is: Submit Batch runs, then the execution waits for the hour of the Wait node.
			const asIs = await client.createWorkflow({ ...load(), name: 'batch submit example' });
			const waitingId = await client.startWorkflow(asIs, load().nodes[0].name);
			let waiting;
			await until('the example execution waiting', async () => (waiting = await executionById(client, waitingId)).status === 'waiting');
			const [job] = outputOf(waiting, 'Submit Batch');
			assert.equal(job.json.requestCount, 3);
			assert.equal(waiting.data.resultData.runData['Get Batch Results'], undefined);
			await client.stopExecution(waitingId);

			// The Wait shortened to 2 s: Get Batch Results then reads the ended job.
			const example = load();
			const wait = example.nodes.find((node) => node.name === 'Wait');
			assert.deepEqual(wait.parameters, { amount: 1, unit: 'hours' });
			wait.parameters = { amount: 2, unit: 'seconds' };
			const saved = await client.createWorkflow({ ...example, name: 'batch submit example, short wait' });
			const execution = await client.runWorkflow(saved, example.nodes[0].name);
			assert.equal(execution.status, 'success', errorOf(execution));
			const [submitted] = outputOf(execution, 'Submit Batch');
			const output = outputOf(execution, 'Get Batch Results');
			assert.deepEqual(output.map((item) => [item.json.customId, item.json.itemIndex, item.json.text, item.json.batch.id]), [
				['item-0', 0, 'echo: What is the capital of France?', submitted.json.batchId],
				['item-1', 1, 'echo: Name three prime numbers.', submitted.json.batchId],
				['item-2', 2, "echo: Translate 'good morning' into German.", submitted.json.batchId],
			]);
		});

		it('stopping the execution during the wait cancels the job at the provider', async () => {
			await stopDuringWait({ client: live().client, batch, credential, key, label: 'batch cancelled' });
		});
	});
}

module.exports = { describeBatchTests, stopDuringWait, submitAndWait200 };
