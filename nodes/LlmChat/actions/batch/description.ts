// The batch fields: Mode on Message a Model, its batch options, and the Get Batch Results step.
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BATCH_POLL_SECONDS } from '../../../shared/defaults';
import { providersWhere } from '../../../shared/providers';

/** The operation that reads a job's results, named in the other fields' descriptions and errors. */
export const GET_BATCH_RESULTS = 'Get Batch Results';

/** Only providers with a Batch API offer the mode. */
export const BATCH_PROVIDERS = providersWhere((provider) => provider.batch !== undefined);

export const mode: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Real Time',
			value: 'realTime',
			description: 'Send each item as a chat request and get the reply at once',
		},
		{
			name: 'Batch: Submit and Wait',
			value: 'batchWait',
			description:
				"Send all items as one batch job (about half the price, answered within the provider's 24 h window) and wait for its results; the output is the same as in real time. Replies are not streamed.",
		},
		{
			name: 'Batch: Submit Only',
			value: 'batchSubmit',
			description: `Send all items as a batch job and output its ID at once; read its results later with the ${GET_BATCH_RESULTS} operation`,
		},
	],
	default: 'realTime',
	displayOptions: { show: { operation: ['message'], provider: BATCH_PROVIDERS } },
};

/** The label of one of the mode's values, for messages that tell what to choose. */
export const modeLabel = (value: string) =>
	mode.options?.find((option) => 'value' in option && option.value === value)?.name ?? value;

export const pollInterval: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 0.01, numberPrecision: 2 },
	default: DEFAULT_BATCH_POLL_SECONDS,
	description:
		'How long to wait before asking for the job status the first time; each later wait is 1.5 times longer, up to 10 minutes',
};

export const maxWait: INodeProperties = {
	displayName: 'Max Wait (Minutes)',
	name: 'maxWait',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: 0,
	description:
		"How long to wait for the job. 0 waits for the provider's whole completion window (24 h).",
};

export const onTimeout: INodeProperties = {
	displayName: 'When Max Wait Passes',
	name: 'onTimeout',
	type: 'options',
	options: [
		{
			name: 'Fail Unfinished Items',
			value: 'fail',
			description: `Items without a result fail with an error naming the job, which keeps running: its results can be read later with ${GET_BATCH_RESULTS}`,
		},
		{
			name: 'Cancel Job and Send Unfinished in Real Time',
			value: 'realTime',
			description:
				'The job is cancelled; finished results are kept and the other items are sent as ordinary (full-price) requests',
		},
	],
	default: 'fail',
};

export const batchOptions: INodeProperties = {
	displayName: 'Batch Options',
	name: 'batchOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [maxWait, pollInterval, onTimeout],
	displayOptions: { show: { operation: ['message'], mode: ['batchWait'] } },
};

export const batchId: INodeProperties = {
	displayName: 'Batch ID',
	name: 'batchId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.batchId }}',
	description:
		'The ID of a batch job, as Message a Model outputs it in the mode Batch: Submit Only',
	displayOptions: { show: { operation: ['batchResults'] } },
};

export const resultsSimplify: INodeProperties = {
	displayName: 'Simplify Output',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return the reply text, role, finish reason, model, token usage and tool calls instead of the raw API response',
	displayOptions: { show: { operation: ['batchResults'] } },
};

export const description: INodeProperties[] = [batchId, resultsSimplify];
