import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found upwards, so the harness also works when compiled for the benchmark. */
export function packageRoot(from: string): string {
	for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === 'n8n-nodes-llm-chat')
			return dir;
	}
	throw new Error(`package root not found above ${from}`);
}
