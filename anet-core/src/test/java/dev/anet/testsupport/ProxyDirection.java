package dev.anet.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.anet.frame.Frames;
import dev.anet.testsupport.FaultProxy.FrameRewrite;
import org.jspecify.annotations.Nullable;

/**
 * The behaviour switches of one direction of a {@link FaultProxy} ({@link FaultProxy#toServer()} or
 * {@link FaultProxy#toClient()}), shared by every link. Each switch can be flipped at any time; a
 * {@link Pump} looks at them for every chunk, and forwards each whole frame through
 * {@link #forward}, which rewrites, fragments and counts it.
 */
public final class ProxyDirection {

	private final String name;

	private final Object stallMonitor = new Object();

	private volatile long delayNanos;

	private volatile boolean fragment;

	private volatile boolean stalled;

	private volatile @Nullable FrameRewrite rewrite;

	private final AtomicLong frames = new AtomicLong();

	private final AtomicLong writes = new AtomicLong();

	ProxyDirection(String name) {
		this.name = name;
	}

	/**
	 * Hold each chunk until {@code delay} after it was read.
	 * @param delay the delay, zero for none
	 * @return this
	 */
	public ProxyDirection delay(Duration delay) {
		this.delayNanos = delay.toNanos();
		return this;
	}

	/**
	 * Whether to write every byte on its own.
	 * @param fragment whether to fragment
	 * @return this
	 */
	public ProxyDirection fragment(boolean fragment) {
		this.fragment = fragment;
		return this;
	}

	/**
	 * Whether to stop reading from the sender (without closing anything).
	 * @param stalled whether to stall
	 * @return this
	 */
	public ProxyDirection stall(boolean stalled) {
		synchronized (this.stallMonitor) {
			this.stalled = stalled;
			this.stallMonitor.notifyAll();
		}
		return this;
	}

	/**
	 * Replace each frame by what the rewrite returns; {@code null} forwards frames as they are.
	 * @param rewrite the rewrite
	 * @return this
	 */
	public ProxyDirection rewrite(@Nullable FrameRewrite rewrite) {
		this.rewrite = rewrite;
		return this;
	}

	/**
	 * Return the number of frames that came through (before rewriting).
	 * @return the count
	 */
	public long frames() {
		return this.frames.get();
	}

	/**
	 * Return the number of writes made (one per byte when fragmenting).
	 * @return the count
	 */
	public long writes() {
		return this.writes.get();
	}

	long delayNanos() {
		return this.delayNanos;
	}

	void awaitNotStalled(FaultProxy.Link link) {
		synchronized (this.stallMonitor) {
			while (this.stalled && link.isOpen()) {
				try {
					this.stallMonitor.wait(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Forward the bytes as they come, without cutting them into anet frames (for TLS, whose records
	 * are not frames); {@link #rewrite} and {@link #frames} then do nothing.
	 * @param opaque whether to forward bytes as they come
	 * @return this direction
	 */
	public ProxyDirection opaque(boolean opaque) {
		this.opaque = opaque;
		return this;
	}

	boolean isOpaque() {
		return this.opaque;
	}

	/**
	 * Write bytes as they are (opaque mode).
	 * @param bytes the bytes read
	 * @param out where to write them
	 * @throws IOException if the write fails
	 */
	void forwardOpaque(byte[] bytes, OutputStream out) throws IOException {
		write(out, bytes);
	}

	/**
	 * Count one whole frame and write what the rewrite makes of it.
	 * @param frame the frame, length field included
	 * @param out where to write it
	 * @throws IOException if the write fails
	 */
	void forward(byte[] frame, OutputStream out) throws IOException {
		this.frames.incrementAndGet();
		for (byte[] bytes : rewrite(frame, this.rewrite)) {
			write(out, bytes);
		}
	}

	private List<byte[]> rewrite(byte[] frame, @Nullable FrameRewrite rewrite) {
		if (rewrite == null || frame.length < Frames.HEADER_SIZE) {
			return List.of(frame);
		}
		ByteBuffer buffer = ByteBuffer.wrap(frame);
		int taskId = buffer.getInt(Frames.LENGTH_FIELD_SIZE);
		byte[] body = Arrays.copyOfRange(frame, Frames.HEADER_SIZE, frame.length);
		return rewrite.apply(taskId, body).stream().map((f) -> Frames.encode(f.taskId(), f.body())).toList();
	}

	private void write(OutputStream out, byte[] bytes) throws IOException {
		if (this.fragment) {
			for (byte b : bytes) {
				out.write(b);
				this.writes.incrementAndGet();
			}
		}
		else {
			out.write(bytes);
			this.writes.incrementAndGet();
		}
		out.flush();
	}

	private volatile boolean opaque;

	@Override
	public String toString() {
		return this.name;
	}

}
