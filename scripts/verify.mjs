// npm run verify: the checks n8n's verification runs (@n8n/scan-community-package),
// on this package as `npm pack` would publish it, offline. The scanner itself
// downloads a published version and its provenance-attested source; here its own
// lint step (analyzePackage with its own rule set) runs on the same two things: the
// source checkout and the packed tarball. Provenance exists only for a version
// published from GitHub Actions (.github/workflows/publish.yml), so it is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWED_LICENSES = ['MIT'];
/**
 * Findings the scanner reports that are known and deliberate, each with its reason; printed
 * on every run. Any other finding fails. See README, "Verification by n8n".
 */
const KNOWN_FINDINGS = [
	{
		rule: '@n8n/community-nodes/no-deprecated-workflow-functions',
		file: /(^|\/)(nodes\/shared\/methods\/credentialTest\.ts|dist\/nodes\/shared\/methods\/credentialTest\.js)$/,
		why: "the credentials' Test button: n8n gives a node-defined credential test only the legacy `request` helper; a declarative test would show the HTTP status text instead of the provider's message and could not refuse a 200 HTML page",
	},
];
const problems = [];
const check = (ok, problem) => ok || problems.push(problem);

const work = mkdtempSync(path.join(tmpdir(), 'llm-chat-verify-'));
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);
	const packed = path.join(work, 'package');
	const pkg = JSON.parse(readFileSync(path.join(packed, 'package.json'), 'utf8'));

	// What the package manifest must say (n8n's community-package rules).
	check(pkg.name.startsWith('n8n-nodes-') || /^@[^/]+\/n8n-nodes-/.test(pkg.name), `package name "${pkg.name}" must start with n8n-nodes-`);
	check(pkg.keywords?.includes('n8n-community-node-package'), 'keywords must include "n8n-community-node-package"');
	check(Object.keys(pkg.dependencies ?? {}).length === 0, `no runtime dependencies allowed, found: ${Object.keys(pkg.dependencies ?? {}).join(', ')}`);
	check(ALLOWED_LICENSES.includes(pkg.license), `license must be MIT (package.json says "${pkg.license}")`);
	check(existsSync(path.join(packed, 'LICENSE')), 'the tarball must contain the LICENSE file');
	for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		check(existsSync(path.join(packed, file)), `${file}, listed in the n8n field, is not in the tarball`);
	}

	// The scanner's own lint, with its own rule set, on the source and on the tarball.
	const known = [];
	for (const [what, dir, patterns] of [
		['source', ROOT, SOURCE_FILE_PATTERNS],
		['tarball', packed, ['**/*.js', 'package.json']],
	]) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) continue;
		if (!result.details) {
			problems.push(`${what}: ${result.message}`);
			continue;
		}
		for (const finding of parseStylish(result.details)) {
			const waiver = KNOWN_FINDINGS.find((k) => k.rule === finding.rule && k.file.test(finding.file));
			if (waiver) known.push(`${what}: ${path.relative(dir, finding.file)} ${finding.rule} (known: ${waiver.why})`);
			else problems.push(`${what}: ${path.relative(dir, finding.file)}:${finding.line} ${finding.rule}: ${finding.message}`);
		}
	}
	for (const line of known) console.log(`verify: ${line}`);

	console.log(`verify: ${pkg.name}@${pkg.version} (${tarball}), scanner lint on source and tarball, manifest, license`);
	console.log('verify: npm provenance skipped: it exists only once a version is published from GitHub Actions (.github/workflows/publish.yml)');
} finally {
	rmSync(work, { recursive: true, force: true });
}

/** The findings in ESLint's "stylish" report: a file line, then one indented line per finding. */
function parseStylish(report) {
	const findings = [];
	let file;
	for (const line of report.split('\n')) {
		const clean = line.replace(/\u001b\[[0-9;]*m/g, '');
		if (/^\S/.test(clean) && !clean.startsWith('✖')) file = clean.trim();
		const match = /^\s+(\d+):\d+\s+error\s+(.*?)\s{2,}(\S+)\s*$/.exec(clean);
		if (match && file) findings.push({ file, line: Number(match[1]), message: match[2], rule: match[3] });
	}
	return findings;
}

if (problems.length > 0) {
	console.error(`verify: FAILED\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log('verify: passed');
