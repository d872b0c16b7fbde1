import { runWorkflow, testCredential } from './engine';
import { startServer } from './server';
test('dbg', async () => {
	const server = await startServer();
	const d = { apiKey: 'sk-wrong-key-0000', baseUrl: server.url, apiVersion: 'v1' };
	console.log(await testCredential('llmChatOpenAiApi', d));
	server.setHandler(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Welcome to nginx!</title></head></html>' }));
	console.log(await testCredential('llmChatOpenAiApi', { ...d, apiKey: 'sk-test-key' }));
	server.reset();
	const r = await runWorkflow({ nodeParameters: { provider: 'openAi', model: { __rl: true, mode: 'id', value: 'm' }, messages: { values: [{ role: 'user', content: 'hi' }] } }, credentials: { llmChatOpenAiApi: d }, items: [{a:1},{a:2}], continueOnFail: true });
	console.log(JSON.stringify(r.output), r.status, r.error);
	await server.close();
});
