package dev.anet.server;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of an {@link AsyncHandler} server whose answers are still to come: their bound
 * ({@code maxPendingAsync}) and, when a stopping server gives up waiting, their abandonment.
 *
 * <p>
 * A request takes a place before its handler is called ({@link #tryReserve()}; none free: it is
 * rejected) and gives it back once its answer is known ({@link #release()}). A stage still pending
 * when {@code handle} returned is also {@linkplain #add kept here} until it completes: whoever takes
 * it out ({@link #remove}, when it completes; {@link #abandonAll()}, when stop gives up) finishes
 * the request, so exactly one of them does.
 */
final class PendingAsync {

	private final int max;

	private final Draining draining;

	private final AtomicInteger reserved = new AtomicInteger();

	private final Map<Pending, CompletionStage<?>> pending = new ConcurrentHashMap<>();

	PendingAsync(int max, Draining draining) {
		this.max = max;
		this.draining = draining;
	}

	/**
	 * Take a place for a request about to be handled.
	 * @return whether there was one ({@code maxPendingAsync} were not taken)
	 */
	boolean tryReserve() {
		if (this.reserved.incrementAndGet() > this.max) {
			this.reserved.decrementAndGet();
			return false;
		}
		return true;
	}

	/**
	 * A request's answer is known (or it was abandoned): its place comes back.
	 */
	void release() {
		this.reserved.decrementAndGet();
		this.draining.changed();
	}

	/**
	 * Keep a request whose stage is pending (before anything may complete it).
	 * @param request the request
	 * @param stage its stage
	 */
	void add(Pending request, CompletionStage<?> stage) {
		this.pending.put(request, stage);
	}

	/**
	 * Take out a request whose stage completed.
	 * @param request the request
	 * @return whether it was still here (if not, it was abandoned: drop its answer)
	 */
	boolean remove(Pending request) {
		return this.pending.remove(request) != null;
	}

	/**
	 * Return the requests whose answer is still to come (or whose handler is being called).
	 * @return the count
	 */
	int count() {
		return this.reserved.get();
	}

	/**
	 * Abandon every request still pending (the server gave up waiting for them).
	 * @return how many were abandoned
	 */
	int abandonAll() {
		int abandoned = 0;
		for (Map.Entry<Pending, CompletionStage<?>> entry : this.pending.entrySet()) {
			if (this.pending.remove(entry.getKey()) != null) {
				entry.getKey().abandon(entry.getValue());
				abandoned++;
			}
		}
		return abandoned;
	}

	/**
	 * A request whose stage is pending.
	 */
	interface Pending {

		/**
		 * Give up on the answer (the request was taken out; its place is still taken).
		 * @param stage its stage
		 */
		void abandon(CompletionStage<?> stage);

	}

}
