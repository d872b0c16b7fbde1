// npm run dev: a real n8n 2.x with this package installed as Settings -> Community
// Nodes installs it, on http://127.0.0.1:5678 (N8N_PORT to change), until Ctrl-C.
const path = require('node:path');

const { CACHE_DIR, ROOT, ensureN8n, stagePackage, startN8n } = require('./n8n');

async function main() {
	const port = Number(process.env.N8N_PORT ?? 5678);
	const userFolder = process.env.LLM_CHAT_DEV_USER_FOLDER ?? path.join(CACHE_DIR, 'dev-user');
	console.log('[dev] preparing n8n (the first run installs it into the cache; this takes a few minutes)');
	const n8nDir = ensureN8n();
	stagePackage(userFolder);
	const logFile = path.join(userFolder, 'n8n.log');
	const n8n = await startN8n({ n8nDir, userFolder, port, logFile });
	console.log(`
[dev] n8n is running with n8n-nodes-llm-chat: ${n8n.baseUrl}
[dev]   first visit: create the owner account in the editor (it stays in ${userFolder})
[dev]   example workflows to import: ${path.join(ROOT, 'examples', 'llm-chat-example.json')}
[dev]     and ${path.join(ROOT, 'examples', 'llm-chat-model-agent.json')} (an AI Agent with LLM Chat Model)
[dev]   n8n's log: ${logFile}
[dev] Ctrl-C stops it.`);
	await new Promise(() => {});
}

main().catch((error) => {
	console.error(`[dev] ${error.message}`);
	process.exit(1);
});
