package dev.anet.frame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs bytes through a real blocking channel into a {@link FrameReader}.
 */
final class FrameDecoding {

	private FrameDecoding() {
	}

	/**
	 * A decoded frame, the body in hex so that records compare by value.
	 */
	record Decoded(int taskId, String bodyHex) {

		static Decoded of(int taskId, byte[] body) {
			return new Decoded(taskId, PipeChannel.HEX.formatHex(body));
		}

	}

	/**
	 * Write the bytes into a pipe (then close it) and read them back with a {@link FrameReader}
	 * until end of stream.
	 * @throws InvalidFrameException if the reader refuses a frame
	 */
	static List<Decoded> decodeThroughPipe(byte[] bytes) throws Exception {
		try (PipeChannel pipe = new PipeChannel()) {
			CompletableFuture<Void> written = pipe.writeInBackground(bytes, true);
			FrameReader reader = new FrameReader();
			List<Decoded> frames = new ArrayList<>();
			// every read returns at least one byte until end of stream: bytes.length + 1 reads suffice
			for (int reads = 0; reads <= bytes.length + 1; reads++) {
				if (reader.read(pipe.source(), (taskId, body) -> frames.add(Decoded.of(taskId, body))) < 0) {
					written.get(5, TimeUnit.SECONDS);
					if (reader.hasPartialFrame()) {
						throw new IOException("Stream ended inside a frame");
					}
					return frames;
				}
			}
			throw new AssertionError("No end of stream after " + (bytes.length + 1) + " reads");
		}
	}

	/**
	 * Feed the bytes one at a time through a pipe, reading after each, and record after which byte
	 * each frame was delivered.
	 * @return for each frame, the index of the byte that completed it
	 */
	static List<Integer> deliveryPointsOneByteAtATime(byte[] bytes, List<Decoded> frames) throws Exception {
		try (PipeChannel pipe = new PipeChannel()) {
			FrameReader reader = new FrameReader();
			List<Integer> points = new ArrayList<>();
			java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
			for (int i = 0; i < bytes.length; i++) {
				one.clear();
				one.put(bytes[i]).flip();
				pipe.sink().write(one);
				int index = i;
				int n = reader.read(pipe.source(), (taskId, body) -> {
					frames.add(Decoded.of(taskId, body));
					points.add(index);
				});
				if (n != 1) {
					throw new AssertionError("Expected to read the one byte written, read " + n);
				}
			}
			return points;
		}
	}

}
