package dev.anet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.anet.frame.Frames;
import org.jspecify.annotations.Nullable;

/**
 * One direction of a {@link FaultProxy.Link}: a reader thread that reads chunks from one socket into
 * a queue (unless the direction is stalled), and a writer thread that holds each chunk for the
 * direction's delay, cuts the bytes into whole anet frames and hands each to
 * {@link ProxyDirection#forward} for the other socket. While the link is half-open both go on
 * reading and throw away what they read. The end of either stream, or an I/O error, closes the
 * link.
 */
final class Pump {

	private final FaultProxy.Link link;

	private final Socket from;

	private final Socket to;

	private final ProxyDirection direction;

	private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();

	private final Thread reader;

	private final Thread writer;

	/**
	 * Create a pump whose threads are named after the link and the direction; {@link #start} starts
	 * them.
	 * @param link the link the pump belongs to
	 * @param linkName the link's name
	 * @param from the socket to read from
	 * @param to the socket to write to
	 * @param direction the switches of this direction
	 */
	Pump(FaultProxy.Link link, String linkName, Socket from, Socket to, ProxyDirection direction) {
		this.link = link;
		this.from = from;
		this.to = to;
		this.direction = direction;
		String prefix = "fault-proxy-" + linkName + "-" + direction;
		this.reader = daemon(prefix + "-read", this::readLoop);
		this.writer = daemon(prefix + "-write", this::writeLoop);
	}

	void start() {
		this.reader.start();
		this.writer.start();
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private void readLoop() {
		byte[] buffer = new byte[16 * 1024];
		try {
			InputStream in = this.from.getInputStream();
			while (this.link.isOpen()) {
				this.direction.awaitNotStalled(this.link);
				int n = in.read(buffer);
				if (n < 0) {
					break;
				}
				if (!this.link.isHalfOpen()) {
					this.queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
				}
			}
		}
		catch (IOException ex) {
			// reset or closed: the link goes
		}
		finally {
			this.link.close();
			this.queue.add(Chunk.END);
		}
	}

	private void writeLoop() {
		FrameSplitter splitter = new FrameSplitter();
		try {
			OutputStream out = this.to.getOutputStream();
			while (true) {
				Chunk chunk = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (chunk == Chunk.END || (chunk == null && !this.link.isOpen())) {
					return;
				}
				if (chunk == null) {
					continue;
				}
				long due = chunk.readNanos() + this.direction.delayNanos();
				for (long wait = due - System.nanoTime(); wait > 0 && this.link.isOpen(); wait = due - System.nanoTime()) {
					LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				if (this.link.isHalfOpen()) {
					continue;
				}
				if (this.direction.isOpaque()) {
					this.direction.forwardOpaque(chunk.data(), out);
					continue;
				}
				splitter.add(chunk.data());
				for (byte[] frame = splitter.next(); frame != null; frame = splitter.next()) {
					this.direction.forward(frame, out);
				}
			}
		}
		catch (IOException ex) {
			this.link.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Bytes read at a time; {@link #END} marks the end of the stream. */
	private record Chunk(byte[] data, long readNanos) {

		static final Chunk END = new Chunk(new byte[0], 0);

	}

	/** Cuts a byte stream into whole anet frames (length field included). */
	private static final class FrameSplitter {

		private byte[] pending = new byte[0];

		void add(byte[] data) {
			byte[] joined = Arrays.copyOf(this.pending, this.pending.length + data.length);
			System.arraycopy(data, 0, joined, this.pending.length, data.length);
			this.pending = joined;
		}

		byte @Nullable [] next() {
			if (this.pending.length < Frames.LENGTH_FIELD_SIZE) {
				return null;
			}
			int size = Frames.LENGTH_FIELD_SIZE + (((this.pending[0] & 0xFF) << 8) | (this.pending[1] & 0xFF));
			if (this.pending.length < size) {
				return null;
			}
			byte[] frame = Arrays.copyOf(this.pending, size);
			this.pending = Arrays.copyOfRange(this.pending, size, this.pending.length);
			return frame;
		}

	}

}
