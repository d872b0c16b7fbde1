import { mapConcurrent } from '../../nodes/LlmChat/helpers/pool';
import { SlidingWindows } from '../../nodes/shared/rateLimit';
import { FaultServer } from '../support/faultServer';

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
	it('keeps input order while finishing out of order, never above the bound', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await mapConcurrent(40, 7, async (index) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await wait((index * 7919) % 13);
			inFlight--;
			return index * 2;
		});
		expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
		expect(peak).toBe(7);
	});

	it('starts nothing new after a failure, lets the running ones finish, then throws it', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		await expect(
			mapConcurrent(20, 3, async (index) => {
				started.push(index);
				await wait(index === 1 ? 1 : 10);
				if (index === 1) throw new Error('item 1 failed');
				finished.push(index);
				return index;
			}),
		).rejects.toThrow('item 1 failed');
		expect(started).toEqual([0, 1, 2]);
		expect(finished.sort()).toEqual([0, 2]);
	});

	/** Counts event-loop iterations (one check phase each) while `body` runs. */
	async function withLoopCounter<T>(body: (iteration: () => number) => Promise<T>): Promise<T> {
		let iteration = 0;
		let running = true;
		const tick = () => {
			iteration++;
			if (running) setImmediate(tick);
		};
		setImmediate(tick);
		try {
			return await body(() => iteration);
		} finally {
			running = false;
		}
	}

	it('starts slow items one per event-loop iteration, so each request leaves before the next is built', async () => {
		const startedIn: number[] = [];
		await withLoopCounter(async (iteration) => {
			// All 12 lanes want to start at once, twice: at the beginning and when the first round ends.
			await mapConcurrent(24, 12, async () => {
				startedIn.push(iteration());
				await wait(80);
			});
		});
		expect(startedIn).toHaveLength(24);
		expect(new Set(startedIn).size).toBe(24);
	});

	it('starts fast items in batches: pacing only pays off for slow requests', async () => {
		const startedIn: number[] = [];
		await withLoopCounter(async (iteration) => {
			await mapConcurrent(40, 8, async () => {
				startedIn.push(iteration());
			});
		});
		expect(startedIn).toHaveLength(40);
		expect(new Set(startedIn).size).toBeLessThan(40);
	});

	it('handles no items and a bound larger than the items', async () => {
		expect(await mapConcurrent(0, 5, async (i) => i)).toEqual([]);
		expect(await mapConcurrent(2, 50, async (i) => i)).toEqual([0, 1]);
	});
});

describe('SlidingWindows against a counting server', () => {
	it('lets exactly the limit start per window, the rest in the next windows', async () => {
		const server = await new FaultServer().start();
		server.reply(200, 'ok');
		const url = `${server.url}/`;
		await fetch(url).then(async (r) => await r.text()); // warm up the HTTP client
		server.seen.length = 0; // the warm-up does not count

		const windowMs = 800;
		const limiter = new SlidingWindows(windowMs);
		const counts: number[] = [];
		// Read the server's count in the middle of each window: counts, not durations.
		const checkpoints = [0.5, 1.5, 2.5].map(
			async (at) => await wait(at * windowMs).then(() => counts.push(server.seen.length)),
		);
		try {
			await mapConcurrent(8, 8, async () => {
				await limiter.acquire('credential', 3);
				await fetch(url).then(async (r) => await r.text());
			});
			await Promise.all(checkpoints);
		} finally {
			await server.stop();
		}
		expect(counts).toEqual([3, 6, 8]);
	});
});
