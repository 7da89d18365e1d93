package dev.anet.pool;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PoolListener} that counts what it hears.
 */
final class CountingListener implements PoolListener {

	final AtomicInteger created = new AtomicInteger();

	final AtomicInteger closed = new AtomicInteger();

	final AtomicInteger acquired = new AtomicInteger();

	final List<Throwable> dialFailures = new CopyOnWriteArrayList<>();

	@Override
	public void connectionCreated(InetSocketAddress address) {
		this.created.incrementAndGet();
	}

	@Override
	public void connectionClosed(InetSocketAddress address) {
		this.closed.incrementAndGet();
	}

	@Override
	public void connectionAcquired(InetSocketAddress address, long nanos) {
		this.acquired.incrementAndGet();
	}

	@Override
	public void dialFailed(InetSocketAddress address, Throwable cause) {
		this.dialFailures.add(cause);
	}

}
