package dev.anet.frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A blocking {@link Pipe} for the framing tests: {@link #sink()} is what a writer writes to,
 * {@link #source()} what a reader reads from. Writes bigger than the pipe's buffer block until the
 * other side reads, so {@link #writeInBackground} and {@link #drainInBackground} run on a helper
 * thread.
 */
final class PipeChannel implements AutoCloseable {

	static final HexFormat HEX = HexFormat.of();

	private final Pipe pipe;

	private final ExecutorService helper = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "pipe-helper");
		thread.setDaemon(true);
		return thread;
	});

	PipeChannel() throws IOException {
		this.pipe = Pipe.open();
	}

	Pipe.SinkChannel sink() {
		return this.pipe.sink();
	}

	Pipe.SourceChannel source() {
		return this.pipe.source();
	}

	/**
	 * Write every byte to the sink on the helper thread, then close the sink when asked.
	 */
	CompletableFuture<Void> writeInBackground(byte[] bytes, boolean closeAfter) {
		return CompletableFuture.runAsync(() -> {
			try {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					sink().write(buffer);
				}
				if (closeAfter) {
					sink().close();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, this.helper);
	}

	/**
	 * Read from the source on the helper thread until {@code expected} bytes arrived or the sink was
	 * closed.
	 */
	CompletableFuture<byte[]> drainInBackground(int expected) {
		return CompletableFuture.supplyAsync(() -> {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
			try {
				while (out.size() < expected) {
					buffer.clear();
					int n = source().read(buffer);
					if (n < 0) {
						break;
					}
					out.write(buffer.array(), 0, n);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return out.toByteArray();
		}, this.helper);
	}

	@Override
	public void close() throws Exception {
		this.helper.shutdownNow();
		this.pipe.sink().close();
		this.pipe.source().close();
		this.helper.awaitTermination(5, TimeUnit.SECONDS);
	}

}
