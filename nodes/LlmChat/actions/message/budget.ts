/** Budget per Execution: items stop being sent once the execution's answers cost that much. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Fail } from '../../../shared/chat/validation';
import { readNumber } from '../../../shared/chat/validation';
import { MAX_BUDGETS } from '../../../shared/defaults';

export const BUDGET_OPTION = 'budgetPerExecution';

/**
 * What a node has spent in an execution, kept across its runs (a loop runs it several times)
 * and across items. Bounded: the oldest executions are forgotten first.
 */
const spentByExecution = new Map<string, number>();

export interface Budget {
	/** Throws, before any request, once the limit is reached. */
	check(itemIndex: number): void;
	add(usd: number): void;
	readonly spent: number;
}

export function readBudget(value: unknown, label: string, fail: Fail): number | undefined {
	const limit = readNumber(value, label, { min: 0, max: 1_000_000 }, fail);
	// 0 is n8n's default for a number: no budget.
	return limit === undefined || limit === 0 ? undefined : limit;
}

/**
 * The node's budget in this execution. Items already in flight when the limit is reached
 * still finish (they were sent), so with concurrency the spending can pass the limit by
 * up to that many answers.
 */
export function budgetFor(
	node: INode,
	executionId: string,
	limit: number | undefined,
	label: string,
): Budget | undefined {
	if (limit === undefined) return undefined;
	const key = JSON.stringify([executionId, node.id ?? node.name]);
	const spent = () => spentByExecution.get(key) ?? 0;
	return {
		check(itemIndex) {
			if (spent() < limit) return;
			throw new NodeOperationError(
				node,
				`${label} of ${limit} USD reached (${formatUsd(spent())} USD spent): item ${itemIndex} was not sent`,
				{
					itemIndex,
					description: `The answers of this execution have cost as much as "${label}" allows, so the remaining items fail without a request. Raise it, or run the rest in another execution.`,
				},
			);
		},
		add(usd) {
			const total = spent() + usd;
			spentByExecution.delete(key);
			spentByExecution.set(key, total);
			while (spentByExecution.size > MAX_BUDGETS)
				spentByExecution.delete(spentByExecution.keys().next().value!);
		},
		get spent() {
			return spent();
		},
	};
}

const formatUsd = (usd: number) => String(Math.round(usd * 1e6) / 1e6);
