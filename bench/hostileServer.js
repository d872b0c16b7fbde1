// A hostile server for bench/hostile.js, in its own process so its memory is not counted:
// `flood` answers with a 200 MB body, `bomb` with 1 GB of zeros gzip-compressed to about 1 MB.
const { RawServer, flood, gzipBomb, raw } = require('./.build/test/support/rawServer.js');

(async () => {
	const kind = process.argv[2];
	const server = new RawServer();
	if (kind === 'flood')
		server.respond = flood(
			200,
			{ 'content-type': 'application/json' },
			'{"choices":[{"message":{"content":"',
			'a',
			200 * 2 ** 20,
		);
	else
		server.respond = raw(
			200,
			{ 'content-type': 'application/json', 'content-encoding': 'gzip' },
			await gzipBomb(2 ** 30),
		);
	await server.start();
	process.stdout.write(`${server.url}\n`);
})();
