// The benchmark's server: the tests' one fake server (test/support/faultServer.ts) with a set
// latency, in its own process so its CPU time is not counted as the node's. Prints its port.
// Second argument: streamed replies send their events this many ms apart after the first
// byte, and plain replies take as long as a stream would; each first byte's time goes to
// the parent, which measures how long the node takes to relay it.
const { performance } = require('node:perf_hooks');

const { FaultServer } = require('../test/support/faultServer.ts');

const server = new FaultServer({
	latencyMs: Number(process.argv[2] ?? 0),
	gapMs: Number(process.argv[3] ?? 0),
	onFirstByte: (question) =>
		process.send?.({ firstByteAt: performance.timeOrigin + performance.now(), question }),
	plainWaitsLikeStream: true,
	record: false,
});
server.start().then(() => process.stdout.write(`${new URL(server.url).port}\n`));
