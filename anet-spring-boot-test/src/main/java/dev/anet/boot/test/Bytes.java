package dev.anet.boot.test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How the test support prints bytes in its failure messages: hex, and the printable ASCII with a
 * dot for every other byte, such as {@code 4e433030 "NC00"}.
 */
final class Bytes {

	private static final int MAX_SHOWN = 64;

	private Bytes() {
	}

	static String describe(byte[] bytes) {
		int shown = Math.min(bytes.length, MAX_SHOWN);
		StringBuilder ascii = new StringBuilder(shown);
		for (int i = 0; i < shown; i++) {
			int b = bytes[i] & 0xff;
			ascii.append((b >= 0x20 && b < 0x7f) ? (char) b : '.');
		}
		String more = (bytes.length > shown) ? "... (" + bytes.length + " bytes)" : "";
		return HexFormat.of().formatHex(bytes, 0, shown) + more + " \"" + ascii + "\"";
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] hex(String hex) {
		try {
			return HexFormat.of().parseHex(hex);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + hex + "' is not an even number of hex digits", ex);
		}
	}

}
