// npm run e2e:queue: the package in n8n's queue mode, the way n8n scales past one process:
// a main instance and workers sharing Redis and PostgreSQL. Every service is started here,
// on loopback ports in a temporary folder, and stopped at the end, also on failure.
const assert = require('node:assert/strict');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { ensureN8n, stagePackage, startN8n, PACKAGE } = require('../scripts/n8n');
const { startFakeBatchProvider, startFakeProvider } = require('./fakeProvider');
const { stopDuringWait, submitAndWait200 } = require('./batch');
const { N8nClient } = require('./n8nClient');
const { agent, aiWorkflow, chatModel } = require('./agentWorkflows');
const { freePort, time, timings } = require('./timing');
const { installQueueServices, startPostgres, startRedis } = require('./queueServices');
const { codeQuestions, llmChat, workflow } = require('./workflows');

const KEY = 'sk-queue-0123456789';
const OWNER = { email: 'owner@example.com', firstName: 'Queue', lastName: 'Owner', password: 'Queue-Passw0rd!' };
const DB = { user: 'n8n', password: 'n8n-queue-pw', database: 'n8n' };

let tmp;
let n8nDir;
let redis;
let postgres;
let provider;
let main;
let client;
let credential;
let batch;
let batchCredential;
const workers = [];
let queueEnv;

