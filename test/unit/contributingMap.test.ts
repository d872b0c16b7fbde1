/**
 * The documents stay true to the repository: every path CONTRIBUTING.md names exists, the
 * README's set-up commands are package.json scripts, every link between and inside the two
 * documents lands on a file and a heading that exist, and the README stays short.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const pkg = require(path.join(ROOT, 'package.json'));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const DOCUMENTS = ['README.md', 'CONTRIBUTING.md'];
/** The hook that guards the README warns above this; the README is for users, not maintainers. */
const README_MAX_LINES = 350;

/** The text outside fenced code blocks: what Markdown renders as prose, tables and lists. */
function prose(markdown: string): string {
	return markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
}

/** Every inline code span's content (a span may wrap onto the next line, as Markdown allows). */
function codeSpans(markdown: string): string[] {
	return [...prose(markdown).matchAll(/(`+)([\s\S]+?)(?<!`)\1(?!`)/g)].map((match) =>
		match[2].replace(/\s*\n\s*/g, ' ').trim(),
	);
}

/**
 * A code span that names a place in this repository: a relative path with at least one "/"
 * (`nodes/shared/transport/send.ts`, `test/unit/`). Not a path: anything outside the
 * repository (`../shared/specs`, `~/.cache/…`, `/tmp`), a package (`@n8n/ai-node-sdk`),
 * a glob, a URL, a command or anything else with spaces, `:`, `=`, `*`, `#` or braces.
 */
const REPO_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.-]+)*\/?$/;
const isRepoPath = (span: string) =>
	span.includes('/') && REPO_PATH.test(span) && !span.startsWith('../');

/** Folders .gitignore keeps out of the repository: build and test output may be named. */
const IGNORED_FOLDERS = read('.gitignore')
	.split('\n')
	.map((line) => line.trim())
	.filter((line) => line.endsWith('/') && !line.startsWith('#'));

function exists(repoPath: string): boolean {
	const full = path.join(ROOT, repoPath);
	if (!existsSync(full)) return false;
	return repoPath.endsWith('/') ? statSync(full).isDirectory() : true;
}

const generated = (repoPath: string) =>
	IGNORED_FOLDERS.some((folder) => repoPath.startsWith(folder));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');

function anchors(file: string): Set<string> {
	return new Set(
		prose(read(file))
			.split('\n')
			.filter((line) => /^#{1,6}\s/.test(line))
			.map((line) => anchorOf(line.replace(/^#+/, ''))),
	);
}

/** Every Markdown link target outside code: `[text](target)`. */
function linkTargets(markdown: string): string[] {
	return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

describe('CONTRIBUTING.md: the map of the code', () => {
	const contributing = read('CONTRIBUTING.md');
	const paths = [...new Set(codeSpans(contributing).filter(isRepoPath))];

	it('names the route of a request, each step by its file', () => {
		for (const file of [
			'nodes/shared/chat/completeChat.ts',
			'nodes/shared/chat/chatBody.ts',
			'nodes/shared/transport/send.ts',
			'nodes/shared/transport/apiRequest.ts',
			'nodes/shared/chat/chatStreamReader.ts',
			'nodes/shared/chat/response.ts',
			'nodes/LlmChat/actions/message/jsonReply.ts',
			'nodes/shared/providers.ts',
		]) {
			expect(paths).toContain(file);
		}
	});

	it('names only paths that exist in the repository', () => {
		expect(paths.length).toBeGreaterThan(50);
		const missing = paths.filter((p) => !exists(p) && !generated(p));
		expect(missing).toEqual([]);
	});

	it('names the test data section other documents point to', () => {
		expect(anchors('CONTRIBUTING.md')).toContain('test-data');
	});
});

describe('README.md: for the person installing the package', () => {
	const readme = read('README.md');

	it(`stays under ${README_MAX_LINES} lines`, () => {
		const lines = readme.replace(/\n$/, '').split('\n').length;
		expect(lines).toBeLessThan(README_MAX_LINES);
	});

	it('gives the two set-up commands, and they are package.json scripts', () => {
		const spans = codeSpans(readme);
		expect(spans).toEqual(expect.arrayContaining(['npm run dev', 'npm test']));
		expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['dev', 'test']));
	});

	it.each(DOCUMENTS)('%s names only npm scripts that exist', (file) => {
		const scripts = codeSpans(read(file))
			.flatMap((span) => [...span.matchAll(/\bnpm (?:run (\S+)|(test)\b)/g)])
			.map((match) => match[1] ?? match[2]);
		expect(scripts.length).toBeGreaterThan(0);
		expect(scripts.filter((name) => !(name in pkg.scripts))).toEqual([]);
	});
});

describe.each(DOCUMENTS)('%s: links', (file) => {
	const targets = linkTargets(read(file)).filter((target) => !/^[a-z]+:/i.test(target));

	it('points every internal anchor at a heading of its own', () => {
		const own = anchors(file);
		const broken = targets
			.filter((target) => target.startsWith('#'))
			.filter((target) => !own.has(target.slice(1)));
		expect(broken).toEqual([]);
	});

	it('points every relative link at a file that exists, and at a heading it has', () => {
		const broken = targets
			.filter((target) => !target.startsWith('#'))
			.filter((target) => {
				const [where, anchor] = target.split('#');
				if (!exists(where)) return true;
				return anchor !== undefined && where.endsWith('.md') && !anchors(where).has(anchor);
			});
		expect(broken).toEqual([]);
	});
});
