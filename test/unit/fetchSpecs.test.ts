import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { missingSpecs, SPECS_DIR, specsNotice } from '../support/prism';
import { describeWithData, ROOT } from '../support/shared';

/**
 * scripts/fetch-specs.mjs against a raw-file server on 127.0.0.1 that lays the files out as
 * upstream does: /<owner>/<repo>/<commit>/<path>. The files it serves are the descriptions
 * the contract tests use, when present; otherwise stand-ins (whose hashes cannot match).
 */
const SCRIPT = path.join(ROOT, 'scripts', 'fetch-specs.mjs');
const UPSTREAM: Record<string, string> = {
	'openai.yaml': '/openai/openai-openapi/f85dbe223d40e1a31cba812ab2d755c7e98a92a3/openapi.yaml',
	'together.yaml':
		'/togethercomputer/openapi/090263aa0fde006d9cd958bef52719958079bbc4/openapi.yaml',
	'tgi.json':
		'/huggingface/text-generation-inference/db931fcf42da018a3657580c64bf2720f167f9ab/docs/openapi.json',
};
const haveSpecs = missingSpecs().length === 0;
const original = (file: string): Buffer =>
	haveSpecs
		? readFileSync(path.join(SPECS_DIR, file))
		: Buffer.from(`stand-in for ${file}: the real description is not here\n`);

/** What the server answers for each upstream path; a test replaces entries. */
let answers: Record<string, { status: number; body: Buffer }> = {};
const requested: string[] = [];
let server: Server;
let baseUrl = '';
let out = '';

beforeAll(async () => {
	server = createServer((req, res) => {
		requested.push(req.url ?? '');
		const answer = answers[req.url ?? ''] ?? { status: 404, body: Buffer.from('404: Not Found') };
		res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
		res.end(answer.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => await new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
	answers = Object.fromEntries(
		Object.entries(UPSTREAM).map(([file, url]) => [url, { status: 200, body: original(file) }]),
	);
	requested.length = 0;
	out = path.join(mkdtempSync(path.join(tmpdir(), 'llm-chat-fetch-specs-')), 'specs');
});
afterEach(() => rmSync(path.dirname(out), { recursive: true, force: true }));

/** Runs the script as `npm run fetch-specs` would, with the base URL pointed at the server. */
async function fetchSpecs(base = baseUrl) {
	return await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
		execFile(
			process.execPath,
			[SCRIPT, '--out', out],
			{ env: { ...process.env, LLM_CHAT_SPECS_BASE_URL: base }, timeout: 60_000 },
			(error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
		);
	});
}

const written = () => (existsSync(out) ? readdirSync(out) : []);

describeWithData(
	'fetch-specs with the real descriptions',
	haveSpecs,
	specsNotice('fetch-specs test with the real files'),
	() => {
		it('fetches the three files at their pinned commits, checks them and writes them', async () => {
			const run = await fetchSpecs();
			expect(run.stderr).toBe('');
			expect(run.code).toBe(0);
			expect(requested.sort()).toEqual(Object.values(UPSTREAM).sort());
			expect(written().sort()).toEqual(Object.keys(UPSTREAM).sort());
			for (const file of Object.keys(UPSTREAM))
				expect(readFileSync(path.join(out, file)).equals(original(file))).toBe(true);
			expect(run.stdout).toContain(`3 API descriptions in ${out}`);

			// A second run finds them in place and downloads nothing.
			requested.length = 0;
			const again = await fetchSpecs();
			expect(again.code).toBe(0);
			expect(requested).toEqual([]);
			expect(again.stdout).toContain('tgi.json already in');
		});
	},
);

it('refuses a file whose SHA-256 is not the pinned one, and writes nothing', async () => {
	const tampered = Buffer.concat([original('together.yaml'), Buffer.from('\n# changed\n')]);
	answers[UPSTREAM['together.yaml']] = { status: 200, body: tampered };
	const run = await fetchSpecs();
	expect(run.code).toBe(1);
	expect(run.stderr).toContain('nothing written');
	expect(run.stderr).toMatch(
		/together\.yaml: SHA-256 mismatch for http:\/\/127\.0\.0\.1:\d+\/togethercomputer\/openapi\/090263aa0fde006d9cd958bef52719958079bbc4\/openapi\.yaml: got [0-9a-f]{64}, expected 38181aae39fbecc7e0cb2f43d7b6e7483a66f7942e096131e4ee58fb65703b04/,
	);
	if (haveSpecs) expect(run.stderr).not.toContain('openai.yaml'); // the other two were right
	expect(written()).toEqual([]);
});

it('reports an HTTP error with its status and URL, and writes nothing', async () => {
	answers[UPSTREAM['tgi.json']] = { status: 503, body: Buffer.from('upstream unavailable') };
	const run = await fetchSpecs();
	expect(run.code).toBe(1);
	expect(run.stderr).toContain(
		`tgi.json: ${baseUrl}huggingface/text-generation-inference/db931fcf42da018a3657580c64bf2720f167f9ab/docs/openapi.json answered HTTP 503`,
	);
	expect(written()).toEqual([]);
});

it('reports a server it cannot reach, and writes nothing', async () => {
	const run = await fetchSpecs('http://127.0.0.1:1');
	expect(run.code).toBe(1);
	expect(run.stderr).toMatch(
		/openai\.yaml: http:\/\/127\.0\.0\.1:1\/openai\/\S+ could not be fetched/,
	);
	expect(written()).toEqual([]);
});
