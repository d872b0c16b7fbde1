// npm run fetch-specs: downloads the providers' OpenAPI descriptions the contract tests
// validate requests against, from their upstream repositories at pinned commits, checks
// each file's SHA-256, and writes them to .specs/ (git-ignored), where
// test/support/prism.ts looks when ../shared/specs is not there.
//
//   node scripts/fetch-specs.mjs [--out DIR]
//
// LLM_CHAT_SPECS_BASE_URL replaces the raw-file host (the tests serve the files from
// 127.0.0.1); a file is fetched from `<base>/<owner>/<repo>/<commit>/<path>`.
// Nothing is written unless every file arrives with its pinned hash.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The upstream files, their commits and SHA-256: facts about upstream, pinned here. */
const SPECS = [
	{
		file: 'openai.yaml',
		repo: 'openai/openai-openapi',
		commit: 'f85dbe223d40e1a31cba812ab2d755c7e98a92a3',
		path: 'openapi.yaml',
		sha256: 'db5d7478feae10b4d331834c60d9765a8aa042e38419f9b1694288c11aa8ebc8',
	},
	{
		file: 'together.yaml',
		repo: 'togethercomputer/openapi',
		commit: '090263aa0fde006d9cd958bef52719958079bbc4',
		path: 'openapi.yaml',
		sha256: '38181aae39fbecc7e0cb2f43d7b6e7483a66f7942e096131e4ee58fb65703b04',
	},
	{
		file: 'tgi.json',
		repo: 'huggingface/text-generation-inference',
		commit: 'db931fcf42da018a3657580c64bf2720f167f9ab',
		path: 'docs/openapi.json',
		sha256: '2b7899d65399cd86c393e6fb1fa4b028e678298d570a0a11ddbd8709894a159c',
	},
];

const BASE_URL = (
	process.env.LLM_CHAT_SPECS_BASE_URL || 'https://raw.githubusercontent.com'
).replace(/\/+$/, '');
const TIMEOUT_MS = 120_000;

function parseArgs(argv) {
	let out = path.join(ROOT, '.specs');
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--out' && argv[i + 1]) out = path.resolve(argv[++i]);
		else if (argv[i].startsWith('--out=')) out = path.resolve(argv[i].slice('--out='.length));
		else {
			console.error(
				`fetch-specs: unknown argument ${argv[i]} (usage: fetch-specs.mjs [--out DIR])`,
			);
			process.exit(2);
		}
	}
	return { out };
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function download(spec) {
	const url = `${BASE_URL}/${spec.repo}/${spec.commit}/${spec.path}`;
	let response;
	try {
		response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
	} catch (error) {
		return {
			problem: `${spec.file}: ${url} could not be fetched: ${error.cause?.message ?? error.message}`,
		};
	}
	if (!response.ok) {
		await response.body?.cancel();
		return {
			problem:
				`${spec.file}: ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
		};
	}
	const bytes = Buffer.from(await response.arrayBuffer());
	const hash = sha256(bytes);
	if (hash !== spec.sha256) {
		return {
			problem: `${spec.file}: SHA-256 mismatch for ${url}: got ${hash}, expected ${spec.sha256} (${spec.repo} at ${spec.commit}); refused`,
		};
	}
	return { bytes };
}

async function main() {
	const { out } = parseArgs(process.argv.slice(2));
	const present = (spec) => {
		const target = path.join(out, spec.file);
		return existsSync(target) && sha256(readFileSync(target)) === spec.sha256;
	};
	const wanted = SPECS.filter((spec) => !present(spec));
	for (const spec of SPECS.filter((s) => !wanted.includes(s)))
		console.log(`fetch-specs: ${spec.file} already in ${out} with its pinned SHA-256`);

	const results = await Promise.all(wanted.map(download));
	const problems = results.filter((r) => r.problem).map((r) => r.problem);
	if (problems.length > 0) {
		console.error(`fetch-specs: FAILED, nothing written:\n- ${problems.join('\n- ')}`);
		process.exit(1);
	}

	mkdirSync(out, { recursive: true });
	for (const [index, spec] of wanted.entries()) {
		const target = path.join(out, spec.file);
		const partial = `${target}.${process.pid}.partial`;
		writeFileSync(partial, results[index].bytes);
		renameSync(partial, target);
		console.log(
			`fetch-specs: ${spec.file} (${spec.repo} ${spec.path} at ${spec.commit.slice(0, 12)}, SHA-256 checked) -> ${target}`,
		);
	}
	console.log(`fetch-specs: ${SPECS.length} API descriptions in ${out}`);
}

await main();
