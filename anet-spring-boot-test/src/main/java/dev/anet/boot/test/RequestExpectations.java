package dev.anet.boot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The script of a {@link MockAnetServer}: its expectations in declaration order, the requests it
 * received and those no expectation took. Thread-safe: connection readers match while the test
 * declares and verifies.
 *
 * <p>In order (the default), a request goes to the current expectation while it has room, else to
 * the next one that matches, as long as every expectation skipped on the way got its minimum; out
 * of order, to the first expectation declared that matches and has room.
 */
final class RequestExpectations {

	private final boolean ignoreExpectOrder;

	private final List<Expectation> expectations = new ArrayList<>();

	private final List<byte[]> received = new ArrayList<>();

	private final List<byte[]> unexpected = new ArrayList<>();

	private int current;

	RequestExpectations(boolean ignoreExpectOrder) {
		this.ignoreExpectOrder = ignoreExpectOrder;
	}

	synchronized ResponseActions add(ExpectedCount count, AnetRequestMatcher matcher) {
		Expectation expectation = new Expectation(Objects.requireNonNull(count, "count"),
				Objects.requireNonNull(matcher, "matcher"));
		this.expectations.add(expectation);
		return expectation;
	}

	/**
	 * Record a request and return the expectation that takes it.
	 * @param request the request body
	 * @return the creator of its response, or {@code null} if no expectation takes it
	 */
	synchronized @Nullable AnetResponseCreator match(byte[] request) {
		this.received.add(request);
		Expectation expectation = this.ignoreExpectOrder ? matchAny(request) : matchNext(request);
		if (expectation == null) {
			this.unexpected.add(request);
		}
		else {
			expectation.matched++;
		}
		notifyAll();
		return (expectation != null) ? expectation.creator : null;
	}

	private @Nullable Expectation matchNext(byte[] request) {
		for (int i = this.current; i < this.expectations.size(); i++) {
			Expectation expectation = this.expectations.get(i);
			if (expectation.hasRoom() && expectation.matcher.matches(request)) {
				this.current = i;
				return expectation;
			}
			if (!expectation.isMet()) {
				return null;
			}
		}
		return null;
	}

	private @Nullable Expectation matchAny(byte[] request) {
		for (Expectation expectation : this.expectations) {
			if (expectation.hasRoom() && expectation.matcher.matches(request)) {
				return expectation;
			}
		}
		return null;
	}

	synchronized List<byte[]> received() {
		return this.received.stream().map(byte[]::clone).toList();
	}

	/**
	 * Wait until every expectation got its minimum, or a request came that none took, or the
	 * timeout passed.
	 * @param timeout how long to wait at most
	 */
	synchronized void awaitMet(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!allMet() && this.unexpected.isEmpty()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return;
			}
			TimeUnit.NANOSECONDS.timedWait(this, remaining);
		}
	}

	private boolean allMet() {
		return this.expectations.stream().allMatch(Expectation::isMet);
	}

	/**
	 * Describe what went wrong.
	 * @return the failure message, or {@code null} when every expectation was met and every
	 * request expected
	 */
	synchronized @Nullable String failures() {
		long unmet = this.expectations.stream().filter((expectation) -> !expectation.isMet()).count();
		if (unmet == 0 && this.unexpected.isEmpty()) {
			return null;
		}
		StringBuilder message = new StringBuilder("MockAnetServer: ").append(unmet)
			.append(" expectation(s) not met, ")
			.append(this.unexpected.size())
			.append(" unexpected request(s)");
		message.append("\nExpectations").append(this.ignoreExpectOrder ? " (any order):" : " (in order):");
		for (Expectation expectation : this.expectations) {
			message.append("\n  ").append(expectation.isMet() ? "met    " : "NOT MET").append("  ")
				.append(expectation.matcher)
				.append(": expected ")
				.append(expectation.count)
				.append(", got ")
				.append(expectation.matched);
		}
		if (!this.unexpected.isEmpty()) {
			message.append("\nUnexpected requests (no expectation took them; nothing was answered):");
			this.unexpected.forEach((request) -> message.append("\n  ").append(Bytes.describe(request)));
		}
		message.append("\nRequests received (").append(this.received.size()).append("):");
		this.received.forEach((request) -> message.append("\n  ").append(Bytes.describe(request)));
		return message.toString();
	}

	synchronized void reset() {
		this.expectations.clear();
		this.received.clear();
		this.unexpected.clear();
		this.current = 0;
	}

	private static final class Expectation implements ResponseActions {

		private final ExpectedCount count;

		private final AnetRequestMatcher matcher;

		private volatile AnetResponseCreator creator = AnetResponseCreators.noAnswer();

		private int matched;

		Expectation(ExpectedCount count, AnetRequestMatcher matcher) {
			this.count = count;
			this.matcher = matcher;
		}

		@Override
		public void andRespond(AnetResponseCreator creator) {
			this.creator = Objects.requireNonNull(creator, "creator");
		}

		boolean hasRoom() {
			return this.matched < this.count.max();
		}

		boolean isMet() {
			return this.matched >= this.count.min();
		}

	}

}
