package dev.anet.server;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ServerListener} that counts what it is told, for assertions.
 */
final class RecordingListener implements ServerListener {

	final AtomicInteger opened = new AtomicInteger();

	final AtomicInteger closed = new AtomicInteger();

	final AtomicInteger rejected = new AtomicInteger();

	final List<Integer> invalidFrameLengths = new CopyOnWriteArrayList<>();

	final Map<HandlerOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

	/** Outcome of each request by its body as text (for tests that use distinct bodies). */
	final Map<String, HandlerOutcome> outcomeByRequest = new ConcurrentHashMap<>();

	final Map<Long, AtomicInteger> closedById = new ConcurrentHashMap<>();

	@Override
	public void connectionOpened(ServerConnection connection) {
		this.opened.incrementAndGet();
	}

	@Override
	public void connectionClosed(ServerConnection connection) {
		this.closed.incrementAndGet();
		this.closedById.computeIfAbsent(connection.id(), (id) -> new AtomicInteger()).incrementAndGet();
	}

	@Override
	public void connectionRejected(SocketAddress remoteAddress) {
		this.rejected.incrementAndGet();
	}

	@Override
	public void requestCompleted(ServerConnection connection, byte[] request, HandlerOutcome outcome, long nanos) {
		if (request.length <= 64) {
			this.outcomeByRequest.put(new String(request, StandardCharsets.UTF_8), outcome);
		}
		this.outcomes.computeIfAbsent(outcome, (key) -> new AtomicInteger()).incrementAndGet();
	}

	@Override
	public void invalidFrame(ServerConnection connection, int length) {
		this.invalidFrameLengths.add(length);
	}

	int count(HandlerOutcome outcome) {
		AtomicInteger count = this.outcomes.get(outcome);
		return (count != null) ? count.get() : 0;
	}

	int open() {
		return this.opened.get() - this.closed.get();
	}

}
