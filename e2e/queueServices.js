// Redis and PostgreSQL for n8n's queue mode, started by the test on loopback ports in a
// temporary folder and stopped at the end (also when a test fails or the run is interrupted).
const { execFileSync, spawn } = require('node:child_process');
const { chmodSync, globSync, mkdirSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const running = new Set();
process.on('exit', () => running.forEach((stop) => stop()));

/** Installs Debian's packages when missing (scripts/install-queue-services.sh). */
function installQueueServices() {
	execFileSync(path.join(__dirname, '..', 'scripts', 'install-queue-services.sh'), { stdio: 'inherit' });
}

async function waitFor(what, check, timeoutMs = 60_000) {
	for (const deadline = Date.now() + timeoutMs; ; ) {
		try {
			if (check()) return;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function startRedis(dir, port) {
	mkdirSync(dir, { recursive: true });
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore', detached: true });
	const stop = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	};
	running.add(stop);
	await waitFor('redis', () => execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).trim() === 'PONG');
	return { port, stop: () => (stop(), running.delete(stop)) };
}

/** A PostgreSQL cluster of its own, run as the `postgres` system user (PostgreSQL refuses root). */
async function startPostgres(dir, port, { user, password, database }) {
	const bin = path.dirname(globSync('/usr/lib/postgresql/*/bin/initdb').sort().pop());
	const data = path.join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	// The cluster belongs to `postgres`, who must also reach it through the folders above.
	execFileSync('chown', ['postgres', dir]);
	for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) chmodSync(up, statSync(up).mode | 0o111);
	const asPostgres = (file, args) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args], { stdio: 'pipe', encoding: 'utf8' });
	asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'start.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
	const stop = () => {
		try {
			asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
		} catch {
			// already stopped
		}
	};
	running.add(stop);
	const sql = (statement) => asPostgres('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', statement]);
	sql(`CREATE USER ${user} WITH PASSWORD '${password}'`);
	sql(`CREATE DATABASE ${database} OWNER ${user}`);
	return { port, stop: () => (stop(), running.delete(stop)) };
}

module.exports = { installQueueServices, startPostgres, startRedis };
