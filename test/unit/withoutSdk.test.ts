import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * n8n 1.x has no @n8n/ai-node-sdk. In a fresh Node process where requiring it fails,
 * every class the package lists must load, and LLM Chat Model must say what it needs
 * when an agent asks it for a model (not break the package at load).
 */
const script = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
	if (request === '@n8n/ai-node-sdk' || request.startsWith('@n8n/ai-node-sdk/')) {
		const error = new Error("Cannot find module '" + request + "'");
		error.code = 'MODULE_NOT_FOUND';
		throw error;
	}
	return resolve.call(this, request, ...rest);
};
const path = require('node:path');
const pkg = require(path.join(process.cwd(), 'package.json'));
const loaded = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file) => {
	const name = path.basename(file).split('.')[0];
	return new (require(path.join(process.cwd(), file))[name])().description?.name ?? name;
});
const { LlmChatModel } = require(path.join(process.cwd(), 'dist/nodes/LlmChatModel/LlmChatModel.node.js'));
const context = { getNode: () => ({ name: 'LLM Chat Model', type: 'n8n-nodes-llm-chat.llmChatModel', typeVersion: 1, parameters: {} }) };
new LlmChatModel().supplyData.call(context, 0).then(
	() => console.log(JSON.stringify({ loaded, error: null })),
	(error) => console.log(JSON.stringify({ loaded, error: error.message, description: error.description })),
);
`;

it('without @n8n/ai-node-sdk (n8n 1.x) the package loads and LLM Chat Model says it needs n8n 2.16', () => {
	const out = JSON.parse(
		execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
	);
	expect(out.loaded).toEqual(expect.arrayContaining(['llmChat', 'llmChatModel']));
	expect(out.loaded).toHaveLength(5);
	expect(out.error).toBe('LLM Chat Model needs n8n 2.16 or newer');
	expect(out.description).toMatch(/no @n8n\/ai-node-sdk.*use the LLM Chat node/);
});
