import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(ROOT, 'package.json'));

function builtFiles(dir: string, suffix: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return builtFiles(full, suffix);
		return full.endsWith(suffix) ? [path.relative(ROOT, full)] : [];
	});
}

// Credential type names n8n itself ships that a careless name could collide with.
const N8N_SHIPPED = [
	'openAiApi',
	'huggingFaceApi',
	'togetherAiApi',
	'mistralCloudApi',
	'groqApi',
	'deepSeekApi',
	'openRouterApi',
	'ollamaApi',
];

describe('package.json', () => {
	it('is a community node package without runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-llm-chat');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies).toBeUndefined();
		// The SDK is n8n's own (>= 2.16), optional so that the package installs on n8n 1.x too.
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*', '@n8n/ai-node-sdk': '*' });
		expect(pkg.peerDependenciesMeta).toEqual({ '@n8n/ai-node-sdk': { optional: true } });
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, aiNodeSdkVersion: 1, strict: true });
		// What the published package runs on: n8n 1.x on Node 20 too (npm run e2e:n8n1).
		expect(pkg.engines.node).toBe('>=20');
	});

	it('pins n8n-workflow and n8n-core from the same n8n release', () => {
		expect(pkg.devDependencies['n8n-core']).toMatch(/^2\.\d+\.\d+$/);
		expect(pkg.devDependencies['n8n-workflow']).toMatch(/^2\.\d+\.\d+$/);
		const core = require(path.join(ROOT, 'node_modules', 'n8n-core', 'package.json'));
		expect(core.dependencies['n8n-workflow']).toBe(pkg.devDependencies['n8n-workflow']);
	});

	it('lists exactly the built node and credential files', () => {
		const dist = path.join(ROOT, 'dist');
		expect([...pkg.n8n.nodes].sort()).toEqual(builtFiles(dist, '.node.js').sort());
		expect([...pkg.n8n.credentials].sort()).toEqual(builtFiles(dist, '.credentials.js').sort());
	});

	it.each([...pkg.n8n.nodes, ...pkg.n8n.credentials])(
		'%s loads and exports the class it is named after',
		(file: string) => {
			const className = path.basename(file).split('.')[0];
			const exported = require(path.join(ROOT, file));
			expect(typeof exported[className]).toBe('function');
			const instance = new exported[className]();
			if (file.endsWith('.credentials.js')) {
				expect(instance.name).toMatch(/^llmChat[A-Z]\w+Api$/);
				expect(N8N_SHIPPED).not.toContain(instance.name);
				expect(typeof instance.authenticate).toBe('function');
			} else {
				expect(['llmChat', 'llmChatModel']).toContain(instance.description.name);
				// LLM Chat is a tool of agents; LLM Chat Model is their model.
				if (instance.description.name === 'llmChat')
					expect(instance.description.usableAsTool).toBe(true);
				else expect(instance.description.outputs).toEqual(['ai_languageModel']);
				expect(
					instance.description.credentials.map((c: { name: string }) => c.name).sort(),
				).toEqual(
					pkg.n8n.credentials
						.map((f: string) => {
							const cls = path.basename(f).split('.')[0];
							return cls.charAt(0).toLowerCase() + cls.slice(1);
						})
						.sort(),
				);
			}
		},
	);

	it('index.js exports the very classes the n8n field lists, and nothing else', () => {
		const entry = require(path.join(ROOT, 'index.js'));
		const files: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
		const className = (file: string) => path.basename(file).split('.')[0];
		expect(Object.keys(entry).sort()).toEqual(files.map(className).sort());
		for (const file of files)
			expect(entry[className(file)]).toBe(require(path.join(ROOT, file))[className(file)]);
	});

	it('ships the icons the classes reference', () => {
		const icons = builtFiles(path.join(ROOT, 'dist'), '.svg');
		expect(icons).toEqual(
			expect.arrayContaining([
				'dist/nodes/LlmChat/llmChat.svg',
				'dist/nodes/LlmChat/llmChat.dark.svg',
				'dist/credentials/icons/openai.svg',
				'dist/credentials/icons/together.svg',
				'dist/credentials/icons/huggingface.svg',
			]),
		);
	});
});
