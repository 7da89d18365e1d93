package dev.anet.frame;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.anet.frame.FrameDecoding.Decoded;
import dev.anet.frame.GoVectors.Case;
import dev.anet.frame.GoVectors.HexFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.anet.frame.PipeChannel.HEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every frame captured from the Go implementation decodes with {@link FrameReader} and encodes back
 * to the same bytes with {@link Frames#encode} and {@link FrameWriter}, over a real blocking channel.
 */
class GoVectorsTests {

	static List<Case> cases() {
		return GoVectors.cases();
	}

	static List<Case> validClientStreams() {
		return cases().stream().filter((c) -> GoVectors.splitFrames(String.join("", c.clientSends())) != null).toList();
	}

	static List<Case> invalidClientStreams() {
		return cases().stream().filter((c) -> GoVectors.splitFrames(String.join("", c.clientSends())) == null).toList();
	}

	static List<Case> casesWithReplies() {
		return cases().stream().filter((c) -> !c.serverReplies().isEmpty()).toList();
	}

	@Test
	void vectorFileHoldsEveryCaseOfTheProtocolReadme() {
		assertThat(cases()).extracting(Case::name)
			.containsExactlyInAnyOrder("hello-echo", "hello-reverse", "empty-body", "pipelined-3", "max-body",
					"short-frame", "zero-length", "no-response", "go-broker-requests");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validClientStreams")
	void clientStreamDecodesToTheCapturedTaskIdsAndBodies(Case c) throws Exception {
		List<Decoded> frames = FrameDecoding.decodeThroughPipe(c.clientBytes());

		assertThat(frames).isNotEmpty().containsExactlyElementsOf(expected(String.join("", c.clientSends())));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validClientStreams")
	void clientStreamDecodesWhenItArrivesOneByteAtATime(Case c) throws Exception {
		byte[] bytes = c.clientBytes();
		List<Decoded> frames = new ArrayList<>();

		List<Integer> points = FrameDecoding.deliveryPointsOneByteAtATime(bytes, frames);

		List<HexFrame> hexFrames = GoVectors.splitFrames(String.join("", c.clientSends()));
		assertThat(frames).containsExactlyElementsOf(expected(String.join("", c.clientSends())));
		// each frame is delivered by the read of its own last byte, not before and not later
		List<Integer> lastBytes = new ArrayList<>();
		int end = -1;
		for (HexFrame frame : hexFrames) {
			end += frame.hex().length() / 2;
			lastBytes.add(end);
		}
		assertThat(points).containsExactlyElementsOf(lastBytes);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("validClientStreams")
	void clientFramesEncodeBackByteForByte(Case c) throws Exception {
		byte[] bytes = c.clientBytes();
		List<Decoded> frames = FrameDecoding.decodeThroughPipe(bytes);

		ByteArrayOutputStream encoded = new ByteArrayOutputStream();
		for (Decoded frame : frames) {
			encoded.write(Frames.encode(frame.taskId(), HEX.parseHex(frame.bodyHex())));
		}
		assertThat(HEX.formatHex(encoded.toByteArray())).isEqualTo(HEX.formatHex(bytes));
		assertThat(HEX.formatHex(writeInOneBatch(frames))).isEqualTo(HEX.formatHex(bytes));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidClientStreams")
	void frameTooShortForATaskIdIsRefusedWithItsLength(Case c) {
		int length = GoVectors.firstLengthField(c.clientSends().get(0));

		assertThatExceptionOfType(InvalidFrameException.class)
			.isThrownBy(() -> FrameDecoding.decodeThroughPipe(c.clientBytes()))
			.satisfies((ex) -> assertThat(ex.length()).isEqualTo(length))
			.withMessageContaining("length field " + length);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("casesWithReplies")
	void everyServerReplyDecodesAndEncodesBackByteForByte(Case c) throws Exception {
		for (String reply : c.serverReplies()) {
			List<Decoded> frames = FrameDecoding.decodeThroughPipe(HEX.parseHex(reply));

			assertThat(frames).containsExactlyElementsOf(expected(reply));
			Decoded frame = frames.get(0);
			assertThat(HEX.formatHex(Frames.encode(frame.taskId(), HEX.parseHex(frame.bodyHex())))).isEqualTo(reply);
			assertThat(HEX.formatHex(writeInOneBatch(frames))).isEqualTo(reply);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("casesWithReplies")
	void everyServerReplyCarriesTheTaskIdOfARequest(Case c) {
		List<Integer> requested = GoVectors.splitFrames(String.join("", c.clientSends()))
			.stream()
			.map(HexFrame::taskId)
			.toList();

		assertThat(c.serverReplies()).extracting((reply) -> GoVectors.splitFrames(reply).get(0).taskId())
			.containsExactlyInAnyOrderElementsOf(requested);
	}

	@Test
	void helloEchoIsTaskOneWithBodyHello() throws Exception {
		Case c = GoVectors.named("hello-echo");

		assertThat(FrameDecoding.decodeThroughPipe(c.clientBytes())).containsExactly(new Decoded(1, hex("hello")));
		assertThat(HEX.formatHex(Frames.encode(1, "hello".getBytes()))).isEqualTo("00090000000168656c6c6f");
	}

	@Test
	void reverseReplyKeepsTheTaskIdAndReversesTheBody() throws Exception {
		Case c = GoVectors.named("hello-reverse");

		assertThat(FrameDecoding.decodeThroughPipe(c.clientBytes()))
			.containsExactly(new Decoded(0x01020304, hex("hello")));
		assertThat(FrameDecoding.decodeThroughPipe(HEX.parseHex(c.serverReplies().get(0))))
			.containsExactly(new Decoded(0x01020304, hex("olleh")));
	}

	@Test
	void emptyBodyWithTheLargestTaskIdDecodes() throws Exception {
		Case c = GoVectors.named("empty-body");

		assertThat(FrameDecoding.decodeThroughPipe(c.clientBytes())).containsExactly(new Decoded(0xFFFFFFFF, ""));
	}

	@Test
	void pipelinedFramesAreAllDeliveredByOneRead() throws Exception {
		Case c = GoVectors.named("pipelined-3");
		byte[] bytes = c.clientBytes();
		try (PipeChannel pipe = new PipeChannel()) {
			pipe.writeInBackground(bytes, false).get(5, TimeUnit.SECONDS);
			List<Decoded> frames = new ArrayList<>();

			int read = new FrameReader().read(pipe.source(), (taskId, body) -> frames.add(Decoded.of(taskId, body)));

			assertThat(read).isEqualTo(bytes.length);
			assertThat(frames).containsExactly(new Decoded(7, hex("a")), new Decoded(8, hex("bb")),
					new Decoded(9, hex("ccc")));
		}
	}

	@Test
	void pipelinedRepliesComeBackOutOfOrderAndMatchByTaskId() throws Exception {
		Case c = GoVectors.named("pipelined-3");

		List<Decoded> replies = new ArrayList<>();
		for (String reply : c.serverReplies()) {
			replies.addAll(FrameDecoding.decodeThroughPipe(HEX.parseHex(reply)));
		}

		assertThat(replies).extracting(Decoded::taskId).containsExactly(9, 7, 8);
		assertThat(replies).containsExactlyInAnyOrderElementsOf(FrameDecoding.decodeThroughPipe(c.clientBytes()));
	}

	@Test
	void largestBodyHasLengthFieldFfff() throws Exception {
		Case c = GoVectors.named("max-body");
		byte[] bytes = c.clientBytes();

		List<Decoded> frames = FrameDecoding.decodeThroughPipe(bytes);

		assertThat(bytes).hasSize(Frames.MAX_FRAME_SIZE);
		assertThat(bytes[0]).isEqualTo((byte) 0xFF);
		assertThat(bytes[1]).isEqualTo((byte) 0xFF);
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.taskId()).isEqualTo(42);
			assertThat(frame.bodyHex()).hasSize(2 * Frames.MAX_BODY_SIZE);
		});
	}

	@Test
	void shortFrameAndZeroLengthAreRefusedWithLengthsTwoAndZero() {
		assertThatExceptionOfType(InvalidFrameException.class)
			.isThrownBy(() -> FrameDecoding.decodeThroughPipe(GoVectors.named("short-frame").clientBytes()))
			.satisfies((ex) -> assertThat(ex.length()).isEqualTo(2));
		assertThatExceptionOfType(InvalidFrameException.class)
			.isThrownBy(() -> FrameDecoding.decodeThroughPipe(GoVectors.named("zero-length").clientBytes()))
			.satisfies((ex) -> assertThat(ex.length()).isZero());
	}

	@Test
	void requestThatGotNoResponseIsAnOrdinaryFrame() throws Exception {
		Case c = GoVectors.named("no-response");

		assertThat(c.serverReplies()).isEmpty();
		assertThat(FrameDecoding.decodeThroughPipe(c.clientBytes())).containsExactly(new Decoded(5, hex("x")));
	}

	@Test
	void goBrokerNumbersTasksFromOne() throws Exception {
		Case c = GoVectors.named("go-broker-requests");

		assertThat(c.clientSends()).hasSize(3);
		assertThat(FrameDecoding.decodeThroughPipe(c.clientBytes())).containsExactly(new Decoded(1, "ccaf96f112"),
				new Decoded(2, "ccaf96f112"), new Decoded(3, "ccaf96f112"));
	}

	private static List<Decoded> expected(String hex) {
		return GoVectors.splitFrames(hex).stream().map((f) -> new Decoded(f.taskId(), f.bodyHex())).toList();
	}

	private static String hex(String text) {
		return HEX.formatHex(text.getBytes());
	}

	/** Append every frame to one {@link FrameWriter} batch, flush once into a pipe, return the bytes. */
	private static byte[] writeInOneBatch(List<Decoded> frames) throws Exception {
		try (PipeChannel pipe = new PipeChannel()) {
			FrameWriter writer = new FrameWriter();
			int size = 0;
			for (Decoded frame : frames) {
				byte[] body = HEX.parseHex(frame.bodyHex());
				assertThat(writer.fits(body.length)).isTrue();
				writer.append(frame.taskId(), body);
				size += Frames.HEADER_SIZE + body.length;
			}
			CompletableFuture<byte[]> drained = pipe.drainInBackground(size);
			long written = writer.flush(pipe.sink());
			assertThat(written).isEqualTo(size);
			return drained.get(5, TimeUnit.SECONDS);
		}
	}

}
