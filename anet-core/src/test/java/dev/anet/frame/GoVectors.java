package dev.anet.frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * The frames captured from the Go implementation ({@code go-anet-frames.json}, described in
 * {@code shared/protocol/README.md}).
 */
final class GoVectors {

	private static final String RESOURCE = "/go-anet-frames.json";

	private GoVectors() {
	}

	/**
	 * One captured exchange.
	 * @param name the case name
	 * @param clientSends what the client wrote: one hex string per write (a write may hold several
	 * frames)
	 * @param serverReplies one hex frame per reply; {@code null} entries (nothing came back) removed
	 */
	record Case(String name, List<String> clientSends, List<String> serverReplies) {

		/** The whole client stream as bytes. */
		byte[] clientBytes() {
			return PipeChannel.HEX.parseHex(String.join("", this.clientSends));
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * One frame cut out of a hex string by its length field, independently of the code under test.
	 * @param hex the frame's hex
	 * @param taskId the task id
	 * @param bodyHex the body's hex
	 */
	record HexFrame(String hex, int taskId, String bodyHex) {

		byte[] bytes() {
			return PipeChannel.HEX.parseHex(this.hex);
		}

		byte[] body() {
			return PipeChannel.HEX.parseHex(this.bodyHex);
		}

	}

	static List<Case> cases() {
		try (InputStream in = GoVectors.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(RESOURCE + " is not on the test class path");
			}
			JsonNode root = new ObjectMapper().readTree(in);
			List<Case> cases = new ArrayList<>();
			for (JsonNode node : root.get("cases")) {
				cases.add(new Case(node.get("name").asText(), hexList(node.get("client_sends_hex")),
						hexList(node.get("server_replies_hex"))));
			}
			return cases;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Case named(String name) {
		return cases().stream()
			.filter((c) -> c.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No case " + name));
	}

	/**
	 * Split a hex stream into frames by reading each length field as text. Returns {@code null} when
	 * the stream holds a length under 4 (a frame that cannot carry a task id).
	 */
	static @Nullable List<HexFrame> splitFrames(String hex) {
		List<HexFrame> frames = new ArrayList<>();
		int at = 0;
		while (at < hex.length()) {
			int length = Integer.parseInt(hex.substring(at, at + 4), 16);
			if (length < 4) {
				return null;
			}
			int end = at + 4 + 2 * length;
			String frame = hex.substring(at, end);
			frames.add(new HexFrame(frame, Integer.parseUnsignedInt(frame.substring(4, 12), 16), frame.substring(12)));
			at = end;
		}
		return frames;
	}

	/** The length field at the start of a hex stream. */
	static int firstLengthField(String hex) {
		return Integer.parseInt(hex.substring(0, 4), 16);
	}

	private static List<String> hexList(JsonNode node) {
		List<String> hex = new ArrayList<>();
		if (node.isTextual()) {
			hex.add(node.asText());
		}
		else {
			for (JsonNode element : node) {
				if (!element.isNull()) {
					hex.add(element.asText());
				}
			}
		}
		return hex;
	}

}
