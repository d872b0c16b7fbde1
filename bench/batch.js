// npm run bench (batch part): 10,000 items through batch mode in n8n-core's real engine, against
// the fake Batch API in another process: building and uploading the JSONL (Submit Only), reading
// and pairing a 10,000-line result file (Get Batch Results), and the whole Submit and Wait.
const { execFileSync, fork } = require('node:child_process');
const path = require('node:path');

execFileSync(
	path.join(__dirname, '..', 'node_modules', '.bin', 'tsc'),
	['-p', path.join(__dirname, 'tsconfig.json')],
	{ stdio: 'inherit' },
);
const { runWorkflow } = require('./.build/test/support/engine.js');

const N = 10_000;

async function startServer() {
	const child = fork(path.join(__dirname, 'batchServer.js'), [], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
	});
	const port = await new Promise((resolve) =>
		child.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
	);
	return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** One workflow run: wall time, this process's CPU time, and peak RSS over the RSS before it. */
async function measure(label, options) {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peakRss = rssBefore;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const result = await runWorkflow(options);
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	if (result.error) throw result.error;
	return {
		step: label,
		outputs: result.output.length,
		'wall ms': Math.round(wallMs),
		'CPU ms': Math.round((cpu.user + cpu.system) / 1000),
		'peak RSS over baseline MB': Math.round(
			Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20 - rssBefore / 2 ** 20,
		),
		result,
	};
}

(async () => {
	const server = await startServer();
	const credentials = {
		llmChatOpenAiApi: { apiKey: 'bench', baseUrl: server.url, apiVersion: 'v1' },
	};
	const message = {
		provider: 'openAi',
		operation: 'message',
		model: { __rl: true, mode: 'id', value: 'bench-model' },
		messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
		batchOptions: { pollInterval: 0.01 },
	};
	const items = Array.from({ length: N }, (_, i) => ({ question: `question ${i}` }));
	try {
		const submit = await measure('build + upload JSONL (Submit Only)', {
			parameters: { ...message, mode: 'batchSubmit' },
			credentials,
			items,
		});
		const batchId = submit.result.output[0].json.batchId;
		const read = await measure('parse + pair result file (Get Batch Results)', {
			parameters: { provider: 'openAi', operation: 'batchResults', batchId },
			credentials,
			items: [{}],
		});
		const whole = await measure('Submit and Wait, whole run', {
			parameters: { ...message, mode: 'batchWait' },
			credentials,
			items,
		});
		whole.result.output.forEach((item, i) => {
			if (item.json.text !== `echo: question ${i}`) throw new Error(`item ${i} out of order`);
		});
		const rows = [submit, read, whole].map(({ result, ...row }) => row);
		console.log(`\nBatch mode, ${N} items (goal: < 2 s CPU, < 200 MB over baseline for each step)`);
		console.table(rows);
	} finally {
		server.stop();
	}
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