/** A worker with its own user folder, where the package is installed as on the main. */
async function startWorker(name) {
	const userFolder = path.join(tmp, name);
	stagePackage(userFolder);
	const port = await freePort();
	const logFile = path.join(userFolder, 'worker.log');
	const worker = await startN8n({
		n8nDir,
		userFolder,
		port,
		logFile,
		command: 'worker',
		env: {
			...queueEnv,
			N8N_LOG_LEVEL: 'debug',
			// One job at a time, so two executions land on two workers.
			N8N_CONCURRENCY_PRODUCTION_LIMIT: '1',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
	});
	const entry = { name, worker, log: () => readFileSync(logFile, 'utf8') };
	workers.push(entry);
	return entry;
}

before(async () => {
	await time('queue services install (or check)', async () => installQueueServices());
	n8nDir = await time('n8n install (or cache check)', async () => ensureN8n());
	tmp = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-queue-'));
	const [redisPort, pgPort] = [await freePort(), await freePort()];
	redis = await time('redis start', async () => startRedis(path.join(tmp, 'redis'), redisPort));
	postgres = await time('postgres init and start', async () => startPostgres(path.join(tmp, 'pg'), pgPort, DB));
	queueEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pgPort),
		DB_POSTGRESDB_DATABASE: DB.database,
		DB_POSTGRESDB_USER: DB.user,
		DB_POSTGRESDB_PASSWORD: DB.password,
		// Main and workers decrypt the same credentials.
		N8N_ENCRYPTION_KEY: 'queue-e2e-encryption-key-0123456789',
		// Manual executions go to the workers too (the default from n8n 3 on).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
	provider = await startFakeProvider({ key: KEY, latencyMs: 100 });
	const mainFolder = path.join(tmp, 'main');
	stagePackage(mainFolder);
	main = await time('n8n main boot', async () =>
		startN8n({
			n8nDir,
			userFolder: mainFolder,
			port: await freePort(),
			logFile: path.join(mainFolder, 'main.log'),
			// Each process has its own task-runner broker; the default port would clash.
			env: { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		}),
	);
	await time('n8n worker 1 boot', async () => startWorker('worker-1'));
	client = new N8nClient(main.baseUrl);
	await client.setupOwner(OWNER);
	credential = await client.createCredential('queue OpenAI', 'llmChatOpenAiApi', { apiKey: KEY, baseUrl: provider.url, apiVersion: 'v1' });
	batch = await startFakeBatchProvider({ key: KEY });
	batchCredential = await client.createCredential('queue OpenAI batch', 'llmChatOpenAiApi', { apiKey: KEY, baseUrl: batch.url, apiVersion: 'v1' });
});

after(async () => {
	for (const { worker } of workers) await worker?.stop();
	await main?.stop();
	await provider?.stop();
	await batch?.stop();
	redis?.stop();
	postgres?.stop();
	if (tmp && !process.env.LLM_CHAT_KEEP_E2E) rmSync(tmp, { recursive: true, force: true });
	console.log('e2e:queue durations:', JSON.stringify(timings));
});

/** The workers whose log says "Worker started execution <id>". */
const workersThatRan = (executionId) =>
	workers.filter((entry) => entry.log().includes(`Worker started execution ${executionId} `)).map((entry) => entry.name);

const outputOf = (execution) => execution.data.resultData.runData['LLM Chat']?.[0]?.data?.main?.[0] ?? [];

describe('n8n queue mode: main, Redis, PostgreSQL and workers', () => {
	it('a worker loads the package installed in its user folder', () => {
		// n8n's loader, at debug level: "Loaded all credentials and nodes from <package> { credentials: 3, nodes: 2 }".
		const log = workers[0].log().replace(/\u001b\[[0-9;]*m/g, '');
		const loaded = new RegExp(`Loaded all credentials and nodes from ${PACKAGE.name} \\{ "credentials": (\\d+), "nodes": (\\d+)`).exec(log);
		assert.ok(loaded, 'the worker log does not show the package loaded');
		assert.deepEqual([Number(loaded[1]), Number(loaded[2])], [PACKAGE.n8n.credentials.length, PACKAGE.n8n.nodes.length]);
	});

	it('200 items at 100 ms latency run on the worker, all answered, in order and paired', async () => {
		const questions = Array.from({ length: 200 }, (_, i) => `item ${i}`);
		const saved = await client.createWorkflow(
			workflow('queue 200 items', codeQuestions(questions), llmChat({ provider: 'openAi', credentialType: 'llmChatOpenAiApi', credential, parameters: { options: { maxConcurrency: 10 } } })),
		);
		const before = provider.requests.length;
		const execution = await time('run of 200 items', async () => client.runWorkflow(saved, 'Manual Trigger', 180_000));
		assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
		const output = outputOf(execution);
		assert.deepEqual(output.map((item) => item.json.text), questions.map((q) => `echo: ${q}`));
		assert.deepEqual(output.map((item) => item.pairedItem), questions.map((_, item) => ({ item })));
		assert.equal(provider.requests.length - before, 200);
		// The worker ran it, not the main.
		assert.deepEqual(workersThatRan(execution.id), ['worker-1']);
	});

	it('an AI Agent with LLM Chat Model runs on the worker, which loads n8n\'s own SDK for it', async () => {
		const manualTrigger = { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
		const model = chatModel({ provider: 'openAi', credentialType: 'llmChatOpenAiApi', credential });
		const saved = await client.createWorkflow(aiWorkflow('queue agent', { trigger: manualTrigger, root: agent('Hello from a worker'), model }));
		const before = provider.requests.length;
		const execution = await client.runWorkflow(saved, 'Manual Trigger', 60_000);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
		const runData = execution.data.resultData.runData;
		assert.equal(runData['AI Agent'][0].data.main[0][0].json.output, 'echo: Hello from a worker');
		assert.deepEqual(runData['LLM Chat Model'][0].data.ai_languageModel[0][0].json.tokenUsage, { promptTokens: 3, completionTokens: 2, totalTokens: 5 });
		assert.equal(provider.requests.length - before, 1);
		assert.deepEqual(workersThatRan(execution.id), ['worker-1']);
	});

	it('Batch: Submit and Wait over 200 items runs on the worker: one job, polled until it ends, each item its reply', async () => {
		await submitAndWait200({
			client,
			batch,
			credential: batchCredential,
			label: 'queue batch 200 items',
			check: (execution) => assert.deepEqual(workersThatRan(execution.id), ['worker-1']),
		});
	});

	it('Batch: stopping a worker\'s execution during the wait cancels the job at the provider', async () => {
		await stopDuringWait({
			client,
			batch,
			credential: batchCredential,
			key: KEY,
			label: 'queue batch cancelled',
			check: (execution) => assert.deepEqual(workersThatRan(execution.id), ['worker-1']),
		});
	});

	it('with two workers, Requests per Minute is counted by each worker process on its own', async () => {
		await time('n8n worker 2 boot', async () => startWorker('worker-2'));
		const LIMIT = 5;
		const questions = Array.from({ length: 8 }, (_, i) => `limited ${i}`);
		const saved = await client.createWorkflow(
			workflow('queue rate limit', codeQuestions(questions), llmChat({ provider: 'openAi', credentialType: 'llmChatOpenAiApi', credential, parameters: { options: { requestsPerMinute: LIMIT, maxConcurrency: 8 } } })),
		);
		const before = provider.requests.length;
		const started = Date.now();
		const ids = await Promise.all([1, 2].map(async () => await client.startWorkflow(saved, 'Manual Trigger')));
		// Within the first window: each worker starts LIMIT requests and then waits for the window.
		for (const deadline = Date.now() + 30_000; provider.requests.length - before < 2 * LIMIT && Date.now() < deadline; ) {
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		await new Promise((resolve) => setTimeout(resolve, 3000)); // nothing more may start
		const inWindow = provider.requests.slice(before).filter((request) => request.at - started < 60_000);
		timings['two workers, first window'] = `${inWindow.length} requests`;
		for (const id of ids) await client.stopExecution(id);
		// Shared by the process, not by the cluster: more than one worker's budget, at most two.
		assert.equal(inWindow.length, 2 * LIMIT);
		// And the two executions ran on the two workers, one each.
		assert.deepEqual(ids.flatMap(workersThatRan).sort(), ['worker-1', 'worker-2']);
	});
});
