package dev.anet.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.frame.FrameDecoding.Decoded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.anet.frame.PipeChannel.HEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link FrameReader} on a blocking pipe.
 */
class FrameReaderTests {

	private PipeChannel pipe;

	private final List<Decoded> frames = new ArrayList<>();

	private final FrameConsumer collect = (taskId, body) -> this.frames.add(Decoded.of(taskId, body));

	@BeforeEach
	void openPipe() throws Exception {
		this.pipe = new PipeChannel();
	}

	@AfterEach
	void closePipe() throws Exception {
		this.pipe.close();
	}

	@Test
	void whenManyFramesArriveTogetherThenOneReadDeliversThemAllInOrder() throws Exception {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (int i = 0; i < 100; i++) {
			stream.write(Frames.encode(i, new byte[] { (byte) i }));
		}
		write(stream.toByteArray());

		int read = new FrameReader().read(this.pipe.source(), this.collect);

		assertThat(read).isEqualTo(700);
		assertThat(this.frames).hasSize(100);
		for (int i = 0; i < 100; i++) {
			assertThat(this.frames.get(i)).isEqualTo(Decoded.of(i, new byte[] { (byte) i }));
		}
	}

	@Test
	void whenAFrameIsSplitAcrossReadsThenItIsDeliveredOnlyOnceComplete() throws Exception {
		byte[] frame = Frames.encode(77, "split".getBytes());
		FrameReader reader = new FrameReader();

		write(Arrays.copyOfRange(frame, 0, 1));
		assertThat(reader.read(this.pipe.source(), this.collect)).isEqualTo(1);
		assertThat(this.frames).isEmpty();
		assertThat(reader.hasPartialFrame()).isTrue();

		write(Arrays.copyOfRange(frame, 1, 7));
		assertThat(reader.read(this.pipe.source(), this.collect)).isEqualTo(6);
		assertThat(this.frames).isEmpty();

		write(Arrays.copyOfRange(frame, 7, frame.length));
		assertThat(reader.read(this.pipe.source(), this.collect)).isEqualTo(frame.length - 7);
		assertThat(this.frames).containsExactly(Decoded.of(77, "split".getBytes()));
		assertThat(reader.hasPartialFrame()).isFalse();
	}

	@Test
	void whenAReadEndsInsideTheNextFrameThenTheCompleteOnesAreDeliveredAndTheTailKept() throws Exception {
		byte[] first = Frames.encode(1, "one".getBytes());
		byte[] second = Frames.encode(2, "two".getBytes());
		FrameReader reader = new FrameReader();

		write(concat(first, Arrays.copyOf(second, 4)));
		reader.read(this.pipe.source(), this.collect);
		assertThat(this.frames).containsExactly(Decoded.of(1, "one".getBytes()));
		assertThat(reader.hasPartialFrame()).isTrue();

		write(Arrays.copyOfRange(second, 4, second.length));
		reader.read(this.pipe.source(), this.collect);
		assertThat(this.frames).containsExactly(Decoded.of(1, "one".getBytes()), Decoded.of(2, "two".getBytes()));
	}

	@Test
	void whenValidFramesPrecedeAnInvalidOneThenTheyAreDeliveredBeforeTheError() throws Exception {
		write(concat(Frames.encode(1, "ok".getBytes()), HEX.parseHex("000300")));
		FrameReader reader = new FrameReader();

		assertThatExceptionOfType(InvalidFrameException.class)
			.isThrownBy(() -> reader.read(this.pipe.source(), this.collect))
			.satisfies((ex) -> assertThat(ex.length()).isEqualTo(3))
			.withMessage("Invalid anet frame: length field 3 is under 4 and cannot hold a task id");
		assertThat(this.frames).containsExactly(Decoded.of(1, "ok".getBytes()));
	}

	@Test
	void whenTheStreamEndsInsideAFrameThenReadReturnsMinusOneWithThePartialFrameKept() throws Exception {
		write(Arrays.copyOf(Frames.encode(5, "cut".getBytes()), 8));
		this.pipe.sink().close();
		FrameReader reader = new FrameReader();

		assertThat(reader.read(this.pipe.source(), this.collect)).isEqualTo(8);
		assertThat(reader.read(this.pipe.source(), this.collect)).isEqualTo(-1);
		assertThat(this.frames).isEmpty();
		assertThat(reader.hasPartialFrame()).isTrue();
	}

