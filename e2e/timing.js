// Small things both e2e suites need: how long each part took, and a free loopback port.
const { createServer } = require('node:net');

/** Durations by label, printed at the end of a suite. */
const timings = {};

async function time(label, fn) {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		timings[label] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
	}
}

async function freePort() {
	const server = createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

module.exports = { freePort, time, timings };
