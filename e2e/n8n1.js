// npm run e2e:n8n1: the package in a real n8n 1.x on the system's Node 20, which has no
// @n8n/ai-node-sdk. The package must load, LLM Chat must work and LLM Chat Model must say
// what it needs instead of breaking anything.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { CACHE_DIR, stagePackage, startN8n } = require('../scripts/n8n');
const { N8nClient } = require('./n8nClient');
const { freePort, time, timings } = require('./timing');
const { startFakeProvider } = require('./fakeProvider');
const { agent, aiWorkflow, chatModel } = require('./agentWorkflows');
const { llmChat, setQuestion, workflow } = require('./workflows');

const KEY = 'sk-e2e-n8n1-0123456789';
const OWNER = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Passw0rd!' };
const OPENAI = { provider: 'openAi', credentialType: 'llmChatOpenAiApi', prefix: '/openai', apiVersion: 'v1' };
const manualTrigger = { id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
// The npm scripts put Node 24 first on PATH; n8n 1.x runs on the system's Node (18-22).
const SYSTEM_PATH = process.env.PATH.split(path.delimiter).filter((dir) => !dir.startsWith(CACHE_DIR)).join(path.delimiter);

let n8n;
let provider;
let client;
let userFolder;
let credential;

before(async () => {
	const n8nDir = await time('n8n 1.x install (or cache check)', async () =>
		execFileSync(path.join(__dirname, '..', 'scripts', 'install-n8n1.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PATH: SYSTEM_PATH } }).trim(),
	);
	userFolder = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-n8n1-'));
	stagePackage(userFolder);
	provider = await startFakeProvider({ key: KEY, latencyMs: 0 });
	n8n = await time('n8n 1.x boot', async () =>
		startN8n({
			n8nDir,
			userFolder,
			port: await freePort(),
			logFile: path.join(userFolder, 'n8n.log'),
			// Node 20 has no isolated-vm binary for 1.x's default expression engine.
			env: { PATH: SYSTEM_PATH, N8N_DISABLED_MODULES: '', N8N_EXPRESSION_ENGINE: 'legacy', N8N_LOG_LEVEL: 'debug', N8N_RUNNERS_ENABLED: 'false' },
		}),
	);
	// n8n 1.x reports ready before its REST routes are up; until then the editor's page answers.
	for (const deadline = Date.now() + 60_000; ; ) {
		const response = await fetch(`${n8n.baseUrl}/rest/settings`).catch(() => undefined);
		if (response?.headers.get('content-type')?.includes('json')) break;
		if (Date.now() > deadline) throw new Error('n8n 1.x REST API not up after 60 s');
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	client = new N8nClient(n8n.baseUrl);
	await client.setupOwner(OWNER);
});

after(async () => {
	await n8n?.stop();
	await provider?.stop();
	if (userFolder && !process.env.LLM_CHAT_KEEP_E2E) rmSync(userFolder, { recursive: true, force: true });
	console.log('e2e:n8n1 durations:', JSON.stringify(timings));
});

describe('in n8n 1.x (no @n8n/ai-node-sdk)', () => {
	it('runs on Node 20 and loads both nodes and the three credentials of the package', async () => {
		const version = execFileSync('node', ['-v'], { encoding: 'utf8', env: { ...process.env, PATH: SYSTEM_PATH } }).trim();
		assert.match(version, /^v(18|20|22)\./);
		// eslint-disable-next-line no-control-regex -- the log is coloured
		const log = readFileSync(path.join(userFolder, 'n8n.log'), 'utf8').replace(/\x1B\[[0-9;]*m/g, '');
		assert.match(log, /Loaded all credentials and nodes from n8n-nodes-llm-chat \{ "credentials": 3, "nodes": 2,/);
		// The node types the editor loads (the list, or in some releases the list under a key).
		const served = await (await fetch(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: client.cookie, 'browser-id': client.browserId } })).json();
		const types = Array.isArray(served) ? served : Object.values(served).find(Array.isArray) ?? [];
		const names = types.map((type) => type.name);
		assert.ok(names.length > 100, `unexpected /types/nodes.json: ${JSON.stringify(served).slice(0, 300)}`);
		assert.ok(names.includes('n8n-nodes-llm-chat.llmChat'));
		assert.ok(names.includes('n8n-nodes-llm-chat.llmChatModel'));
	});

	it('the Test button and LLM Chat work as on n8n 2.x', async () => {
		const data = { apiKey: KEY, baseUrl: `${provider.url}${OPENAI.prefix}/`, apiVersion: OPENAI.apiVersion };
		credential = await client.createCredential('openAi n8n1', OPENAI.credentialType, data);
		const tested = await client.testCredential(credential, data);
		assert.equal(tested.status, 'OK', tested.message);
		const saved = await client.createWorkflow(workflow('n8n1 chat', setQuestion('Hello from n8n 1.x'), llmChat({ ...OPENAI, credential })));
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 500));
		assert.equal(execution.data.resultData.runData['LLM Chat'][0].data.main[0][0].json.text, 'echo: Hello from n8n 1.x');
	});

	it('an AI Agent with LLM Chat Model stops with "needs n8n 2.16 or newer", before any request', async () => {
		const saved = await client.createWorkflow(
			aiWorkflow('n8n1 agent', { trigger: manualTrigger, root: { ...agent('Hi'), typeVersion: 2 }, model: chatModel({ ...OPENAI, credential }) }),
		);
		const before = provider.requests.length;
		const execution = await client.runWorkflow(saved, 'Manual Trigger');
		assert.equal(execution.status, 'error');
		assert.match(JSON.stringify(execution.data.resultData.error), /LLM Chat Model needs n8n 2\.16 or newer/);
		assert.equal(provider.requests.length, before);
	});
});
