// The batch benchmark's server: the tests' fake Batch API (test/support/batchServer.ts) in its
// own process, so its CPU time is not counted as the node's. Prints its port.
const { FaultServer } = require('../test/support/faultServer.ts');
const { FakeBatchApi } = require('../test/support/batchServer.ts');

const server = new FaultServer({ record: false });
const api = new FakeBatchApi(server, 'openAi').install();
api.script = { statuses: ['completed'] };
server.start().then(() => process.stdout.write(`${new URL(server.url).port}\n`));
