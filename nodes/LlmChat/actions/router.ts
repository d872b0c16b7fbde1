import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ProviderId } from '../../shared/providers';
import { PROVIDERS } from '../../shared/providers';
import * as batch from './batch/execute';
import * as batchResults from './batchResults/execute';
import * as listModels from './listModels/execute';
import * as message from './message/execute';

const operations = { message, listModels, batchResults };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const provider = PROVIDERS[this.getNodeParameter('provider', 0) as ProviderId];
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	if (provider === undefined || operations[operation] === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Unsupported provider or operation "${operation}"`,
		);
	}
	if (operation === 'message') {
		const mode = this.getNodeParameter('mode', 0, 'realTime') as string;
		if (mode === 'batchWait' || mode === 'batchSubmit')
			return [await batch.execute.call(this, provider, mode === 'batchWait')];
	}
	return [await operations[operation].execute.call(this, provider)];
}
