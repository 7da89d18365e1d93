package dev.anet.frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link GatheringByteChannel} that counts the write calls it passes on.
 */
final class CountingChannel implements GatheringByteChannel {

	private final GatheringByteChannel delegate;

	private final AtomicInteger writes = new AtomicInteger();

	CountingChannel(GatheringByteChannel delegate) {
		this.delegate = delegate;
	}

	int writes() {
		return this.writes.get();
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		this.writes.incrementAndGet();
		return this.delegate.write(srcs, offset, length);
	}

	@Override
	public long write(ByteBuffer[] srcs) throws IOException {
		return write(srcs, 0, srcs.length);
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		this.writes.incrementAndGet();
		return this.delegate.write(src);
	}

	@Override
	public boolean isOpen() {
		return this.delegate.isOpen();
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

}
