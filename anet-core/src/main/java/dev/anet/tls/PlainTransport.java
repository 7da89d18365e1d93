package dev.anet.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Plain TCP: every call goes straight to the channel.
 */
final class PlainTransport implements Transport {

	private final SocketChannel channel;

	PlainTransport(SocketChannel channel) {
		this.channel = channel;
	}

	@Override
	public SocketChannel channel() {
		return this.channel;
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		return this.channel.read(dst);
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		return this.channel.write(src);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		return this.channel.write(srcs, offset, length);
	}

	@Override
	public long write(ByteBuffer[] srcs) throws IOException {
		return this.channel.write(srcs);
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	@Override
	public String toString() {
		return "PlainTransport[" + this.channel + "]";
	}

}
