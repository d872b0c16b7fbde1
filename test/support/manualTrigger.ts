import path from 'node:path';

import type { Container as DiContainer } from '@n8n/di';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

export const TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/** An input item with files: each binary property as base64 with its MIME type and file name. */
export interface BinaryItem {
	json: IDataObject;
	binary: Record<string, { data: string; mimeType?: string; fileName?: string }>;
}

const isBinaryItem = (item: IDataObject | BinaryItem): item is BinaryItem =>
	'json' in item && 'binary' in item;

/**
 * Where n8n keeps binary data in this test file: 'default' (in the item, n8n's in-memory mode,
 * which needs no set-up) or 'filesystem' (files in the throwaway user folder, read back by id).
 */
export async function useBinaryDataMode(mode: 'default' | 'filesystem'): Promise<void> {
	// n8n-core ships its own copy of @n8n/di: its services live in that copy's container.
	const di = require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] });
	const { Container } = require(di) as { Container: typeof DiContainer };
	// Loaded here, not on import: engine.ts sets n8n-core's user folder before n8n-core loads.
	const { BinaryDataConfig, BinaryDataService } = require('n8n-core') as typeof import('n8n-core');
	Container.get(BinaryDataConfig).mode = mode;
	await Container.get(BinaryDataService).init();
}

/**
 * A Manual Trigger that emits the items a test asks for (parameter `items`): plain objects
 * become `json`; `{ json, binary }` items get their files stored by n8n's own binary helper.
 */
export const manualTrigger: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	},
	async execute(this: IExecuteFunctions) {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as Array<
			IDataObject | BinaryItem
		>;
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			if (!isBinaryItem(item)) {
				output.push({ json: item });
				continue;
			}
			const binary: INodeExecutionData['binary'] = {};
			for (const [name, file] of Object.entries(item.binary)) {
				const data = Buffer.from(file.data, 'base64');
				binary[name] = await this.helpers.prepareBinaryData(data, file.fileName, file.mimeType);
			}
			output.push({ json: item.json, binary });
		}
		return [output];
	},
};

/** The Manual Trigger node of a test workflow, emitting the given items. */
export function triggerNode(items?: Array<IDataObject | BinaryItem>): INode {
	return {
		id: 'trigger',
		name: 'Manual Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items ?? [{}]) },
	};
}
