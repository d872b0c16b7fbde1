// npm run bench (part 3): a Basic LLM Chain over 200 items, in a real n8n, with LLM Chat
// Model and with n8n's own OpenAI Chat Model, on the same local server answering in 100 ms.
// Figures only, no assertions: the machine is shared.
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, stagePackage, startN8n } = require('../scripts/n8n');
const { N8nClient } = require('../e2e/n8nClient');
const { aiWorkflow, chain, chatModel, openAiChatModel } = require('../e2e/agentWorkflows');
const { codeQuestions } = require('../e2e/workflows');
const { freePort } = require('../e2e/timing');
const { FaultServer } = require('../test/support/faultServer.ts');

const ITEMS = 200;
const LATENCY_MS = 100;
const REPEATS = 3;
const KEY = 'sk-bench-0123456789';
const OWNER = {
	email: 'bench@example.com',
	firstName: 'Bench',
	lastName: 'Owner',
	password: 'Bench-Passw0rd!',
};
const manualTrigger = {
	id: 't',
	name: 'Manual Trigger',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	const n8nDir = await ensureN8n();
	const userFolder = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-bench-'));
	stagePackage(userFolder);
	const server = await new FaultServer({
		key: KEY,
		models: ['bench-model'],
		latencyMs: LATENCY_MS,
		record: false,
	}).start();
	const n8n = await startN8n({
		n8nDir,
		userFolder,
		port: await freePort(),
		logFile: path.join(userFolder, 'n8n.log'),
		env: { N8N_LOG_LEVEL: 'warn' },
	});
	try {
		const client = new N8nClient(n8n.baseUrl);
		await client.setupOwner(OWNER);
		const ours = await client.createCredential('bench ours', 'llmChatOpenAiApi', {
			apiKey: KEY,
			baseUrl: server.url,
			apiVersion: 'v1',
		});
		const theirs = await client.createCredential('bench n8n', 'openAiApi', {
			apiKey: KEY,
			url: `${server.url}/v1`,
		});
		const questions = Array.from({ length: ITEMS }, (_, i) => `question ${i}`);
		const input = { ...codeQuestions(questions), name: 'Questions' };
		const models = {
			'LLM Chat Model': {
				...chatModel({ provider: 'openAi', credentialType: 'llmChatOpenAiApi', credential: ours }),
				position: [440, 220],
			},
			"n8n's OpenAI Chat Model": openAiChatModel(theirs),
		};
		const workflows = {};
		for (const [label, model] of Object.entries(models)) {
			const workflow = aiWorkflow(`bench ${label}`, {
				trigger: manualTrigger,
				input,
				root: chain(),
				model: {
					...model,
					parameters: {
						...model.parameters,
						model: { __rl: true, mode: 'id', value: 'bench-model' },
					},
				},
			});
			workflows[label] = await client.createWorkflow(workflow);
		}
		const walls = Object.fromEntries(Object.keys(models).map((label) => [label, []]));
		// Alternating, so neither gets the warmer machine.
		for (let repeat = 0; repeat < REPEATS; repeat++) {
			for (const label of Object.keys(models)) {
				const execution = await client.runWorkflow(workflows[label], 'Manual Trigger', 600_000);
				const output =
					execution.data.resultData.runData['Basic LLM Chain']?.[0]?.data?.main?.[0] ?? [];
				if (
					execution.status !== 'success' ||
					output.length !== ITEMS ||
					output[ITEMS - 1].json.text !== `echo: question ${ITEMS - 1}`
				)
					throw new Error(
						`${label}: ${execution.status}, ${output.length} items: ${JSON.stringify(execution.data.resultData.error ?? {}).slice(0, 300)}`,
					);
				walls[label].push(new Date(execution.stoppedAt) - new Date(execution.startedAt));
			}
		}
		const rows = Object.entries(walls).map(([label, ms]) => ({
			model: label,
			'median wall (s)': (median(ms) / 1000).toFixed(2),
			'runs (s)': ms.map((m) => (m / 1000).toFixed(2)).join(' / '),
		}));
		console.log(
			`\nBasic LLM Chain, ${ITEMS} items, server latency ${LATENCY_MS} ms, real n8n, ${REPEATS} alternating runs each:`,
		);
		console.table(rows);
		const results = path.join(__dirname, 'results');
		mkdirSync(results, { recursive: true });
		writeFileSync(
			path.join(results, 'chat-model.json'),
			`${JSON.stringify({ items: ITEMS, latencyMs: LATENCY_MS, walls }, null, 2)}\n`,
		);
	} finally {
		await n8n.stop();
		await server.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
