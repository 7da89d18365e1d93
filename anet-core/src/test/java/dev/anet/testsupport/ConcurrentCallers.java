package dev.anet.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs {@code threads} caller threads that each make {@code perThread} calls, and collects what
 * went wrong: every exception a call threw, and every caller still running at the time limit.
 */
public final class ConcurrentCallers {

	private ConcurrentCallers() {
	}

	/**
	 * Run the callers and wait for them.
	 * @param threads how many caller threads
	 * @param perThread how many calls each makes, one after the other
	 * @param limit how long to wait for each caller to finish
	 * @param call one call, given the caller's number and the call's number
	 * @return the failures: what calls threw (a caller stops at its first), and an
	 * {@link AssertionError} for each caller that did not finish in time; empty if all went well
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static List<Throwable> run(int threads, int perThread, Duration limit, Call call)
			throws InterruptedException {
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> callers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			callers.add(new Thread(() -> {
				try {
					for (int i = 0; i < perThread; i++) {
						call.call(thread, i);
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}, "caller-" + t));
		}
		callers.forEach(Thread::start);
		for (Thread caller : callers) {
			caller.join(limit.toMillis());
			if (caller.isAlive()) {
				failures.add(new AssertionError(caller.getName() + " did not finish within " + limit));
			}
		}
		return failures;
	}

	/**
	 * One call of a caller.
	 */
	@FunctionalInterface
	public interface Call {

		void call(int thread, int index) throws Exception;

	}

}
