package dev.anet.boot.test;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;


/**
 * Static factories of {@link AnetRequestMatcher}s for {@link MockAnetServer#expect}.
 *
 * <pre class="code">
 * import static dev.anet.boot.test.AnetRequestMatchers.prefix;
 *
 * server.expect(prefix("A0")).andRespond("A100");
 * </pre>
 */
public final class AnetRequestMatchers {

	private AnetRequestMatchers() {
	}

	/**
	 * Any request.
	 * @return the matcher
	 */
	public static AnetRequestMatcher anyRequest() {
		return new Described((request) -> true, "any request");
	}

	/**
	 * A request whose body starts with the ASCII text, such as {@code "A0"}.
	 * @param prefix the text
	 * @return the matcher
	 */
	public static AnetRequestMatcher prefix(String prefix) {
		byte[] bytes = Bytes.ascii(Objects.requireNonNull(prefix, "prefix"));
		return new Described((request) -> startsWith(request, bytes), "prefix " + Bytes.describe(bytes));
	}

	/**
	 * A request whose body starts with the bytes.
	 * @param prefix the bytes
	 * @return the matcher
	 */
	public static AnetRequestMatcher prefix(byte[] prefix) {
		byte[] bytes = Objects.requireNonNull(prefix, "prefix").clone();
		return new Described((request) -> startsWith(request, bytes), "prefix " + Bytes.describe(bytes));
	}

	/**
	 * A request whose body starts with the bytes given in hex, such as {@code "0200"} for an ISO
	 * 8583 authorization request with a binary MTI.
	 * @param hex an even number of hex digits
	 * @return the matcher
	 */
	public static AnetRequestMatcher prefixHex(String hex) {
		return prefix(Bytes.hex(Objects.requireNonNull(hex, "hex")));
	}

	/**
	 * A request whose body is exactly these bytes.
	 * @param body the bytes
	 * @return the matcher
	 */
	public static AnetRequestMatcher bytes(byte[] body) {
		byte[] bytes = Objects.requireNonNull(body, "body").clone();
		return new Described((request) -> Arrays.equals(request, bytes), "bytes " + Bytes.describe(bytes));
	}

	/**
	 * A request whose body is exactly this ASCII text.
	 * @param body the text
	 * @return the matcher
	 */
	public static AnetRequestMatcher bytes(String body) {
		return bytes(Bytes.ascii(Objects.requireNonNull(body, "body")));
	}

	/**
	 * A request whose body is exactly the bytes given in hex, such as {@code "0200"}.
	 * @param hex an even number of hex digits
	 * @return the matcher
	 * @see #prefixHex(String)
	 */
	public static AnetRequestMatcher hex(String hex) {
		byte[] bytes = Bytes.hex(Objects.requireNonNull(hex, "hex"));
		return new Described((request) -> Arrays.equals(request, bytes), "hex " + Bytes.describe(bytes));
	}

	/**
	 * A request the predicate accepts.
	 * @param predicate tests the request body
	 * @param description what it accepts, for failure messages
	 * @return the matcher
	 */
	public static AnetRequestMatcher matching(Predicate<byte[]> predicate, String description) {
		Objects.requireNonNull(predicate, "predicate");
		return new Described(predicate::test, Objects.requireNonNull(description, "description"));
	}

	private static boolean startsWith(byte[] request, byte[] prefix) {
		return request.length >= prefix.length && Arrays.equals(request, 0, prefix.length, prefix, 0, prefix.length);
	}

	private record Described(AnetRequestMatcher matcher, String description) implements AnetRequestMatcher {

		@Override
		public boolean matches(byte[] request) {
			return this.matcher.matches(request);
		}

		@Override
		public String toString() {
			return this.description;
		}

	}

}
