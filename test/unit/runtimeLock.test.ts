import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(ROOT, 'package.json'));

interface LockEntry {
	version?: string;
	integrity?: string;
	resolved?: string;
	link?: boolean;
	dependencies?: Record<string, string>;
}
interface Lockfile {
	lockfileVersion: number;
	packages: Record<string, LockEntry>;
}

function readJson<T>(file: string): T {
	return JSON.parse(readFileSync(file, 'utf8')) as T;
}

// The n8n releases npm run dev, the e2e suites and CI install (scripts/install-n8n*.sh run
// npm ci in a copy of these folders): each pinned with its whole tree.
const RUNTIMES = [
	{ folder: 'n8n-2', version: pkg.config.n8nVersion as string },
	{ folder: 'n8n-1', version: pkg.config.n8n1Version as string },
];

describe.each(RUNTIMES)('scripts/n8n-runtimes/$folder', ({ folder, version }) => {
	const dir = path.join(ROOT, 'scripts', 'n8n-runtimes', folder);
	const runtime = readJson<{ private?: boolean; dependencies: Record<string, string> }>(
		path.join(dir, 'package.json'),
	);
	const lock = readJson<Lockfile>(path.join(dir, 'package-lock.json'));

	it(`installs exactly n8n ${version}, the release package.json config names`, () => {
		expect(runtime.private).toBe(true);
		expect(runtime.dependencies).toEqual({ n8n: version });
		expect(lock.packages['']?.dependencies).toEqual({ n8n: version });
		expect(lock.packages['node_modules/n8n']?.version).toBe(version);
	});

	it('pins every package of the tree by version and integrity, from the configured registry', () => {
		expect(lock.lockfileVersion).toBe(3);
		const entries = Object.entries(lock.packages).filter(([key]) => key !== '');
		expect(entries.length).toBeGreaterThan(1000);
		const loose = entries.filter(
			([, entry]) => !entry.link && (!entry.version || !entry.integrity),
		);
		expect(loose.map(([key]) => key)).toEqual([]);
		// No tarball URLs: npm ci fetches each name@version from whatever registry npm is set to.
		const urls = entries.filter(([, entry]) => entry.resolved !== undefined);
		expect(urls.map(([key]) => key)).toEqual([]);
	});
});

describe('scripts/n8n-runtimes/n8n-1', () => {
	const dir = path.join(ROOT, 'scripts', 'n8n-runtimes', 'n8n-1');

	it("overrides n8n's xlsx (pinned to a host outside the registry) with the registry's 0.18.5", () => {
		const runtime = readJson<{ overrides?: Record<string, string> }>(
			path.join(dir, 'package.json'),
		);
		expect(runtime.overrides).toEqual({ xlsx: '0.18.5' });
		const lock = readJson<Lockfile>(path.join(dir, 'package-lock.json'));
		const xlsx = Object.entries(lock.packages).filter(
			([key]) => key === 'node_modules/xlsx' || key.endsWith('/node_modules/xlsx'),
		);
		expect(xlsx.length).toBeGreaterThan(0);
		for (const [, entry] of xlsx) expect(entry.version).toBe('0.18.5');
	});
});
