package dev.anet.frame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.frame.FrameDecoding.Decoded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.anet.frame.PipeChannel.HEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link FrameWriter} and {@link Frames#encode} on a blocking pipe.
 */
class FrameWriterTests {

	private PipeChannel pipe;

	private CountingChannel sink;

	@BeforeEach
	void openPipe() throws Exception {
		this.pipe = new PipeChannel();
		this.sink = new CountingChannel(this.pipe.sink());
	}

	@AfterEach
	void closePipe() throws Exception {
		this.pipe.close();
	}

	@Test
	void whenSeveralFramesAreAppendedThenOneFlushWritesThemWithOneWriteCall() throws Exception {
		FrameWriter writer = new FrameWriter();
		writer.append(7, "a".getBytes());
		writer.append(8, "bb".getBytes());
		writer.append(9, "ccc".getBytes());
		assertThat(writer.pendingFrames()).isEqualTo(3);

		long written = writer.flush(this.sink);

		assertThat(written).isEqualTo(24);
		assertThat(this.sink.writes()).isEqualTo(1);
		assertThat(writer.pendingFrames()).isZero();
		assertThat(HEX.formatHex(available(24))).isEqualTo("000500000007610006000000086262000700000009636363");
	}

	@Test
	void whenTheBatchIsEmptyThenFlushWritesNothing() throws Exception {
		assertThat(new FrameWriter().flush(this.sink)).isZero();
		assertThat(this.sink.writes()).isZero();
	}

	@Test
	void whenABodyIsOverTheLimitThenAppendRefusesItBeforeAnyByteIsWritten() throws Exception {
		FrameWriter writer = new FrameWriter();
		writer.append(1, "kept".getBytes());

		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> writer.append(2, new byte[Frames.MAX_BODY_SIZE + 1]))
			.satisfies((ex) -> assertThat(ex.size()).isEqualTo(65532))
			.withMessageContaining("65532 bytes")
			.withMessageContaining("65531");

		assertThat(this.sink.writes()).isZero();
		assertThat(availableNow()).isEmpty();
		// the batch is untouched: the frame appended before is still there, alone
		assertThat(writer.pendingFrames()).isEqualTo(1);
		assertThat(writer.flush(this.sink)).isEqualTo(10);
		assertThat(HEX.formatHex(available(10))).isEqualTo("0008000000016b657074");
	}

	@Test
	void whenABodyIsOverTheLimitThenEncodeRefusesIt() {
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> Frames.encode(1, new byte[70_000]))
			.satisfies((ex) -> assertThat(ex.size()).isEqualTo(70_000));
	}

	@Test
	void whenABodyIsExactlyTheLimitThenItIsWrittenWithLengthFieldFfff() throws Exception {
		byte[] body = pattern(Frames.MAX_BODY_SIZE, 3);
		FrameWriter writer = new FrameWriter();
		writer.append(0x0A0B0C0D, body);
		CompletableFuture<byte[]> drained = this.pipe.drainInBackground(Frames.MAX_FRAME_SIZE);

		assertThat(writer.flush(this.sink)).isEqualTo(Frames.MAX_FRAME_SIZE);

		byte[] bytes = drained.get(5, TimeUnit.SECONDS);
		assertThat(bytes).hasSize(65537);
		assertThat(HEX.formatHex(bytes, 0, 6)).isEqualTo("ffff0a0b0c0d");
		assertThat(bytes).isEqualTo(Frames.encode(0x0A0B0C0D, body));
		assertThat(FrameDecoding.decodeThroughPipe(bytes)).containsExactly(Decoded.of(0x0A0B0C0D, body));
	}

	@Test
	void whenBigAndSmallBodiesAreMixedInOneBatchThenTheyArriveInOrderAndIntact() throws Exception {
		int[] sizes = { 0, 1, 8191, 8192, 5, 20_000, 65_531, 100, 8193, 0, 30_000, 2 };
		List<byte[]> bodies = new ArrayList<>();
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		FrameWriter writer = new FrameWriter();
		for (int i = 0; i < sizes.length; i++) {
			byte[] body = pattern(sizes[i], i + 1);
			bodies.add(body);
			assertThat(writer.fits(body.length)).as("frame %d fits", i).isTrue();
			writer.append(i, body);
			expected.writeBytes(Frames.encode(i, body));
		}
		CompletableFuture<byte[]> drained = this.pipe.drainInBackground(expected.size());

		assertThat(writer.flush(this.sink)).isEqualTo(expected.size());

		byte[] bytes = drained.get(5, TimeUnit.SECONDS);
		assertThat(bytes).isEqualTo(expected.toByteArray());
		List<Decoded> frames = FrameDecoding.decodeThroughPipe(bytes);
		assertThat(frames).hasSize(sizes.length);
		for (int i = 0; i < sizes.length; i++) {
			assertThat(frames.get(i)).isEqualTo(Decoded.of(i, bodies.get(i)));
		}
	}

	@Test
	void whenManyBatchesOfRandomBodiesAreWrittenThenTheStreamIsTheirConcatenation() throws Exception {
		Random random = new Random(42);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			int size = (random.nextInt(4) == 0) ? random.nextInt(Frames.MAX_BODY_SIZE + 1) : random.nextInt(200);
			byte[] body = new byte[size];
			random.nextBytes(body);
			bodies.add(body);
			expected.writeBytes(Frames.encode(i, body));
		}
		CompletableFuture<byte[]> drained = this.pipe.drainInBackground(expected.size());
		FrameWriter writer = new FrameWriter();
		int flushes = 0;
		long written = 0;
		for (int i = 0; i < bodies.size(); i++) {
			if (!writer.fits(bodies.get(i).length)) {
				written += writer.flush(this.sink);
				flushes++;
			}
			writer.append(i, bodies.get(i));
		}
		written += writer.flush(this.sink);

		assertThat(written).isEqualTo(expected.size());
		assertThat(flushes).isPositive();
		assertThat(drained.get(10, TimeUnit.SECONDS)).isEqualTo(expected.toByteArray());
	}

	@Test
	void whenTheStagingBufferIsFullThenFitsSaysNoAndAppendRefusesWithoutChangingTheBatch() throws Exception {
		FrameWriter writer = new FrameWriter();
		int appended = 0;
		for (int i = 0; i < 20 && writer.fits(8191); i++) {
			writer.append(i, pattern(8191, i));
			appended++;
		}
		// 7 copied frames of 8197 bytes fill the 64 KiB staging buffer past what an 8th needs
		assertThat(appended).isEqualTo(7);

		assertThatIllegalStateException().isThrownBy(() -> writer.append(99, new byte[8191]))
			.withMessageContaining("8191 bytes");
		assertThat(writer.pendingFrames()).isEqualTo(7);
		assertThat(writer.fits(8192)).as("an uncopied body needs only its header").isTrue();

		CompletableFuture<byte[]> drained = this.pipe.drainInBackground(7 * 8197);
		assertThat(writer.flush(this.sink)).isEqualTo(7 * 8197);
		byte[] bytes = drained.get(5, TimeUnit.SECONDS);
		for (int i = 0; i < 7; i++) {
			byte[] frame = java.util.Arrays.copyOfRange(bytes, i * 8197, (i + 1) * 8197);
			assertThat(frame).isEqualTo(Frames.encode(i, pattern(8191, i)));
		}
	}

	@Test
	void whenBigBodiesFillTheSegmentTableThenFitsSaysNoAndTheBatchStillGoesOutIntact() throws Exception {
		FrameWriter writer = new FrameWriter();
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		int appended = 0;
		for (int i = 0; i < 100 && writer.fits(8192); i++) {
			byte[] body = pattern(8192, i);
			writer.append(i, body);
			expected.writeBytes(Frames.encode(i, body));
			appended++;
		}
		assertThat(appended).isBetween(2, 64);
		assertThatIllegalStateException().isThrownBy(() -> writer.append(1000, new byte[8192]));
		CompletableFuture<byte[]> drained = this.pipe.drainInBackground(expected.size());

		assertThat(writer.flush(this.sink)).isEqualTo(expected.size());

		assertThat(drained.get(5, TimeUnit.SECONDS)).isEqualTo(expected.toByteArray());
	}

	@Test
	void whenTheWriteFailsThenTheBatchIsDiscarded() throws Exception {
		FrameWriter writer = new FrameWriter();
		writer.append(1, "lost".getBytes());
		this.pipe.sink().close();

		assertThatIOException().isThrownBy(() -> writer.flush(this.sink));

		assertThat(writer.pendingFrames()).isZero();
	}

	@Test
	void stagingBufferTooSmallForTheCopyThresholdIsRefusedWithItsSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameWriter(1024))
			.withMessage("bufferSize must be at least 8198 but was 1024");
	}

	private static byte[] pattern(int size, int seed) {
		byte[] body = new byte[size];
		for (int i = 0; i < size; i++) {
			body[i] = (byte) (seed * 131 + i * 7);
		}
		return body;
	}

	/** Read exactly {@code n} bytes that are already in the pipe. */
	private byte[] available(int n) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(n);
		for (int i = 0; i < n && buffer.hasRemaining(); i++) {
			this.pipe.source().read(buffer);
		}
		return buffer.array();
	}

	/** Whatever is in the pipe right now, without waiting. */
	private byte[] availableNow() throws IOException {
		this.pipe.source().configureBlocking(false);
		try {
			ByteBuffer buffer = ByteBuffer.allocate(1024);
			this.pipe.source().read(buffer);
			return java.util.Arrays.copyOf(buffer.array(), buffer.position());
		}
		finally {
			this.pipe.source().configureBlocking(true);
		}
	}

}
