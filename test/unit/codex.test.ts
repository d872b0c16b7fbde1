/** The node panel's search aliases and documentation links, as n8n's own loader reads them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';
import { PackageDirectoryLoader } from 'n8n-core';

const ROOT = path.resolve(__dirname, '../..');
const pkg = require(path.join(ROOT, 'package.json'));

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');

const README_ANCHORS = new Set(
	readFileSync(path.join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6}\s/.test(line))
		.map((line) => anchorOf(line.replace(/^#+/, ''))),
);

/** The built package loaded as n8n loads a community package (codex from each .node.json). */
async function loadedDescriptions(): Promise<INodeTypeDescription[]> {
	const loader = new PackageDirectoryLoader(ROOT);
	await loader.loadAll();
	return Object.values(loader.nodeTypes).map(
		({ type }) => type.description as INodeTypeDescription,
	);
}

describe('codex: one source, read by n8n', () => {
	it.each(pkg.n8n.nodes as string[])(
		'%s has no inline codex, so its .node.json is read',
		(file) => {
			const built = require(path.join(ROOT, file));
			const [NodeClass] = Object.values(built) as Array<new () => { description: object }>;
			expect(new NodeClass().description).not.toHaveProperty('codex');
		},
	);

	it("reaches n8n's node panel with the aliases of each .node.json", async () => {
		const descriptions = await loadedDescriptions();
		expect(descriptions.map((d) => d.name).sort()).toEqual(['llmChat', 'llmChatModel']);
		for (const file of pkg.n8n.nodes as string[]) {
			const codex = require(path.join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.json')));
			const description = descriptions.find((d) => codex.node === `${pkg.name}.${d.name}`);
			expect(description?.codex?.alias).toEqual(codex.alias);
			expect(description?.codex?.subcategories).toEqual(codex.subcategories);
		}
		const model = descriptions.find((d) => d.name === 'llmChatModel');
		expect(model?.codex?.alias).toEqual(
			expect.arrayContaining(['LLM', 'Chat Model', 'Together', 'Hugging Face', 'Agent']),
		);
	});

	it('links every documentation URL to a heading that exists in README.md', async () => {
		const urls = (await loadedDescriptions()).flatMap((d) =>
			Object.values(d.codex?.resources ?? {}).flatMap((links) =>
				Array.isArray(links) ? links.map((link: { url: string }) => link.url) : [],
			),
		);
		expect(urls.length).toBeGreaterThanOrEqual(2);
		for (const url of urls) {
			const anchor = new URL(url).hash.slice(1);
			expect(anchor).not.toBe('');
			expect({ url, anchorInReadme: README_ANCHORS.has(anchor) }).toEqual({
				url,
				anchorInReadme: true,
			});
		}
	});
});
