package dev.anet.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A channel that takes every byte and keeps none: measures framing without a socket.
 */
final class DiscardChannel implements GatheringByteChannel {

	@Override
	public int write(ByteBuffer src) {
		int n = src.remaining();
		src.position(src.limit());
		return n;
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) {
		long n = 0;
		for (int i = offset; i < offset + length; i++) {
			n += write(srcs[i]);
		}
		return n;
	}

	@Override
	public long write(ByteBuffer[] srcs) {
		return write(srcs, 0, srcs.length);
	}

	@Override
	public boolean isOpen() {
		return true;
	}

	@Override
	public void close() {
	}

}
