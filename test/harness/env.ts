/**
 * Process settings that n8n-core's services read when they are first created.
 * engine.ts imports this module before n8n-core, so it must stay free of n8n imports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The engine's ExecutionContextService needs a Cipher, hence InstanceSettings, which
// creates `<user folder>/.n8n/config` with an encryption key: use a throwaway folder
// (one per jest worker: the variable survives between test files of a worker).
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'llm-chat-harness-n8n-'));

// n8n's logger would print every node error; the tests assert on the errors instead.
process.env.N8N_LOG_LEVEL ??= 'silent';

// n8n sends through HTTP(S)_PROXY when one is set; the fake servers are on loopback.
const noProxy = [process.env.NO_PROXY ?? process.env.no_proxy, '127.0.0.1', 'localhost']
	.filter((entry) => entry !== undefined && entry !== '')
	.join(',');
process.env.NO_PROXY = noProxy;
process.env.no_proxy = noProxy;
