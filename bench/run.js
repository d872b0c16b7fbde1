// npm run bench: throughput, CPU and memory of the LLM Chat node, run through
// n8n-core's real engine against a local server (another process) with a set latency.
const { execFileSync, fork } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(__dirname, 'tsconfig.json')], { stdio: 'inherit' });
const { runWorkflow } = require('./.build/test/support/engine.js');

const N = 200;
const LATENCY_MS = 100;
const CONCURRENCY = [1, 5, 10, 20];
const BIG_N = 10_000;

async function startServer(latencyMs) {
	const child = fork(path.join(__dirname, 'server.js'), [String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
	const port = await new Promise((resolve) => child.stdout.once('data', (data) => resolve(Number(String(data).trim()))));
	return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Runs one workflow and measures wall time, this process's CPU time and its peak RSS. */
async function measure(serverUrl, items, concurrency) {
	const parameters = {
		provider: 'openAi',
		operation: 'message',
		model: { __rl: true, mode: 'id', value: 'bench-model' },
		messages: { values: [{ role: 'user', content: '={{ $json.question }}' }] },
		options: { maxConcurrency: concurrency },
	};
	const input = Array.from({ length: items }, (_, i) => ({ question: `question ${i}` }));
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage().rss;
	let peakRss = rssBefore;
	// memoryUsage.rss() is the cheap variant: the sampler must not add to the CPU being measured.
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const result = await runWorkflow({ parameters, credentials: { llmChatOpenAiApi: { apiKey: 'bench', baseUrl: serverUrl, apiVersion: 'v1' } }, items: input });
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
	// What stays after a full GC while the result is still held: the memory the run really keeps.
	global.gc?.();
	const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
	if (result.error) throw result.error;
	if (result.output.length !== items) throw new Error(`expected ${items} outputs, got ${result.output.length}`);
	result.output.forEach((item, i) => {
		if (item.pairedItem.item !== i || item.json.text !== `reply to question ${i}`) throw new Error(`item ${i} out of order`);
	});
	return { wallMs, cpuMsPerItem: (cpu.user + cpu.system) / 1000 / items, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: peakRss / 2 ** 20, retainedMb };
}

const round = (n, digits = 1) => Number(n.toFixed(digits));

/**
 * The floor for comparison: the same pool sending the same requests with bare
 * node:http (a new connection per request, as n8n's helper does), no n8n at all.
 */
async function bareHttpWallMs(serverUrl, items, concurrency) {
	const http = require('node:http');
	const { mapConcurrent } = require(path.join(ROOT, 'dist', 'nodes', 'LlmChat', 'helpers', 'pool.js'));
	const { hostname, port } = new URL(serverUrl);
	const send = (i) =>
		new Promise((resolve, reject) => {
			const req = http.request({ hostname, port, method: 'POST', path: '/v1/chat/completions', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
				res.resume();
				res.on('end', resolve);
			});
			req.on('error', reject);
			req.end(JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `question ${i}` }] }));
		});
	const started = process.hrtime.bigint();
	await mapConcurrent(items, concurrency, send);
	return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
	const results = { date: new Date().toISOString(), node: process.version, n: N, latencyMs: LATENCY_MS, concurrency: [], bigRun: undefined };

	const slow = await startServer(LATENCY_MS);
	try {
		await measure(slow.url, 20, 20); // warm-up: module loading, JIT, keep-alive sockets
		for (const c of CONCURRENCY) {
			const m = await measure(slow.url, N, c);
			const idealMs = Math.ceil(N / c) * LATENCY_MS;
			const bareMs = await bareHttpWallMs(slow.url, N, c);
			results.concurrency.push({
				concurrency: c,
				wallMs: round(m.wallMs),
				idealMs,
				efficiency: round(idealMs / m.wallMs, 3),
				bareHttpEfficiency: round(idealMs / bareMs, 3),
				cpuMsPerItem: round(m.cpuMsPerItem, 3),
				peakRssMb: round(m.peakRssMb),
			});
		}
	} finally {
		slow.stop();
	}

	const fast = await startServer(0);
	try {
		await measure(fast.url, 500, 20); // warm-up
		const m = await measure(fast.url, BIG_N, 20);
		results.bigRun = {
			items: BIG_N,
			latencyMs: 0,
			concurrency: 20,
			wallMs: round(m.wallMs),
			itemsPerSecond: round(BIG_N / (m.wallMs / 1000), 0),
			cpuMsPerItem: round(m.cpuMsPerItem, 3),
			rssBeforeMb: round(m.rssBeforeMb),
			peakRssMb: round(m.peakRssMb),
			peakRssOverBaselineMb: round(m.peakRssMb - m.rssBeforeMb),
			retainedHeapMb: round(m.retainedMb),
		};
	} finally {
		fast.stop();
	}

	console.log(`\nLLM Chat benchmark (Node ${process.version}, n8n-core engine in-process, server in another process)\n`);
	console.log(`N = ${N} items, server latency ${LATENCY_MS} ms`);
	console.table(results.concurrency.map((r) => ({ 'max concurrent': r.concurrency, 'wall ms': r.wallMs, 'ideal ms': r.idealMs, efficiency: r.efficiency, 'bare node:http efficiency': r.bareHttpEfficiency, 'CPU ms/item': r.cpuMsPerItem, 'peak RSS MB': r.peakRssMb })));
	const b = results.bigRun;
	console.log(`${b.items} items, zero latency, concurrency ${b.concurrency}`);
	console.table([{ 'wall ms': b.wallMs, 'items/s': b.itemsPerSecond, 'CPU ms/item': b.cpuMsPerItem, 'RSS before MB': b.rssBeforeMb, 'peak RSS MB': b.peakRssMb, 'peak over baseline MB': b.peakRssOverBaselineMb, 'retained heap MB': b.retainedHeapMb }]);

	const dir = path.join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
	writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	console.log(`figures written to ${path.relative(ROOT, file)}`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
