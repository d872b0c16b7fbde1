import { sleep } from 'n8n-workflow';

/**
 * Items that take at least this long start one per event-loop iteration (see
 * startTurns): spacing costs about a millisecond per start, which is small next
 * to a slow request and large next to a fast one, where starting in batches
 * gets more done per iteration.
 */
const PACED_ABOVE_MS = 50;

/**
 * Runs `worker(0..count-1)` with at most `concurrency` in flight and returns the
 * results in index order. After the first failure no new index starts; the ones
 * in flight finish, then that failure is thrown.
 */
export async function mapConcurrent<T>(
	count: number,
	concurrency: number,
	worker: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	const nextTurn = startTurns();

	const lane = async () => {
		let paced = true;
		while (failure === undefined && next < count) {
			if (lanes > 1) await (paced ? nextTurn() : sleep(0));
			if (failure !== undefined || next >= count) break;
			const index = next++;
			const startedAt = Date.now();
			try {
				results[index] = await worker(index);
			} catch (error) {
				failure ??= { error };
			}
			paced = Date.now() - startedAt >= PACED_ABOVE_MS;
		}
	};

	await Promise.all(Array.from({ length: lanes }, lane));
	if (failure !== undefined) throw failure.error;
	return results;
}

/**
 * Hands out turns for starting items, one per event-loop iteration, always from
 * a timer. A worker runs synchronously up to its first I/O, but its request only
 * leaves once the loop has polled sockets again. Were several items started in
 * one go, each request would wait until the last of them was built, and lanes
 * would stay in lockstep, each round paying for the whole batch. Granting turns
 * only in the timers phase also keeps a start from squeezing in between another
 * request's creation and its send while the loop handles incoming replies.
 */
function startTurns(): () => Promise<void> {
	const waiting: Array<() => void> = [];
	let pumping = false;
	const pump = async () => {
		pumping = true;
		while (waiting.length > 0) {
			// A timer set now is never due in the current timers phase: the loop polls I/O first.
			await sleep(0);
			waiting.shift()?.();
		}
		pumping = false;
	};
	return async () =>
		await new Promise<void>((resolve) => {
			waiting.push(resolve);
			if (!pumping) void pump();
		});
}
