// npm run verify: the checks n8n's verification runs (@n8n/scan-community-package),
// on this package as `npm pack` would publish it, offline. The scanner itself
// downloads a published version and its provenance-attested source; here its own
// lint step (analyzePackage, with the configuration buildScanConfig makes: the
// community-nodes plugin's recommended rules plus eslint-plugin-n8n-nodes-base's
// community, credentials and nodes rule sets, inline eslint-disable comments ignored)
// runs on the same two things: the source checkout and the packed tarball. Provenance
// exists only for a version published from GitHub Actions (.github/workflows/publish.yml),
// so it is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWED_LICENSES = ['MIT'];
/**
 * The one finding the scanner reports that is known and deliberate, with its reason; printed
 * on every run. Any other finding fails, and so does a waiver nothing matches any more.
 * See CONTRIBUTING.md, "Verification by n8n".
 */
const KNOWN_FINDINGS = [
	{
		rule: '@n8n/community-nodes/no-deprecated-workflow-functions',
		file: /(^|\/)(nodes\/shared\/methods\/credentialTest\.ts|dist\/nodes\/shared\/methods\/credentialTest\.js)$/,
		// Only the legacy `request` helper; any other deprecated call in that file still fails.
		message: /^'request' is deprecated/,
		why: "the credentials' Test button: n8n gives a node-defined credential test only the legacy `request` helper; a declarative test would show the HTTP status text instead of the provider's message and could not refuse a 200 HTML page. The package (three providers, against n8n's one-service-per-package rule) is meant for self-hosted n8n, as the README says",
	},
];
const problems = [];
const check = (ok, problem) => ok || problems.push(problem);

for (const waiver of KNOWN_FINDINGS) console.log(`verify: waiver: ${waiver.rule} (${waiver.message.source}) in nodes/shared/methods/credentialTest.ts and its build: ${waiver.why}`);

// The scanner's configuration, as it lints: say what it is, and fail if a scanner update
// dropped a rule set this check is meant to apply.
const scanner = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@n8n/scan-community-package/package.json'), 'utf8'));
const config = await buildScanConfig();
const rulesFor = (glob) => Object.keys(config.find((block) => block.files?.includes(glob))?.rules ?? {}).length;
const communityRules = Object.keys(config[0]?.rules ?? {}).filter((rule) => rule.startsWith('@n8n/community-nodes/')).length;
const ruleSets = { 'package.json': rulesFor('package.json'), credentials: rulesFor('**/credentials/**/*.ts'), nodes: rulesFor('**/nodes/**/*.ts') };
check(communityRules > 0 && Object.values(ruleSets).every((count) => count > 0), `the scanner's configuration lacks a rule set: community-nodes ${communityRules}, n8n-nodes-base ${JSON.stringify(ruleSets)}`);
console.log(
	`verify: ${scanner.name}@${scanner.version} configuration: ${communityRules} community-nodes rules; n8n-nodes-base community ${ruleSets['package.json']}, credentials ${ruleSets.credentials}, nodes ${ruleSets.nodes} rules; inline eslint-disable ignored`,
);

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

	// The scanner's own lint, with its configuration, on the source and on the tarball.
	const known = [];
	const used = new Set();
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
			const waiver = KNOWN_FINDINGS.find(
				(k) => k.rule === finding.rule && k.file.test(finding.file) && k.message.test(finding.message),
			);
			if (waiver) {
				used.add(waiver);
				known.push(`${what}: ${path.relative(dir, finding.file)}:${finding.line} ${finding.rule} (waived)`);
			} else problems.push(`${what}: ${path.relative(dir, finding.file)}:${finding.line} ${finding.rule}: ${finding.message}`);
		}
	}
	for (const line of known) console.log(`verify: ${line}`);
	for (const waiver of KNOWN_FINDINGS) check(used.has(waiver), `waiver no longer needed, remove it from scripts/verify.mjs: ${waiver.rule}`);

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