	@Test
	void whenTheBufferHoldsExactlyOneLargestFrameThenLargestFramesBackToBackStillDecode() throws Exception {
		byte[] big = new byte[Frames.MAX_BODY_SIZE];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 31);
		}
		byte[] stream = concat(Frames.encode(1, big), Frames.encode(2, "x".getBytes()), Frames.encode(3, big),
				Frames.encode(4, big));
		CompletableFuture<Void> written = this.pipe.writeInBackground(stream, true);
		FrameReader reader = new FrameReader(Frames.MAX_FRAME_SIZE);

		for (int reads = 0; reads < stream.length && reader.read(this.pipe.source(), this.collect) >= 0; reads++) {
			// read until end of stream, at most one read per byte
		}
		written.get(5, TimeUnit.SECONDS);

		assertThat(this.frames).containsExactly(Decoded.of(1, big), Decoded.of(2, "x".getBytes()), Decoded.of(3, big),
				Decoded.of(4, big));
		assertThat(reader.hasPartialFrame()).isFalse();
	}

	@Test
	void bodyHandedToTheConsumerIsNotOverwrittenByLaterReads() throws Exception {
		List<byte[]> bodies = new ArrayList<>();
		FrameReader reader = new FrameReader();
		write(Frames.encode(1, "first".getBytes()));
		reader.read(this.pipe.source(), (taskId, body) -> bodies.add(body));
		write(Frames.encode(2, "other".getBytes()));
		reader.read(this.pipe.source(), (taskId, body) -> bodies.add(body));

		assertThat(bodies).hasSize(2);
		assertThat(new String(bodies.get(0))).isEqualTo("first");
		assertThat(new String(bodies.get(1))).isEqualTo("other");
	}

	@Test
	void decodeDeliversFramesPutIntoTheBufferByTheCaller() {
		FrameReader reader = new FrameReader();
		reader.buffer().put(concat(Frames.encode(10, "a".getBytes()), Frames.encode(11, new byte[0])));

		reader.decode(this.collect);

		assertThat(this.frames).containsExactly(Decoded.of(10, "a".getBytes()), Decoded.of(11, new byte[0]));
		assertThat(reader.buffer().position()).isZero();
	}

	@Test
	void bufferSmallerThanTheMinimumIsRefusedWithItsSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameReader(FrameReader.MIN_BUFFER_SIZE - 1))
			.withMessage("bufferSize must be at least 64 but was 63");
	}

	@Test
	void smallBufferGrowsForALargeFrameAndShrinksBackOnceLargeFramesStop() throws Exception {
		byte[] big = new byte[Frames.MAX_BODY_SIZE];
		for (int i = 0; i < big.length; i++) {
			big[i] = (byte) (i * 13);
		}
		FrameReader reader = new FrameReader(256);
		CompletableFuture<Void> written = this.pipe.writeInBackground(
				concat(Frames.encode(1, "small".getBytes()), Frames.encode(2, big), Frames.encode(3, "after".getBytes())),
				false);
		for (int reads = 0; this.frames.size() < 3 && reads < 10_000; reads++) {
			reader.read(this.pipe.source(), this.collect);
		}
		written.get(5, TimeUnit.SECONDS);
		assertThat(this.frames).containsExactly(Decoded.of(1, "small".getBytes()), Decoded.of(2, big),
				Decoded.of(3, "after".getBytes()));
		assertThat(reader.buffer().capacity()).isEqualTo(Frames.MAX_FRAME_SIZE);

		for (int i = 0; i < FrameReader.SHRINK_AFTER_READS; i++) {
			write(Frames.encode(100 + i, "tick".getBytes()));
			reader.read(this.pipe.source(), this.collect);
		}
		assertThat(reader.buffer().capacity()).isEqualTo(256);
		assertThat(this.frames).hasSize(3 + FrameReader.SHRINK_AFTER_READS);
		assertThat(this.frames.get(this.frames.size() - 1))
			.isEqualTo(Decoded.of(100 + FrameReader.SHRINK_AFTER_READS - 1, "tick".getBytes()));
	}

	@Test
	void bufferDoublesWhileReadsFillItUpToTheLargestSizeAndShrinksBackWhenReadsGetSmall() throws Exception {
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (int i = 0; i < 100; i++) {
			byte[] body = new byte[94];
			Arrays.fill(body, (byte) i);
			stream.write(Frames.encode(i, body));
		}
		write(stream.toByteArray());
		FrameReader reader = new FrameReader(256, 1024);

		List<Integer> capacities = new ArrayList<>();
		for (int reads = 0; this.frames.size() < 100 && reads < 100; reads++) {
			reader.read(this.pipe.source(), this.collect);
			capacities.add(reader.buffer().capacity());
		}

		assertThat(capacities).startsWith(512, 1024, 1024).allSatisfy((capacity) -> assertThat(capacity).isLessThanOrEqualTo(1024));
		assertThat(this.frames).hasSize(100);
		for (int i = 0; i < 100; i++) {
			byte[] body = new byte[94];
			Arrays.fill(body, (byte) i);
			assertThat(this.frames.get(i)).isEqualTo(Decoded.of(i, body));
		}
		for (int i = 0; i < FrameReader.SHRINK_AFTER_READS; i++) {
			write(Frames.encode(100 + i, "tick".getBytes()));
			reader.read(this.pipe.source(), this.collect);
		}
		assertThat(reader.buffer().capacity()).isEqualTo(256);
	}

	@Test
	void largestSizeUnderTheStartingSizeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameReader(1024, 512))
			.withMessage("maxBufferSize must be at least bufferSize (1024) but was 512");
	}

	private void write(byte[] bytes) throws Exception {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		for (int i = 0; i < 10 && buffer.hasRemaining(); i++) {
			this.pipe.sink().write(buffer);
		}
		assertThat(buffer.hasRemaining()).as("bytes left unwritten").isFalse();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
