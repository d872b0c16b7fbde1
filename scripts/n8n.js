// A real n8n for `npm run dev` and `npm run e2e`: installs the pinned release once
// into the cache, stages this package as Settings -> Community Nodes installs it,
// starts n8n on 127.0.0.1 and drives it over the REST calls the editor makes.
const { execFileSync, spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PACKAGE = require(path.join(ROOT, 'package.json'));
// Set by scripts/with-node24.sh, under which every npm script runs.
const CACHE_DIR = process.env.LLM_CHAT_CACHE_DIR;
if (!CACHE_DIR) throw new Error('LLM_CHAT_CACHE_DIR is not set: run this through npm (scripts/with-node24.sh sets it)');

/** Installs n8n (once, reused) and returns its folder. */
function ensureN8n() {
	const dir = execFileSync(path.join(__dirname, 'install-n8n.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
	return dir;
}

/** Puts the packed package where a Community Nodes install puts it: <user folder>/.n8n/nodes/node_modules/<name>. */
function stagePackage(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const packDir = mkdtempSync(path.join(os.tmpdir(), 'llm-chat-pack-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', target, '--strip-components=1']);
	rmSync(packDir, { recursive: true, force: true });
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE.name]: PACKAGE.version } }, null, 2)}\n`,
	);
	return target;
}

const running = new Set();
function stopAll() {
	for (const stop of running) stop();
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		stopAll();
		process.exit(130);
	});
}

/** Starts n8n and resolves once it is ready; every wait is bounded. */
async function startN8n({ n8nDir, userFolder, port, logFile, env: extraEnv = {}, command = 'start', readyTimeoutMs = 180_000 }) {
	const env = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		N8N_SECURE_COOKIE: 'false',
		DB_TYPE: 'sqlite',
		// mcp-registry calls a public n8n host at boot; this machine has no internet.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		...extraEnv,
	};
	const out = openSync(logFile, 'a');
	const child = spawn(path.join(n8nDir, 'node_modules', '.bin', 'n8n'), [command], { env, stdio: ['ignore', out, out], detached: true });
	let exited = false;
	child.on('exit', () => (exited = true));
	const stop = () => {
		if (exited) return;
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			// already gone
		}
	};
	running.add(stop);

	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + readyTimeoutMs;
	for (;;) {
		if (exited) throw new Error(`n8n exited during start-up:\n${tail(logFile)}`);
		if (Date.now() > deadline) {
			stop();
			throw new Error(`n8n was not ready within ${readyTimeoutMs / 1000} s:\n${tail(logFile)}`);
		}
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}

	return {
		baseUrl,
		async stop() {
			running.delete(stop);
			if (exited) return;
			const gone = new Promise((resolve) => child.once('exit', resolve));
			stop();
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}, 10_000);
			await gone;
			clearTimeout(timer);
		},
	};
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

module.exports = { CACHE_DIR, PACKAGE, ROOT, ensureN8n, stagePackage, startN8n, tail };
