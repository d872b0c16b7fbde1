// The JSONL input of batch jobs: one line per item, split into as many files as the provider's
// per-job limits require; and the custom ids that pair each result line to its item.
import type { IDataObject } from 'n8n-workflow';

import type { BatchApi } from '../providers';

const PREFIX = 'item-';

/** The custom id of an item: its index, so results pair back also in a later execution. */
export const customIdOf = (itemIndex: number) => `${PREFIX}${itemIndex}`;

/** The item index a custom id names, or undefined for one this node did not assign. */
export function itemIndexOf(customId: unknown): number | undefined {
	if (typeof customId !== 'string' || !customId.startsWith(PREFIX)) return undefined;
	const index = Number(customId.slice(PREFIX.length));
	return Number.isInteger(index) && index >= 0 ? index : undefined;
}

export interface BatchLine {
	itemIndex: number;
	body: IDataObject;
}

/** One job's file: its text, and the items it holds in file order. */
export interface BatchFile {
	content: string;
	itemIndexes: number[];
}

/**
 * The lines as files, each within the job limits. A single line larger than a whole
 * file is not split off here: the provider refuses it with its own reason.
 */
export function batchFiles(api: BatchApi, lines: BatchLine[]): BatchFile[] {
	const files: BatchFile[] = [];
	let parts: string[] = [];
	let indexes: number[] = [];
	let bytes = 0;
	const flush = () => {
		if (parts.length === 0) return;
		files.push({ content: parts.join(''), itemIndexes: indexes });
		parts = [];
		indexes = [];
		bytes = 0;
	};
	for (const line of lines) {
		const text = `${JSON.stringify({ custom_id: customIdOf(line.itemIndex), ...api.lineFields, body: line.body })}\n`;
		const size = Buffer.byteLength(text, 'utf8');
		if (parts.length >= api.maxRequests || (parts.length > 0 && bytes + size > api.maxFileBytes))
			flush();
		parts.push(text);
		indexes.push(line.itemIndex);
		bytes += size;
	}
	flush();
	return files;
}
