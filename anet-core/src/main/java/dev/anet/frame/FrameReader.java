package dev.anet.frame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Decodes anet frames from a blocking channel into one reused direct buffer.
 *
 * <pre>
 *   read() ──► [ frame | frame | frame | partial... ]
 *                 ▲ every complete frame is delivered; the partial tail is kept for the next read
 * </pre>
 *
 * Each {@link #read} makes one read call and then hands every complete frame it holds to the
 * consumer, so a burst of pipelined frames costs one system call.
 *
 * <p>The buffer starts at the size given and grows when a frame does not fit (to one that holds the
 * largest frame) and, up to the largest size given, when a read fills it (it doubles: the peer
 * sends faster than one buffer per read, so a bigger one saves reads). After
 * {@value #SHRINK_AFTER_READS} reads that needed no larger buffer it goes back to its first size.
 * So a server that holds many quiet connections keeps a small buffer per connection, and a busy
 * connection reads many frames per system call. Not thread-safe: one reader per connection.
 */
public final class FrameReader {

	/** Default buffer size: two of the largest frames. */
	public static final int DEFAULT_BUFFER_SIZE = 2 * Frames.MAX_FRAME_SIZE;

	/** Smallest starting size. */
	public static final int MIN_BUFFER_SIZE = 64;

	/** Reads without a large frame after which a grown buffer goes back to its first size. */
	static final int SHRINK_AFTER_READS = 256;

	private final int initialSize;

	private final int maxSize;

	private ByteBuffer buffer;

	private int readsSinceGrown;

	public FrameReader() {
		this(DEFAULT_BUFFER_SIZE);
	}

	/**
	 * Create a reader.
	 * @param bufferSize the starting buffer size, at least {@value #MIN_BUFFER_SIZE}; below
	 * {@link Frames#MAX_FRAME_SIZE} the buffer grows for a frame that does not fit
	 */
	public FrameReader(int bufferSize) {
		this(bufferSize, Math.max(bufferSize, Frames.MAX_FRAME_SIZE));
	}

	/**
	 * Create a reader whose buffer also grows while reads fill it.
	 * @param bufferSize the starting buffer size, at least {@value #MIN_BUFFER_SIZE}
	 * @param maxBufferSize the size up to which the buffer doubles while reads fill it; a buffer
	 * never grows past the larger of this and {@link Frames#MAX_FRAME_SIZE}
	 */
	public FrameReader(int bufferSize, int maxBufferSize) {
		if (bufferSize < MIN_BUFFER_SIZE) {
			throw new IllegalArgumentException(
					"bufferSize must be at least " + MIN_BUFFER_SIZE + " but was " + bufferSize);
		}
		if (maxBufferSize < bufferSize) {
			throw new IllegalArgumentException(
					"maxBufferSize must be at least bufferSize (" + bufferSize + ") but was " + maxBufferSize);
		}
		this.initialSize = bufferSize;
		this.maxSize = maxBufferSize;
		this.buffer = ByteBuffer.allocateDirect(bufferSize);
	}

	/**
	 * Read once from the channel and deliver every complete frame.
	 * @param channel a blocking channel
	 * @param consumer receives the frames
	 * @return the number of bytes read, or -1 at end of stream
	 * @throws IOException if the read fails
	 * @throws InvalidFrameException if a frame's length is under 4; the connection should be closed
	 */
	public int read(ReadableByteChannel channel, FrameConsumer consumer) throws IOException {
		ByteBuffer buf = this.buffer;
		int n = channel.read(buf);
		if (n > 0) {
			this.filled = !buf.hasRemaining();
			decode(consumer);
		}
		return n;
	}

	/**
	 * Deliver the complete frames already in the buffer (for callers that fill it themselves via
	 * {@link #buffer()}).
	 * @param consumer receives the frames
	 * @throws InvalidFrameException if a frame's length is under 4
	 */
	public void decode(FrameConsumer consumer) {
		ByteBuffer buf = this.buffer;
		buf.flip();
		try {
			while (buf.remaining() >= Frames.LENGTH_FIELD_SIZE) {
				int start = buf.position();
				int length = buf.getShort(start) & 0xFFFF;
				if (length < Frames.TASK_ID_SIZE) {
					throw new InvalidFrameException(length);
				}
				if (buf.remaining() < Frames.LENGTH_FIELD_SIZE + length) {
					if (Frames.LENGTH_FIELD_SIZE + length > buf.capacity()) {
						this.grow = true;
					}
					break;
				}
				int taskId = buf.getInt(start + Frames.LENGTH_FIELD_SIZE);
				byte[] body = new byte[length - Frames.TASK_ID_SIZE];
				buf.get(start + Frames.HEADER_SIZE, body);
				buf.position(start + Frames.LENGTH_FIELD_SIZE + length);
				consumer.onFrame(taskId, body);
			}
		}
		finally {
			buf.compact();
			resize();
		}
	}

	/** A frame that does not fit was seen by the last decode. */
	private boolean grow;

	/** The last read filled the buffer. */
	private boolean filled;

	private void resize() {
		ByteBuffer buf = this.buffer;
		int capacity = buf.capacity();
		int size = capacity;
		if (this.grow) {
			size = Math.max(size, Frames.MAX_FRAME_SIZE);
		}
		if (this.filled) {
			size = Math.max(size, Math.min(2 * capacity, this.maxSize));
		}
		boolean full = this.filled;
		this.grow = false;
		this.filled = false;
		if (size > capacity) {
			this.readsSinceGrown = 0;
			ByteBuffer larger = ByteBuffer.allocateDirect(size);
			buf.flip();
			larger.put(buf);
			this.buffer = larger;
		}
		else if (full) {
			// a full read at the largest size: still busy, keep it
			this.readsSinceGrown = 0;
		}
		else if (buf.capacity() > this.initialSize && ++this.readsSinceGrown >= SHRINK_AFTER_READS
				&& buf.position() <= this.initialSize) {
			ByteBuffer smaller = ByteBuffer.allocateDirect(this.initialSize);
			buf.flip();
			smaller.put(buf);
			this.buffer = smaller;
		}
	}

	/**
	 * Return whether bytes of an incomplete frame are waiting for more input.
	 * @return whether a frame is partly read
	 */
	public boolean hasPartialFrame() {
		return this.buffer.position() > 0;
	}

	/**
	 * Return the buffer in fill mode (for tests and for callers that read on their own). The buffer
	 * may be replaced by {@link #decode}: ask for it again before every read.
	 * @return the buffer
	 */
	public ByteBuffer buffer() {
		return this.buffer;
	}

}
